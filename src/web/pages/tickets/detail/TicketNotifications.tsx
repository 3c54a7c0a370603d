import { App, Button, Flex, Tag, Typography } from 'antd';
import type { TicketNotification } from '../../../api/types';
import { useI18n } from '../../../app/i18n';
import { useAccess } from '../../../app/session';
import { formatFull, formatWhen } from '../../../components/format';
import { useRetryNotification, useTicketNotifications } from '../queries';
import { DetailSection } from './Section';

const STATUS_COLORS: Record<TicketNotification['status'], string> = {
  queued: 'default',
  sending: 'processing',
  sent: 'green',
  failed: 'red',
  undeliverable: 'red',
};

/**
 * 已通知住户 (R14): every message the resident was sent about this request — what it said, on
 * which channel, and whether it arrived — so the desk answers "did you tell them?" at a glance.
 */
export function TicketNotifications({ ticketId }: { ticketId: string }) {
  const { t, tOr } = useI18n();
  const { message } = App.useApp();
  const access = useAccess();
  const { data: items = [], isLoading } = useTicketNotifications(ticketId);
  const retry = useRetryNotification(ticketId);
  return (
    <DetailSection title={t('tickets.notify.title', { count: items.length })} testId="ticket-notifications">
      {items.length === 0 ? (
        <Typography.Text type="secondary">
          {isLoading ? t('common.loading') : t('tickets.notify.empty')}
        </Typography.Text>
      ) : (
        <Flex vertical gap={8}>
          {items.map((item) => (
            <Flex
              key={item.id}
              vertical
              gap={2}
              data-testid={`notification-${item.event}`}
              style={{ paddingBottom: 8, borderBottom: '1px solid rgba(5, 5, 5, 0.06)' }}
            >
              <Flex gap={8} align="center" wrap>
                <Typography.Text strong>{tOr(`tickets.event.${item.event}`, item.event)}</Typography.Text>
                <Tag color={STATUS_COLORS[item.status]} style={{ marginInlineEnd: 0 }}>
                  {t(`tickets.notify.status.${item.status}`)}
                </Tag>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {tOr(`tickets.notify.channel.${item.channel}`, item.channel)}
                  {item.recipient.name ? ` · ${item.recipient.name}` : ''}
                  {item.recipient.phone ? ` ${item.recipient.phone}` : ''}
                </Typography.Text>
                <Typography.Text
                  type="secondary"
                  style={{ fontSize: 12, marginInlineStart: 'auto' }}
                  title={formatFull(item.sentAt ?? item.createdAt, t)}
                >
                  {formatWhen(item.sentAt ?? item.createdAt, t)}
                </Typography.Text>
              </Flex>
              <Typography.Text>{item.text}</Typography.Text>
              {item.status !== 'sent' && item.attempts > 0 ? (
                <Flex gap={8} align="center">
                  <Typography.Text
                    type={item.status === 'queued' ? 'secondary' : 'danger'}
                    style={{ fontSize: 12 }}
                  >
                    {t('tickets.notify.attempts', { count: item.attempts })}
                    {item.lastError ? ` · ${item.lastError}` : ''}
                  </Typography.Text>
                  {access.retryNotifications &&
                  (item.status === 'failed' || item.status === 'undeliverable') ? (
                    <Button
                      size="small"
                      type="link"
                      loading={retry.isPending && retry.variables === item.id}
                      onClick={() =>
                        retry.mutate(item.id, {
                          onSuccess: () => void message.success(t('tickets.notify.retried')),
                        })
                      }
                    >
                      {t('tickets.notify.retry')}
                    </Button>
                  ) : null}
                </Flex>
              ) : null}
            </Flex>
          ))}
        </Flex>
      )}
    </DetailSection>
  );
}
