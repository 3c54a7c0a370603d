import { Alert, Descriptions, type DescriptionsProps, Flex, Image, Table, Tag, Typography } from 'antd';
import type { TicketDetail } from '../../../api/types';
import { useI18n } from '../../../app/i18n';
import { formatFull, formatWhen } from '../../../components/format';
import { useTicketAttachments } from '../queries';
import { StatusTag } from '../tags';
import { confirmationOf, type PriceLine, priceLinesOf } from './completion';

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

const yuan = (value: number) => `¥${value.toFixed(2)}`;

function PriceLines({ lines, total }: { lines: PriceLine[]; total: number }) {
  const { t } = useI18n();
  return (
    <Table<PriceLine>
      size="small"
      pagination={false}
      rowKey={(line) => `${line.name}-${line.price}-${line.quantity}`}
      dataSource={lines}
      data-testid="completion-lines"
      style={{ marginTop: 8 }}
      columns={[
        { title: t('tickets.completion.item'), dataIndex: 'name' },
        {
          title: t('tickets.completion.price'),
          key: 'price',
          align: 'right',
          render: (_value, line) => `${yuan(line.price)}/${line.unit}`,
        },
        { title: t('tickets.completion.quantity'), dataIndex: 'quantity', align: 'right', width: 64 },
        {
          title: t('tickets.completion.amount'),
          dataIndex: 'amount',
          align: 'right',
          render: (amount: number) => yuan(amount),
        },
      ]}
      summary={() => (
        <Table.Summary.Row>
          <Table.Summary.Cell index={0} colSpan={3}>
            <Typography.Text strong>{t('tickets.completion.total')}</Typography.Text>
          </Table.Summary.Cell>
          <Table.Summary.Cell index={1} align="right">
            <Typography.Text strong data-testid="completion-total">
              {yuan(total)}
            </Typography.Text>
          </Table.Summary.Cell>
        </Table.Summary.Row>
      )}
    />
  );
}

/** The signature image, or the note of a confirmation given by phone or in person. */
function ConfirmationView({ ticket }: { ticket: TicketDetail }) {
  const { t } = useI18n();
  const confirmation = confirmationOf(ticket.confirmation);
  const { data: attachments = [] } = useTicketAttachments(ticket.id);
  if (!confirmation)
    return <Typography.Text type="secondary">{t('tickets.completion.notConfirmed')}</Typography.Text>;
  if (confirmation.method === 'verbal')
    return (
      <Typography.Text data-testid="confirmation-verbal">
        {t('tickets.completion.verbal')}
        {confirmation.note ? `：${confirmation.note}` : ''}
      </Typography.Text>
    );
  const signature = attachments.find((attachment) => attachment.id === confirmation.attachmentId);
  return signature ? (
    <Image
      src={signature.url}
      alt={t('tickets.completion.signature')}
      height={72}
      style={{
        objectFit: 'contain',
        background: '#fff',
        border: '1px solid rgba(5,5,5,0.1)',
        borderRadius: 4,
      }}
      data-testid="confirmation-signature"
    />
  ) : (
    <Typography.Text>{t('tickets.completion.signature')}</Typography.Text>
  );
}

/** The completion report (R10), once there is one: priced lines and the resident's confirmation. */
export function TicketCompletion({ ticket }: { ticket: TicketDetail }) {
  const { t } = useI18n();
  const report = ticket.completion;
  if (!report) return null;
  const items: NonNullable<DescriptionsProps['items']> = REPORT_FIELDS.filter(
    (field) => report[field] !== undefined && report[field] !== null && report[field] !== '',
  ).map((field) => ({
    key: field,
    label: t(`tickets.actionForm.${field}`),
    children: field === 'charge' ? yuan(Number(report[field])) : String(report[field]),
  }));
  items.push({
    key: 'confirmation',
    label: t('tickets.completion.confirmation'),
    children: <ConfirmationView ticket={ticket} />,
  });
  const lines = priceLinesOf(report);
  const total =
    typeof report.total === 'number' ? report.total : lines.reduce((sum, line) => sum + line.amount, 0);
  return (
    <div data-testid="ticket-completion">
      <Typography.Title level={5}>{t('tickets.header.completion')}</Typography.Title>
      <Descriptions column={1} size="small" bordered items={items} />
      {lines.length > 0 ? <PriceLines lines={lines} total={total} /> : null}
    </div>
  );
}
