import { Button, Flex, Result, Spin } from 'antd';
import type { ReactNode } from 'react';
import { Link, Navigate, Outlet, useLocation } from 'react-router';
import { useT } from './i18n';
import { useMe } from './session';

export const PASSWORD_PATH = '/me/password';

export function FullPageSpin() {
  return (
    <Flex justify="center" align="center" style={{ minHeight: '60vh' }}>
      <Spin size="large" />
    </Flex>
  );
}

/** Everything but the login page needs a user; a user who must change the password does that first. */
export function RequireAuth() {
  const t = useT();
  const { data: me, isPending, isError, refetch } = useMe();
  const location = useLocation();
  if (isPending) return <FullPageSpin />;
  if (isError) {
    return (
      <Result
        status="warning"
        title={t('errors.network')}
        extra={<Button onClick={() => void refetch()}>{t('common.refresh')}</Button>}
      />
    );
  }
  if (!me) return <Navigate to="/login" replace state={{ from: `${location.pathname}${location.search}` }} />;
  if (me.mustChangePassword && location.pathname !== PASSWORD_PATH)
    return <Navigate to={PASSWORD_PATH} replace />;
  return <Outlet />;
}

export function RequireAccess({ allowed, children }: { allowed: boolean; children: ReactNode }) {
  const t = useT();
  if (allowed) return children;
  return (
    <Result
      status="403"
      title="403"
      subTitle={t('common.forbidden')}
      extra={
        <Link to="/">
          <Button type="primary">{t('common.backHome')}</Button>
        </Link>
      }
    />
  );
}

export function NotFound() {
  const t = useT();
  return (
    <Result
      status="404"
      title={t('common.notFound')}
      subTitle={t('common.notFoundHint')}
      extra={
        <Link to="/">
          <Button type="primary">{t('common.backHome')}</Button>
        </Link>
      }
    />
  );
}
