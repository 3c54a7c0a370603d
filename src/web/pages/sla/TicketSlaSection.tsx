import { Flex, List, Skeleton, Typography } from 'antd';
import { useI18n } from '../../app/i18n';
import { EmptyState } from '../../components/EmptyState';
import { formatFull } from '../../components/format';
import { SlaCountdown } from '../../components/SlaCountdown';
import { DetailSection } from '../tickets/detail/Section';
import { useRefreshOnFiring, useTicketClocks } from './queries';

/**
 * The request's 时限: each clock (accept, first contact, arrival …) with its live countdown, its
 * due time, and why it is paused when it is. Ended clocks stay listed, grey, so the desk sees
 * which promises were kept.
 */
export function TicketSlaSection({ ticketId }: { ticketId: string }) {
  const { t } = useI18n();
  const { data, isLoading } = useTicketClocks(ticketId);
  useRefreshOnFiring(data?.items);
  let body: React.ReactNode;
  if (isLoading) body = <Skeleton active paragraph={{ rows: 2 }} title={false} />;
  else if (!data || data.items.length === 0) body = <EmptyState text={t('sla.noClocks')} />;
  else
    body = (
      <List
        size="small"
        bordered
        dataSource={data.items}
        renderItem={(clock) => (
          <List.Item data-testid={`sla-clock-${clock.target}`}>
            <Flex justify="space-between" align="center" gap={12} wrap style={{ width: '100%' }}>
              <Typography.Text strong>{t(`sla.target.${clock.target}`)}</Typography.Text>
              <Flex gap={12} align="center" wrap>
                {clock.status === 'paused' && clock.pauseReason ? (
                  <Typography.Text type="secondary">
                    {t(`sla.pauseReason.${clock.pauseReason}`)}
                  </Typography.Text>
                ) : null}
                <Typography.Text type="secondary">
                  {t('sla.due', { when: formatFull(clock.dueAt, t) })}
                </Typography.Text>
                <SlaCountdown clock={clock} offsetMs={data.offsetMs} showTarget={false} />
              </Flex>
            </Flex>
          </List.Item>
        )}
      />
    );
  return (
    <DetailSection title={t('sla.section')} testId="ticket-sla">
      {body}
    </DetailSection>
  );
}
