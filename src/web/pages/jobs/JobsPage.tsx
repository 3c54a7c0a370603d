import { LogoutOutlined, ReloadOutlined } from '@ant-design/icons';
import { Button, Flex, Segmented, Skeleton, Typography, theme } from 'antd';
import { useCallback, useState } from 'react';
import type { Ticket } from '../../api/types';
import { useI18n } from '../../app/i18n';
import { useCurrentUser, useLogout } from '../../app/session';
import { LoadMore } from '../../components/cursorList';
import { EmptyState } from '../../components/EmptyState';
import { useTicketList } from '../tickets/queries';
import { MyJobCard, PoolJobCard } from './JobCard';

type Tab = 'mine' | 'pool';
const FINISHED = new Set(['closed', 'cancelled']);

/**
 * The field staff's phone (UX.md, 375 px): one column, one job per card, the next step as a big
 * button at thumb height. 我的工单 = assigned to me; 抢单池 = my teams' jobs nobody has taken yet.
 */
export function JobsPage() {
  const { t } = useI18n();
  const { token } = theme.useToken();
  const me = useCurrentUser();
  const logout = useLogout();
  const [tab, setTab] = useState<Tab>('mine');
  const list = useTicketList({ view: tab === 'mine' ? 'mine' : 'team' });
  // Jobs with a form open stay on the page when a live update takes them off the list: the
  // technician keeps what was typed, and the server says on sending if the job was taken away.
  const [busy, setBusy] = useState<ReadonlyMap<string, Ticket>>(new Map());
  const onBusy = useCallback((job: Ticket, isBusy: boolean) => {
    setBusy((current) => {
      const next = new Map(current);
      if (isBusy) next.set(job.id, job);
      else next.delete(job.id);
      return next;
    });
  }, []);
  const listed = list.items.filter((job) =>
    tab === 'mine' ? !FINISHED.has(job.status) : !job.assignee && !!job.teamId && job.status === 'dispatched',
  );
  const jobs =
    tab === 'mine'
      ? [...listed, ...[...busy.values()].filter((job) => !listed.some((shown) => shown.id === job.id))]
      : listed;

  return (
    <Flex vertical style={{ maxWidth: 480, margin: '0 auto', minHeight: '100vh' }} data-testid="jobs-page">
      <Flex
        justify="space-between"
        align="center"
        style={{
          padding: '12px 16px',
          position: 'sticky',
          top: 0,
          zIndex: 2,
          background: token.colorBgLayout,
        }}
      >
        <Flex vertical>
          <Typography.Title level={4} style={{ margin: 0 }}>
            {t('jobs.title')}
          </Typography.Title>
          <Typography.Text type="secondary">
            {me.name}（{me.employeeNo}）
          </Typography.Text>
        </Flex>
        <Flex gap={4}>
          <Button
            type="text"
            size="large"
            icon={<ReloadOutlined />}
            aria-label={t('jobs.refresh')}
            loading={list.isFetching && !list.isLoading}
            onClick={() => void list.refetch()}
          />
          <Button
            type="text"
            size="large"
            icon={<LogoutOutlined />}
            aria-label={t('jobs.logout')}
            onClick={() => logout.mutate()}
          />
        </Flex>
      </Flex>
      <div style={{ padding: '0 16px 12px' }}>
        <Segmented<Tab>
          block
          size="large"
          value={tab}
          onChange={setTab}
          data-testid="jobs-tabs"
          options={[
            { value: 'mine', label: t('jobs.mine') },
            { value: 'pool', label: t('jobs.pool') },
          ]}
        />
      </div>
      <Flex vertical gap={12} style={{ padding: '0 16px 24px' }}>
        {list.isLoading ? (
          <Skeleton active paragraph={{ rows: 6 }} />
        ) : jobs.length === 0 ? (
          <EmptyState text={tab === 'mine' ? t('jobs.emptyMine') : t('jobs.emptyPool')} />
        ) : (
          jobs.map((job) =>
            tab === 'mine' ? (
              <MyJobCard key={job.id} job={job} onBusy={onBusy} />
            ) : (
              <PoolJobCard key={job.id} job={job} />
            ),
          )
        )}
        <LoadMore
          count={list.items.length}
          hasNextPage={list.hasNextPage}
          isFetchingNextPage={list.isFetchingNextPage}
          fetchNextPage={list.fetchNextPage}
        />
      </Flex>
    </Flex>
  );
}
