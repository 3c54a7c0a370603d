import { Badge, Divider, Flex, Tag, Typography } from 'antd';
import { useNavigate, useParams } from 'react-router';
import { useCommunity } from '../../app/community';
import { useI18n } from '../../app/i18n';
import { PageHeader } from '../../components/PageHeader';
import { TicketDetailDrawer } from '../tickets/detail/TicketDetailDrawer';
import { useSlaClocks } from './queries';
import { SlaClockTable } from './SlaClockTable';
import { SlaCompliance } from './SlaCompliance';

export const SLA_BOARD_PATH = '/sla/board';

/**
 * The supervisor's board (UX.md): what is already overdue with where its escalation stands, what
 * breaches next (running clocks, the one due first on top), and the on-time rate. Live: the lists
 * refetch on every `ticket.changed` and every few seconds, and each countdown ticks every second.
 * A request number opens the request over the board (/sla/board/{ticketId}).
 */
export function SlaBoardPage() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const { ticketId } = useParams();
  const { communityId } = useCommunity();
  const overdue = useSlaClocks('overdue', communityId);
  const next = useSlaClocks('board', communityId);
  const open = (id: string) => navigate(`${SLA_BOARD_PATH}/${id}`);

  return (
    <>
      <PageHeader
        title={t('sla.board.title')}
        extra={<Badge status="processing" text={t('sla.board.live')} />}
      />
      <Flex vertical gap={24}>
        <section aria-labelledby="sla-overdue-title">
          <Flex align="baseline" gap={8}>
            <Typography.Title level={5} id="sla-overdue-title" style={{ marginTop: 0 }}>
              {t('sla.board.overdue')}
            </Typography.Title>
            {overdue.data?.items.length ? (
              <Tag color="error" data-testid="sla-overdue-count">
                {overdue.data.items.length}
              </Tag>
            ) : null}
          </Flex>
          <SlaClockTable
            snapshot={overdue.data}
            loading={overdue.isLoading}
            onOpen={open}
            emptyText={t('sla.board.emptyOverdue')}
            testId="sla-board-overdue"
          />
        </section>
        <section aria-labelledby="sla-next-title">
          <Flex align="baseline" gap={12} wrap>
            <Typography.Title level={5} id="sla-next-title" style={{ marginTop: 0 }}>
              {t('sla.board.next')}
            </Typography.Title>
            <Typography.Text type="secondary">{t('sla.board.nextHint')}</Typography.Text>
          </Flex>
          <SlaClockTable
            snapshot={next.data}
            loading={next.isLoading}
            onOpen={open}
            emptyText={t('sla.board.emptyNext')}
            testId="sla-board-next"
          />
        </section>
        <Divider style={{ margin: 0 }} />
        <SlaCompliance />
      </Flex>
      <TicketDetailDrawer ticketId={ticketId} onClose={() => navigate(SLA_BOARD_PATH)} />
    </>
  );
}
