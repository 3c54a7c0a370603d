import { Button, Card, Flex, Input, Rate, Result, Skeleton, Typography } from 'antd';
import { useState } from 'react';
import { useParams } from 'react-router';
import { ApiError } from '../../api/errors';
import { useI18n } from '../../app/i18n';
import { formatFull } from '../../components/format';
import { PublicShell } from '../../components/PublicShell';
import { usePublicRating, useSubmitRating } from './queries';

const DIMENSIONS = ['overall', 'speed', 'attitude', 'quality'] as const;
type Dimension = (typeof DIMENSIONS)[number];

/** One column, thumb-sized stars: a resident on a phone, no app, no login (UX.md "Residents"). */
function Shell({ children }: { children: React.ReactNode }) {
  const { t } = useI18n();
  return <PublicShell title={t('visits.public.title')}>{children}</PublicShell>;
}

/**
 * The resident's rating page (/r/:token, R34): what was done and by whom (name and 工号), four
 * 1–5 ratings and a comment, submitted once, then thanked (R35). A used, expired or unknown link
 * says so in the resident's language.
 */
export function RatingPage() {
  const { token = '' } = useParams();
  const { t, locale } = useI18n();
  const view = usePublicRating(token, locale);
  const submit = useSubmitRating(token);
  const [scores, setScores] = useState<Partial<Record<Dimension, number>>>({});
  const [comment, setComment] = useState('');
  const [missing, setMissing] = useState(false);

  if (view.isPending)
    return (
      <Shell>
        <Skeleton active />
      </Shell>
    );
  if (view.isError) {
    const error = view.error instanceof ApiError ? view.error : null;
    return (
      <Shell>
        <Result
          status={error?.status === 404 ? 'warning' : 'info'}
          title={t('visits.public.unavailable')}
          subTitle={<span data-testid="rating-unavailable">{error?.message || t('errors.unknown')}</span>}
        />
      </Shell>
    );
  }
  if (submit.isSuccess)
    return (
      <Shell>
        <Result
          status="success"
          title={<span data-testid="rating-thanks">{t('visits.public.thanks')}</span>}
          subTitle={t('visits.public.thanksDetail')}
        />
      </Shell>
    );

  const data = view.data;
  const complete = DIMENSIONS.every((d) => (scores[d] ?? 0) >= 1);
  const send = () => {
    if (!complete) {
      setMissing(true);
      return;
    }
    submit.mutate({
      overall: scores.overall!,
      speed: scores.speed!,
      attitude: scores.attitude!,
      quality: scores.quality!,
      comment: comment.trim() || null,
    });
  };
  const failure =
    submit.error instanceof ApiError ? submit.error.message : submit.error ? t('errors.unknown') : null;

  return (
    <Shell>
      <Typography.Text>{t('visits.public.intro')}</Typography.Text>
      <Card size="small" data-testid="rating-summary">
        <Flex vertical gap={6}>
          <Typography.Text type="secondary">
            {data.companyName ? `${data.companyName} · ` : ''}
            {data.communityName}
          </Typography.Text>
          <Typography.Text>
            {t('visits.public.request')}：{data.number}
          </Typography.Text>
          <Typography.Text>
            {t('visits.public.content')}：{data.content}
          </Typography.Text>
          {data.work ? (
            <Typography.Text strong>
              {t('visits.public.work')}：{data.work}
            </Typography.Text>
          ) : null}
          {data.worker ? (
            <Typography.Text data-testid="rating-worker">
              {t('visits.public.worker')}：
              {t('visits.public.workerNo', { name: data.worker.name, no: data.worker.employeeNo })}
            </Typography.Text>
          ) : null}
          {data.completedAt ? (
            <Typography.Text type="secondary">
              {t('visits.public.completed')}：{formatFull(data.completedAt, t)}
            </Typography.Text>
          ) : null}
        </Flex>
      </Card>
      <Card size="small">
        <Flex vertical gap={14}>
          {DIMENSIONS.map((d) => (
            <Flex key={d} justify="space-between" align="center" gap={8} wrap>
              <Typography.Text strong id={`rate-${d}-label`}>
                {t(`visits.dimension.${d}`)}
              </Typography.Text>
              <Rate
                aria-labelledby={`rate-${d}-label`}
                data-testid={`rate-${d}`}
                value={scores[d] ?? 0}
                onChange={(value) => {
                  setScores((s) => ({ ...s, [d]: value }));
                  setMissing(false);
                }}
                style={{ fontSize: 30 }}
              />
            </Flex>
          ))}
          {missing ? <Typography.Text type="danger">{t('visits.public.rateAll')}</Typography.Text> : null}
          <label htmlFor="rating-comment">
            <Typography.Text>{t('visits.public.comment')}</Typography.Text>
          </label>
          <Input.TextArea
            id="rating-comment"
            data-testid="rating-comment"
            value={comment}
            onChange={(e) => setComment(e.target.value)}
            maxLength={1000}
            autoSize={{ minRows: 3, maxRows: 6 }}
            placeholder={t('visits.public.commentPlaceholder')}
          />
          {failure ? (
            <Typography.Text type="danger" data-testid="rating-error">
              {failure}
            </Typography.Text>
          ) : null}
          <Button
            type="primary"
            size="large"
            block
            data-testid="rating-submit"
            loading={submit.isPending}
            onClick={send}
          >
            {t('visits.public.submit')}
          </Button>
        </Flex>
      </Card>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {t('visits.public.expires', { when: formatFull(data.expiresAt, t) })}
        {data.hotline ? ` · ${t('visits.public.hotline', { hotline: data.hotline })}` : ''}
      </Typography.Text>
    </Shell>
  );
}
