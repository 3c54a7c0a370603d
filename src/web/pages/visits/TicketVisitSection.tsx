import { Flex, Rate, Tag, Typography } from 'antd';
import { useI18n } from '../../app/i18n';
import { formatFull, formatWhen } from '../../components/format';
import { DetailSection } from '../tickets/detail/Section';
import { type Satisfaction, useSatisfaction } from './queries';

const DIMENSIONS = ['overall', 'speed', 'attitude', 'quality'] as const;

/** Four scores as read-only stars, compact. */
export function Scores({
  rating,
}: {
  rating: Pick<Satisfaction['ratings'][number], (typeof DIMENSIONS)[number]>;
}) {
  const { t } = useI18n();
  return (
    <Flex gap={12} wrap>
      {DIMENSIONS.map((d) => (
        <Flex key={d} gap={4} align="center" data-testid={`score-${d}`} data-score={rating[d]}>
          <Typography.Text type="secondary">{t(`visits.dimension.${d}`)}</Typography.Text>
          <Rate disabled value={rating[d]} style={{ fontSize: 14 }} />
          <Typography.Text>{rating[d]}</Typography.Text>
        </Flex>
      ))}
    </Flex>
  );
}

/**
 * 回访与评价 on the request's detail (R33–R34): its return visit (status, due time, result), the
 * resident's ratings with their source, the rating link's state, and poor-rating follow-ups.
 */
export function TicketVisitSection({ ticketId }: { ticketId: string }) {
  const { t } = useI18n();
  const { data } = useSatisfaction(ticketId);
  if (!data) return null;
  const empty = !data.visits.length && !data.ratings.length && !data.links.length;
  const link = data.links.at(-1);
  return (
    <DetailSection
      title={t('visits.section.title')}
      testId="ticket-visit"
      extra={link ? <Tag>{t(`visits.section.link.${link.status}`)}</Tag> : null}
    >
      {empty ? (
        <Typography.Text type="secondary">{t('visits.section.none')}</Typography.Text>
      ) : (
        <Flex vertical gap={10}>
          {data.visits.map((v) => (
            <Flex key={v.id} vertical gap={2} data-testid="ticket-visit-row">
              <Flex gap={8} wrap align="center">
                <Typography.Text strong>{t('visits.section.visit')}</Typography.Text>
                <Tag color={v.status === 'done' ? 'green' : v.status === 'closed' ? 'default' : 'blue'}>
                  {t(`visits.status.${v.status}`)}
                </Tag>
                {v.closeReason ? (
                  <Typography.Text type="secondary">
                    {t(`visits.closeReason.${v.closeReason}`)}
                  </Typography.Text>
                ) : null}
                {v.resolved !== null ? (
                  <Tag color={v.resolved ? 'green' : 'red'}>
                    {t(`visits.section.resolved.${v.resolved ? 'true' : 'false'}`)}
                  </Tag>
                ) : null}
                <Typography.Text type="secondary" title={formatFull(v.dueAt, t)}>
                  {t('visits.section.due', { when: formatWhen(v.dueAt, t) })}
                </Typography.Text>
                {v.assignee ? <Typography.Text type="secondary">{v.assignee.name}</Typography.Text> : null}
              </Flex>
            </Flex>
          ))}
          {data.ratings.map((r) => (
            <Flex key={r.id} vertical gap={2} data-testid={`ticket-rating-${r.source}`}>
              <Flex gap={8} align="center" wrap>
                <Typography.Text strong>{t('visits.section.rating')}</Typography.Text>
                <Tag>{t(`visits.section.source.${r.source}`)}</Tag>
                <Typography.Text type="secondary">{formatWhen(r.createdAt, t)}</Typography.Text>
              </Flex>
              <Scores rating={r} />
              {r.comment ? <Typography.Text>「{r.comment}」</Typography.Text> : null}
            </Flex>
          ))}
          {data.followups.map((f) => (
            <Flex key={f.id} gap={8} align="center" wrap data-testid="ticket-followup">
              <Typography.Text strong type="danger">
                {t('visits.section.followup')}
              </Typography.Text>
              <Tag color={f.status === 'open' ? 'red' : 'green'}>
                {t(`visits.section.followupStatus.${f.status}`)}
              </Tag>
              <Typography.Text type="secondary">
                {f.reason.map((d) => t(`visits.dimension.${d as (typeof DIMENSIONS)[number]}`)).join('、')}
              </Typography.Text>
              {f.assignee ? <Typography.Text type="secondary">{f.assignee.name}</Typography.Text> : null}
              {f.outcome ? <Typography.Text>{f.outcome}</Typography.Text> : null}
            </Flex>
          ))}
        </Flex>
      )}
    </DetailSection>
  );
}
