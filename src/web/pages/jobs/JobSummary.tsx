import { CalendarOutlined, EnvironmentOutlined, PhoneOutlined, UserOutlined } from '@ant-design/icons';
import { Button, Flex, Tag, Typography } from 'antd';
import type { Ticket } from '../../api/types';
import { useI18n } from '../../app/i18n';
import { formatWhen, formatWindow } from '../../components/format';
import { PriorityTag, StatusTag, TypeTag } from '../tickets/tags';

/** Buttons a thumb can hit (UX.md: large buttons at thumb height). */
export const BIG = { height: 52, fontSize: 18 } as const;

export function where(ticket: Pick<Ticket, 'roomLabel' | 'publicAreaName'>): string {
  return ticket.roomLabel ?? ticket.publicAreaName ?? '—';
}

/**
 * The head of a job card (UX.md): where, what, who with a call button, the appointment window,
 * when it came in, and why it waits when it is pending.
 */
export function JobSummary({ ticket }: { ticket: Ticket }) {
  const { t } = useI18n();
  const resident = ticket.residentName ?? ticket.callerName;
  const phone = ticket.callerPhone;
  return (
    <Flex vertical gap={6}>
      <Flex justify="space-between" align="center" gap={8}>
        <Typography.Text strong style={{ fontSize: 18 }}>
          <EnvironmentOutlined aria-hidden style={{ marginInlineEnd: 6 }} />
          {where(ticket)}
        </Typography.Text>
        <StatusTag status={ticket.status} />
      </Flex>
      <Typography.Paragraph style={{ margin: 0, fontSize: 16 }} ellipsis={{ rows: 3 }}>
        {ticket.content}
      </Typography.Paragraph>
      <Flex gap={4} wrap align="center">
        <TypeTag type={ticket.type} />
        {ticket.priority !== 'normal' ? <PriorityTag priority={ticket.priority} /> : null}
        {ticket.paid ? (
          <Tag color="gold" data-testid="job-paid">
            {t('tickets.intake.paidYes')}
          </Tag>
        ) : null}
        <Typography.Text type="secondary" style={{ marginInlineStart: 'auto' }}>
          {formatWhen(ticket.createdAt, t)}
        </Typography.Text>
      </Flex>
      {ticket.appointment ? (
        <Typography.Text strong data-testid="job-appointment">
          <CalendarOutlined aria-hidden style={{ marginInlineEnd: 6 }} />
          {t('jobs.appointment', {
            window: formatWindow(ticket.appointment.from, ticket.appointment.to, t),
          })}
        </Typography.Text>
      ) : null}
      {resident || phone ? (
        <Flex justify="space-between" align="center" gap={8}>
          <Typography.Text type="secondary" ellipsis>
            <UserOutlined aria-hidden style={{ marginInlineEnd: 4 }} />
            {resident ?? phone}
          </Typography.Text>
          {phone ? (
            <Button
              size="large"
              icon={<PhoneOutlined />}
              href={`tel:${phone}`}
              aria-label={t('jobs.callPhone', { phone })}
              data-testid="job-call"
            >
              {t('jobs.call')}
            </Button>
          ) : null}
        </Flex>
      ) : null}
      {ticket.status === 'pending' && ticket.pending ? (
        <Typography.Text type="warning">
          {ticket.pending.reason} · {t('tickets.header.eta', { when: formatWhen(ticket.pending.eta, t) })}
        </Typography.Text>
      ) : null}
    </Flex>
  );
}
