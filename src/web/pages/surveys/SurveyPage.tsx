import { Button, Card, Checkbox, Flex, Input, Radio, Rate, Result, Skeleton, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useParams } from 'react-router';
import { ApiError } from '../../api/errors';
import { useI18n } from '../../app/i18n';
import { formatFull } from '../../components/format';
import { PublicShell } from '../../components/PublicShell';
import { type PublicSurvey, usePublicSurvey, useSubmitSurvey } from './queries';

type Value = number | number[] | string | undefined;
type Question = PublicSurvey['questions'][number];

/** One column, thumb-sized controls: a resident on a phone, no app, no login (UX.md "Residents"). */
function Shell({ children }: { children: React.ReactNode }) {
  const { t } = useI18n();
  return <PublicShell title={t('surveys.public.title')}>{children}</PublicShell>;
}

function answered(value: Value): boolean {
  if (value === undefined) return false;
  if (typeof value === 'string') return value.trim().length > 0;
  if (Array.isArray(value)) return value.length > 0;
  return true;
}

function QuestionInput({
  question,
  value,
  onChange,
}: {
  question: Question;
  value: Value;
  onChange: (value: Value) => void;
}) {
  const { t } = useI18n();
  const options = (question.options ?? []).map((label, index) => ({ label, value: index }));
  switch (question.kind) {
    case 'single':
      return (
        <Radio.Group
          value={value}
          onChange={(e) => onChange(e.target.value as number)}
          style={{ display: 'flex', flexDirection: 'column', gap: 10 }}
          options={options}
        />
      );
    case 'multiple':
      return (
        <Checkbox.Group
          value={Array.isArray(value) ? value : []}
          onChange={(checked) => onChange((checked as number[]).slice().sort((a, b) => a - b))}
          style={{ display: 'flex', flexDirection: 'column', gap: 10 }}
          options={options}
        />
      );
    case 'scale':
      return (
        <Rate
          aria-label={question.text}
          value={typeof value === 'number' ? value : 0}
          onChange={(score) => onChange(score || undefined)}
          style={{ fontSize: 32 }}
        />
      );
    default:
      return (
        <Input.TextArea
          aria-label={question.text}
          value={typeof value === 'string' ? value : ''}
          onChange={(e) => onChange(e.target.value)}
          maxLength={1000}
          autoSize={{ minRows: 3, maxRows: 8 }}
          placeholder={t('surveys.public.textPlaceholder')}
        />
      );
  }
}

/**
 * The resident's survey page (/s/:token, R36): the questionnaire — a radio list, checkboxes,
 * 1–5 stars or a text box per question — submitted once, then thanked (R35). A used, closed or
 * unknown link says so in the resident's language.
 */
export function SurveyPage() {
  const { token = '' } = useParams();
  const { t, locale } = useI18n();
  const view = usePublicSurvey(token, locale);
  const submit = useSubmitSurvey(token);
  const [values, setValues] = useState<Record<string, Value>>({});
  const [missing, setMissing] = useState<Set<string>>(new Set());

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
          title={t('surveys.public.unavailable')}
          subTitle={<span data-testid="survey-unavailable">{error?.message || t('errors.unknown')}</span>}
        />
      </Shell>
    );
  }
  if (submit.isSuccess)
    return (
      <Shell>
        <Result
          status="success"
          title={<span data-testid="survey-thanks">{t('surveys.public.thanks')}</span>}
          subTitle={t('surveys.public.thanksDetail')}
        />
      </Shell>
    );

  const data = view.data;
  const send = () => {
    const gaps = new Set(
      data.questions.filter((q) => q.required && !answered(values[q.id])).map((q) => q.id),
    );
    setMissing(gaps);
    if (gaps.size) return;
    submit.mutate({
      answers: data.questions.map((q) => {
        const value = values[q.id];
        return { questionId: q.id, value: answered(value) ? value! : null };
      }),
    });
  };
  const failure =
    submit.error instanceof ApiError
      ? [submit.error.message, ...(submit.error.details ?? []).map((d) => d.message)].join(' ')
      : submit.error
        ? t('errors.unknown')
        : null;

  return (
    <Shell>
      <Card size="small">
        <Flex vertical gap={6}>
          <Typography.Text type="secondary">
            {data.companyName ? `${data.companyName} · ` : ''}
            {data.communityName}
          </Typography.Text>
          <Typography.Title level={5} style={{ margin: 0 }} data-testid="survey-title">
            {data.title}
          </Typography.Title>
          {data.intro ? (
            <Typography.Paragraph style={{ margin: 0 }}>{data.intro}</Typography.Paragraph>
          ) : null}
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {data.anonymous ? t('surveys.public.anonymous') : t('surveys.public.named')}
          </Typography.Text>
        </Flex>
      </Card>
      {data.questions.map((q, i) => (
        <Card size="small" key={q.id} data-testid={`survey-question-${i}`}>
          <Flex vertical gap={10}>
            <Typography.Text strong>
              {i + 1}. {q.text}{' '}
              <Tag color={q.required ? 'red' : undefined} style={{ marginInlineStart: 4 }}>
                {q.required ? t('surveys.public.required') : t('surveys.public.optional')}
              </Tag>
            </Typography.Text>
            <QuestionInput
              question={q}
              value={values[q.id]}
              onChange={(value) => {
                setValues((v) => ({ ...v, [q.id]: value }));
                setMissing((m) => {
                  if (!m.has(q.id)) return m;
                  const next = new Set(m);
                  next.delete(q.id);
                  return next;
                });
              }}
            />
            {missing.has(q.id) ? (
              <Typography.Text type="danger">{t('surveys.public.answerRequired')}</Typography.Text>
            ) : null}
          </Flex>
        </Card>
      ))}
      {failure ? (
        <Typography.Text type="danger" data-testid="survey-error">
          {failure}
        </Typography.Text>
      ) : null}
      {missing.size ? (
        <Typography.Text type="danger">{t('surveys.public.answerRequired')}</Typography.Text>
      ) : null}
      <Button
        type="primary"
        size="large"
        block
        data-testid="survey-submit"
        loading={submit.isPending}
        onClick={send}
      >
        {t('surveys.public.submit')}
      </Button>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {data.closesAt ? t('surveys.public.closesAt', { when: formatFull(data.closesAt, t) }) : ''}
        {data.closesAt && data.hotline ? ' · ' : ''}
        {data.hotline ? t('surveys.public.hotline', { hotline: data.hotline }) : ''}
      </Typography.Text>
    </Shell>
  );
}
