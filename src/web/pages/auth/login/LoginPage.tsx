import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Flex, Form, Input, Typography } from 'antd';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { api, unwrap } from '../../../api/client';
import { FullPageSpin } from '../../../app/guards';
import { useT } from '../../../app/i18n';
import { useLogin, useMe } from '../../../app/session';
import { LanguageSwitch } from '../../../components/LanguageSwitch';

interface LoginForm {
  login: string;
  password: string;
}

function redirectTarget(state: unknown): string {
  if (typeof state === 'object' && state !== null && 'from' in state && typeof state.from === 'string') {
    return state.from.startsWith('/login') ? '/' : state.from;
  }
  return '/';
}

export function LoginPage() {
  const t = useT();
  const [form] = Form.useForm<LoginForm>();
  const navigate = useNavigate();
  const location = useLocation();
  const { data: me, isPending } = useMe();
  const login = useLogin();
  const { data: company } = useQuery({
    queryKey: ['company', 'public'],
    queryFn: () => unwrap(api.GET('/api/v1/company/public')),
    staleTime: 10 * 60_000,
    meta: { silent: true },
  });

  if (isPending) return <FullPageSpin />;
  if (me) return <Navigate to={redirectTarget(location.state)} replace />;

  const submit = (values: LoginForm) =>
    login.mutate(
      { login: values.login.trim(), password: values.password },
      {
        onSuccess: () => navigate(redirectTarget(location.state), { replace: true }),
        onError: () => form.setFieldValue('password', ''),
      },
    );

  return (
    <Flex vertical align="center" justify="center" style={{ minHeight: '100vh', padding: 16 }}>
      <Flex justify="flex-end" style={{ width: '100%', maxWidth: 400, marginBottom: 12 }}>
        <LanguageSwitch />
      </Flex>
      <Card style={{ width: '100%', maxWidth: 400 }}>
        <Flex vertical align="center" gap={4} style={{ marginBottom: 24 }}>
          <Typography.Title level={3} style={{ margin: 0, textAlign: 'center' }} data-testid="company-name">
            {company?.name ?? t('common.appName')}
          </Typography.Title>
          <Typography.Text type="secondary">{t('auth.subtitle')}</Typography.Text>
        </Flex>
        <Form<LoginForm>
          form={form}
          layout="vertical"
          onFinish={submit}
          requiredMark={false}
          disabled={login.isPending}
        >
          <Form.Item
            name="login"
            label={t('auth.login')}
            rules={[
              { required: true, whitespace: true, message: t('common.required', { field: t('auth.login') }) },
            ]}
          >
            <Input
              prefix={<UserOutlined aria-hidden />}
              placeholder={t('auth.loginPlaceholder')}
              autoComplete="username"
              autoFocus
              size="large"
            />
          </Form.Item>
          <Form.Item
            name="password"
            label={t('auth.password')}
            rules={[{ required: true, message: t('common.required', { field: t('auth.password') }) }]}
          >
            <Input.Password
              prefix={<LockOutlined aria-hidden />}
              placeholder={t('auth.passwordPlaceholder')}
              autoComplete="current-password"
              size="large"
            />
          </Form.Item>
          <Button type="primary" htmlType="submit" block size="large" loading={login.isPending}>
            {t('auth.submit')}
          </Button>
        </Form>
        {company?.hotline ? (
          <Typography.Paragraph type="secondary" style={{ textAlign: 'center', margin: '16px 0 0' }}>
            {t('auth.hotline', { hotline: company.hotline })}
          </Typography.Paragraph>
        ) : null}
      </Card>
    </Flex>
  );
}
