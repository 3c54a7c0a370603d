import { PlusOutlined } from '@ant-design/icons';
import {
  Button,
  Flex,
  type RefSelectProps,
  Select,
  Table,
  type TableColumnsType,
  Tabs,
  Tooltip,
  Typography,
} from 'antd';
import { useRef, useState } from 'react';
import { useNavigate, useParams, useSearchParams } from 'react-router';
import {
  TICKET_STATUSES,
  TICKET_TYPES,
  TICKET_VIEWS,
  type Ticket,
  type TicketStatus,
  type TicketType,
  type TicketView,
} from '../../../api/types';
import { useCommunity } from '../../../app/community';
import { useI18n } from '../../../app/i18n';
import { useAccess } from '../../../app/session';
import { LoadMore } from '../../../components/cursorList';
import { EmptyState } from '../../../components/EmptyState';
import { formatFull, formatWhen } from '../../../components/format';
import { useHotkey } from '../../../components/hotkeys';
import { PageHeader } from '../../../components/PageHeader';
import { OVERDUE_VIEW, QueueCountdown, useQueueClocks } from '../../sla/queueClocks';
import { SlaClockTable } from '../../sla/SlaClockTable';
import { TicketCreateDrawer, TicketDetailDrawer } from '../lazyDrawers';
import { useTicketList } from '../queries';
import { PriorityTag, StatusTag, TypeTag } from '../tags';

function pick<T extends string>(value: string | null, allowed: readonly T[]): T | undefined {
  return allowed.find((candidate) => candidate === value);
}

export function TicketListPage() {
  const { t } = useI18n();
  const access = useAccess();
  const navigate = useNavigate();
  const { ticketId } = useParams();
  const [searchParams, setSearchParams] = useSearchParams();
  const { communityId, communities } = useCommunity();
  const [creating, setCreating] = useState(false);
  const statusRef = useRef<RefSelectProps>(null);

  const status = pick<TicketStatus>(searchParams.get('status'), TICKET_STATUSES);
  const type = pick<TicketType>(searchParams.get('type'), TICKET_TYPES);
  const view = pick<TicketView>(searchParams.get('view'), TICKET_VIEWS);
  const list = useTicketList({ communityId, status, type, view });
  // SLA: each row's nearest clock, and the 超时 tab (the overdue queue), for the clocks' watchers
  const overdueTab = access.slaClocks && searchParams.get('view') === OVERDUE_VIEW;
  const queueClocks = useQueueClocks(communityId, access.slaClocks);

  const setFilter = (name: 'status' | 'type' | 'view', value: string | undefined) => {
    const next = new URLSearchParams(searchParams);
    if (value) next.set(name, value);
    else next.delete(name);
    setSearchParams(next, { replace: true });
  };
  const query = searchParams.toString() ? `?${searchParams.toString()}` : '';

  useHotkey('n', () => setCreating(true), access.createTickets && !ticketId);
  useHotkey('/', () => statusRef.current?.focus());

  const columns: TableColumnsType<Ticket> = [
    {
      title: t('tickets.number'),
      dataIndex: 'number',
      width: 165,
      render: (number: string) => <Typography.Text strong>{number}</Typography.Text>,
    },
    {
      title: t('tickets.type.label'),
      dataIndex: 'type',
      width: 84,
      render: (value: TicketType) => <TypeTag type={value} />,
    },
    {
      title: t('tickets.status.label'),
      dataIndex: 'status',
      width: 90,
      render: (value: TicketStatus) => <StatusTag status={value} />,
    },
    {
      title: t('tickets.header.assignee'),
      key: 'assignee',
      width: 120,
      render: (_value, ticket) =>
        ticket.assignee ? (
          <Tooltip title={ticket.teamName}>
            <span>{ticket.assignee.name}</span>
          </Tooltip>
        ) : (
          (ticket.teamName ?? '—')
        ),
    },
    ...(access.slaClocks
      ? [
          {
            title: t('sla.column'),
            key: 'sla',
            width: 170,
            render: (_value: unknown, ticket: Ticket) => (
              <QueueCountdown entry={queueClocks.byTicket.get(ticket.id)} />
            ),
          },
        ]
      : []),
    {
      title: t('tickets.priority.label'),
      dataIndex: 'priority',
      width: 76,
      render: (_value, ticket) => <PriorityTag priority={ticket.priority} />,
    },
    {
      title: t('tickets.location'),
      key: 'location',
      width: 150,
      render: (_value, ticket) => (
        <Flex vertical>
          <span>{ticket.roomLabel ?? ticket.publicAreaName ?? '—'}</span>
          {communities.length > 1 && !communityId ? (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {ticket.communityName}
            </Typography.Text>
          ) : null}
        </Flex>
      ),
    },
    {
      title: t('tickets.reporter'),
      key: 'reporter',
      width: 130,
      render: (_value, ticket) => (
        <Flex vertical>
          <span>{ticket.residentName ?? ticket.callerName ?? '—'}</span>
          {ticket.callerPhone ? (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {ticket.callerPhone}
            </Typography.Text>
          ) : null}
        </Flex>
      ),
    },
    { title: t('tickets.content'), dataIndex: 'content', ellipsis: { showTitle: true } },
    {
      title: t('tickets.createdAt'),
      dataIndex: 'createdAt',
      width: 120,
      render: (value: string) => (
        <Tooltip title={formatFull(value, t)}>
          <span>{formatWhen(value, t)}</span>
        </Tooltip>
      ),
    },
    {
      title: t('tickets.createdBy'),
      key: 'createdBy',
      width: 100,
      render: (_value, ticket) => ticket.createdBy?.name ?? '—',
    },
  ];

  const filtered = !!status || !!type;
  const empty = filtered ? (
    <EmptyState
      text={t('tickets.emptyFiltered')}
      action={
        <Button onClick={() => setSearchParams({}, { replace: true })}>{t('tickets.clearFilters')}</Button>
      }
    />
  ) : (
    <EmptyState
      text={t('tickets.empty')}
      action={
        access.createTickets ? (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
            {t('tickets.new')}
          </Button>
        ) : undefined
      }
    />
  );

  return (
    <>
      <PageHeader
        title={t('tickets.title')}
        extra={
          <>
            <Select<TicketStatus>
              ref={statusRef}
              aria-label={t('tickets.status.label')}
              data-testid="filter-status"
              allowClear
              placeholder={t('tickets.filter.status')}
              value={status}
              onChange={(value) => setFilter('status', value)}
              options={TICKET_STATUSES.map((code) => ({ value: code, label: t(`tickets.status.${code}`) }))}
              style={{ width: 140 }}
            />
            <Select<TicketType>
              aria-label={t('tickets.type.label')}
              data-testid="filter-type"
              allowClear
              placeholder={t('tickets.filter.type')}
              value={type}
              onChange={(value) => setFilter('type', value)}
              options={TICKET_TYPES.map((code) => ({ value: code, label: t(`tickets.type.${code}`) }))}
              style={{ width: 140 }}
            />
            {access.createTickets ? (
              <Tooltip title={t('tickets.newHint')}>
                <Button
                  type="primary"
                  icon={<PlusOutlined />}
                  onClick={() => setCreating(true)}
                  data-testid="ticket-new"
                >
                  {t('tickets.new')}
                </Button>
              </Tooltip>
            ) : null}
          </>
        }
      />
      <Tabs
        activeKey={overdueTab ? OVERDUE_VIEW : (view ?? 'all')}
        onChange={(key) => setFilter('view', key === 'all' ? undefined : key)}
        data-testid="ticket-queues"
        items={[
          { key: 'all', label: t('tickets.queue.all') },
          ...TICKET_VIEWS.map((code) => ({ key: code, label: t(`tickets.queue.${code}`) })),
          ...(access.slaClocks ? [{ key: OVERDUE_VIEW, label: t('sla.queueTab') }] : []),
        ]}
      />
      {overdueTab ? (
        <SlaClockTable
          snapshot={queueClocks.overdue.data}
          loading={queueClocks.overdue.isLoading}
          onOpen={(id) => navigate(`/tickets/${id}${query}`)}
          emptyText={t('sla.board.emptyOverdue')}
          testId="ticket-overdue"
        />
      ) : (
        <>
          <Table<Ticket>
            rowKey="id"
            size="middle"
            columns={columns}
            dataSource={list.items}
            loading={list.isLoading}
            pagination={false}
            scroll={{ x: 1200 }}
            locale={{ emptyText: list.isLoading ? ' ' : empty }}
            rowClassName="clickable-row"
            onRow={(ticket) => ({
              onClick: () => navigate(`/tickets/${ticket.id}${query}`),
              onKeyDown: (event) => {
                if (event.key === 'Enter') navigate(`/tickets/${ticket.id}${query}`);
              },
              tabIndex: 0,
              'data-testid': `ticket-row-${ticket.number}`,
            })}
          />
          <LoadMore
            count={list.items.length}
            hasNextPage={list.hasNextPage}
            isFetchingNextPage={list.isFetchingNextPage}
            fetchNextPage={list.fetchNextPage}
          />
        </>
      )}
      <TicketCreateDrawer
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={() => setCreating(false)}
      />
      <TicketDetailDrawer ticketId={ticketId} onClose={() => navigate(`/tickets${query}`)} />
    </>
  );
}
