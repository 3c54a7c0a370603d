import { Tag } from 'antd';
import type { TicketPriority, TicketStatus, TicketType } from '../../api/types';
import { useT } from '../../app/i18n';

const STATUS_COLORS: Record<TicketStatus, string> = {
  received: 'blue',
  dispatched: 'cyan',
  accepted: 'geekblue',
  on_site: 'purple',
  in_progress: 'processing',
  pending: 'orange',
  done: 'green',
  closed: 'default',
  cancelled: 'default',
};

const PRIORITY_COLORS: Record<TicketPriority, string> = {
  urgent: 'red',
  high: 'orange',
  normal: 'default',
  low: 'default',
};

export function StatusTag({ status }: { status: TicketStatus }) {
  const t = useT();
  return <Tag color={STATUS_COLORS[status]}>{t(`tickets.status.${status}`)}</Tag>;
}

export function PriorityTag({ priority }: { priority: TicketPriority }) {
  const t = useT();
  return <Tag color={PRIORITY_COLORS[priority]}>{t(`tickets.priority.${priority}`)}</Tag>;
}

export function TypeTag({ type }: { type: TicketType }) {
  const t = useT();
  return (
    <Tag color={type === 'emergency' ? 'red' : type === 'complaint' ? 'volcano' : undefined}>
      {t(`tickets.type.${type}`)}
    </Tag>
  );
}
