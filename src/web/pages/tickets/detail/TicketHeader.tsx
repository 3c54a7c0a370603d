import { Alert, Descriptions, Flex, Tag, Typography } from 'antd';
import type { TicketDetail } from '../../../api/types';
import { useI18n } from '../../../app/i18n';
import { formatFull, formatWhen } from '../../../components/format';
import { StatusTag } from '../tags';

/** 王师傅（1001） */
export function personLabel(person: { name: string; employeeNo: string }): string {
  return `${person.name}（${person.employeeNo}）`;
}

/**
 * What the desk needs at a glance: the status, who has it (name + 工号, R14 — the resident is told),
 * and while pending why, what happens next and by when (R7).
 */
export function TicketHeader({ ticket }: { ticket: TicketDetail }) {
  const { t } = useI18n();
  const who = ticket.assignee
    ? personLabel(ticket.assignee)
    : ticket.teamName
      ? t('tickets.header.pool')
      : t('tickets.header.unassigned');
  return (
    <Flex vertical gap={8} data-testid="ticket-header">
      <Flex gap={8} align="center" wrap>
        <StatusTag status={ticket.status} />
        <Typography.Text>
          <Typography.Text type="secondary">{t('tickets.header.assignee')}：</Typography.Text>
          <Typography.Text strong data-testid="ticket-assignee">
            {who}
          </Typography.Text>
        </Typography.Text>
        {ticket.teamName ? (
          <Typography.Text type="secondary">
            {t('tickets.header.team')}：{ticket.teamName}
          </Typography.Text>
        ) : null}
        {ticket.escalationLevel > 0 ? (
          <Tag color="red">{t('tickets.header.escalation', { level: ticket.escalationLevel })}</Tag>
        ) : null}
        {ticket.reopenCount > 0 ? (
          <Tag color="orange">{t('tickets.header.reopened', { count: ticket.reopenCount })}</Tag>
        ) : null}
      </Flex>
      {ticket.status === 'pending' && ticket.pending ? (
        <Alert
          type="warning"
          showIcon
          data-testid="ticket-pending"
          title={
            <Flex gap={12} wrap>
              <span>
                {t('tickets.header.pendingReason')}：{ticket.pending.reason}
              </span>
              <Typography.Text strong title={formatFull(ticket.pending.eta, t)}>
                {t('tickets.header.eta', { when: formatWhen(ticket.pending.eta, t) })}
              </Typography.Text>
            </Flex>
          }
          description={`${t('tickets.header.nextStep')}：${ticket.pending.nextStep}`}
        />
      ) : null}
    </Flex>
  );
}

const REPORT_FIELDS = ['cause', 'work', 'parts', 'charge', 'advice'] as const;

/** The completion report (R10), once there is one. */
export function TicketCompletion({ ticket }: { ticket: TicketDetail }) {
  const { t } = useI18n();
  const report = ticket.completion;
  if (!report) return null;
  const items = REPORT_FIELDS.filter((field) => report[field] !== undefined && report[field] !== '').map(
    (field) => ({
      key: field,
      label: t(`tickets.actionForm.${field}`),
      children: String(report[field]),
    }),
  );
  return (
    <div data-testid="ticket-completion">
      <Typography.Title level={5}>{t('tickets.header.completion')}</Typography.Title>
      <Descriptions column={1} size="small" bordered items={items} />
    </div>
  );
}
