import { Button, Table, type TableColumnsType, Tag, Tooltip } from 'antd';
import dayjs from 'dayjs';
import { useCommunity } from '../../app/community';
import { useI18n } from '../../app/i18n';
import { EmptyState } from '../../components/EmptyState';
import { formatFull, formatWhen } from '../../components/format';
import { SlaCountdown } from '../../components/SlaCountdown';
import type { ClockSnapshot, SlaClock } from '../../components/slaClock';
import { useTicket } from '../tickets/queries';
import { useRefreshOnFiring } from './queries';

/** Rows per page: each row's escalation level is read from its request (cached, live-updated). */
const PAGE_SIZE = 20;

/**
 * Where a request stands in the escalation chain (R26): worker → 班组长 → 客服主管 → 服务中心经理 →
 * 品质部. The clock lists do not carry it, so it is read from the request's detail, which the
 * ticket drawer shares and live updates refresh; only the rows of the page on screen ask.
 */
export function EscalationTag({ ticketId }: { ticketId: string }) {
  const { t } = useI18n();
  const { data: ticket } = useTicket(ticketId);
  if (!ticket) return <span aria-busy>…</span>;
  const level = Math.max(0, Math.min(4, ticket.escalationLevel)) as 0 | 1 | 2 | 3 | 4;
  if (level === 0) return <span>{t('sla.escalation.level0')}</span>;
  return (
    <Tag color="volcano" data-testid="sla-escalation" data-level={level} style={{ marginInlineEnd: 0 }}>
      {`L${level} ${t(`sla.escalation.level${level}`)}`}
    </Tag>
  );
}

/**
 * Clocks with their live countdowns, in the server's order (the board: due first; overdue: the
 * longest overdue first). The request number opens the request.
 */
export function SlaClockTable({
  snapshot,
  loading,
  onOpen,
  emptyText,
  testId,
}: {
  snapshot: ClockSnapshot | undefined;
  loading: boolean;
  onOpen: (ticketId: string) => void;
  emptyText: string;
  testId: string;
}) {
  const { t } = useI18n();
  const { communityId, communities, nameOf } = useCommunity();
  const offsetMs = snapshot?.offsetMs ?? 0;
  useRefreshOnFiring(snapshot?.items);
  const columns: TableColumnsType<SlaClock> = [
    {
      title: t('sla.board.ticket'),
      dataIndex: 'ticketNumber',
      width: 170,
      render: (number: string, clock) => (
        <Button
          type="link"
          style={{ padding: 0, height: 'auto', fontWeight: 600 }}
          onClick={() => onOpen(clock.ticketId)}
          data-testid={`sla-ticket-${number}`}
        >
          {number}
        </Button>
      ),
    },
    {
      title: t('sla.board.target'),
      dataIndex: 'target',
      width: 110,
      render: (_value, clock) => t(`sla.target.${clock.target}`),
    },
    {
      title: t('sla.board.remaining'),
      key: 'remaining',
      width: 170,
      render: (_value, clock) => <SlaCountdown clock={clock} offsetMs={offsetMs} showTarget={false} />,
    },
    {
      title: t('sla.board.dueAt'),
      dataIndex: 'dueAt',
      width: 130,
      // today / 昨天 as of the server's day (the desk PC's clock may be off)
      render: (value: string) => (
        <Tooltip title={formatFull(value, t)}>
          <span>{formatWhen(value, t, dayjs(Date.now() + offsetMs))}</span>
        </Tooltip>
      ),
    },
    {
      title: t('sla.board.escalation'),
      key: 'escalation',
      width: 150,
      render: (_value, clock) => <EscalationTag ticketId={clock.ticketId} />,
    },
  ];
  if (communities.length > 1 && !communityId)
    columns.push({
      title: t('sla.board.community'),
      dataIndex: 'communityId',
      width: 130,
      render: (id: string) => nameOf(id),
    });
  return (
    <Table<SlaClock>
      rowKey="id"
      size="small"
      columns={columns}
      dataSource={snapshot?.items ?? []}
      loading={loading}
      pagination={{ pageSize: PAGE_SIZE, hideOnSinglePage: true, showSizeChanger: false }}
      locale={{ emptyText: loading ? ' ' : <EmptyState text={emptyText} /> }}
      scroll={{ x: 760 }}
      data-testid={testId}
      onRow={(clock) => ({ 'data-testid': `sla-row-${clock.ticketNumber}-${clock.target}` }) as never}
    />
  );
}
