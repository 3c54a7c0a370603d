import {
  App,
  Button,
  Card,
  DatePicker,
  Descriptions,
  Drawer,
  Flex,
  Form,
  Input,
  InputNumber,
  Select,
  Table,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useCommunity } from '../../app/community';
import { useI18n } from '../../app/i18n';
import { useCurrentUser } from '../../app/session';
import { EmptyState } from '../../components/EmptyState';
import { formatFull } from '../../components/format';
import { PageHeader } from '../../components/PageHeader';
import {
  hasAny,
  QA_AGENTS,
  QA_MANAGERS,
  QA_SCORERS,
  type QaSample,
  useAck,
  useDraw,
  useMyResults,
  useReport,
  useSamples,
  useScore,
  useSheet,
} from './queries';

const REASON_COLOR = { random: 'default', new_staff: 'blue', keyword: 'red' } as const;
const STATUS_COLOR = { pending: 'processing', scored: 'success' } as const;

function Subject({ sample }: { sample: QaSample }) {
  const { t } = useI18n();
  return sample.subjectType === 'ticket' ? (
    <Link to={`/tickets/${sample.subjectId}`} data-testid="qa-subject">
      {t('quality.subject.ticket', { number: sample.subjectNumber ?? '' })}
    </Link>
  ) : (
    <Link to="/calls" data-testid="qa-subject">
      {t('quality.subject.call', { at: formatFull(sample.subjectAt, t) })}
    </Link>
  );
}

function ScoreDrawer({ sample, onClose }: { sample: QaSample | null; onClose: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ scores: Record<string, number>; comment?: string }>();
  const sheet = useSheet(Boolean(sample));
  const score = useScore(form);
  const watched = Form.useWatch('scores', form) as Record<string, number | null> | undefined;
  const done = sample?.check;
  const items = done ? done.items : (sheet.data?.items ?? []).map((i) => ({ ...i, points: i.maxPoints }));
  const max = done ? done.maxTotal : (sheet.data?.maxTotal ?? 0);
  const total = done
    ? done.total
    : items.reduce((sum, i) => sum + (Number(watched?.[i.key] ?? i.maxPoints) || 0), 0);
  return (
    <Drawer
      open={Boolean(sample)}
      onClose={onClose}
      title={t('quality.score.title')}
      size="large"
      destroyOnHidden
      extra={
        done ? null : (
          <Button
            type="primary"
            loading={score.isPending}
            data-testid="qa-submit"
            onClick={() => form.submit()}
          >
            {t('quality.score.submit')}
          </Button>
        )
      }
    >
      {sample ? (
        <Flex vertical gap={16}>
          <Descriptions size="small" column={1} bordered>
            <Descriptions.Item label={t('quality.column.subject')}>
              <Subject sample={sample} />
            </Descriptions.Item>
            <Descriptions.Item label={t('quality.column.agent')}>
              {sample.agent ? `${sample.agent.name}（${sample.agent.employeeNo}）` : '—'}
            </Descriptions.Item>
            <Descriptions.Item label={t('quality.column.reason')}>
              <Tag color={REASON_COLOR[sample.reason]}>{t(`quality.reason.${sample.reason}`)}</Tag>
            </Descriptions.Item>
          </Descriptions>
          {sheet.data && !done ? (
            <Typography.Text type="secondary">
              {t('quality.score.sheet', { name: sheet.data.name, version: sheet.data.version, max })}
            </Typography.Text>
          ) : null}
          <Form
            form={form}
            layout="vertical"
            disabled={Boolean(done)}
            initialValues={{
              scores: Object.fromEntries(items.map((i) => [i.key, i.points])),
              comment: done?.comment ?? '',
            }}
            key={`${sample.id}-${items.length}`}
            onFinish={(values) =>
              score.mutate(
                {
                  id: sample.id,
                  scores: values.scores,
                  ...(values.comment ? { comment: values.comment } : {}),
                },
                {
                  onSuccess: () => {
                    message.success(t('quality.score.saved'));
                    onClose();
                  },
                },
              )
            }
          >
            {items.map((item) => (
              <Form.Item
                key={item.key}
                name={['scores', item.key]}
                label={`${item.name}（${t('quality.score.maxLabel', { max: item.maxPoints })}）`}
                extra={item.deductions}
                rules={[{ required: true }]}
              >
                <InputNumber
                  min={0}
                  max={item.maxPoints}
                  step={0.5}
                  style={{ width: 160 }}
                  data-testid={`qa-score-${item.key}`}
                />
              </Form.Item>
            ))}
            <Form.Item name="comment" label={t('quality.score.comment')}>
              <Input.TextArea rows={3} maxLength={1000} showCount />
            </Form.Item>
          </Form>
          <Typography.Text strong data-testid="qa-total">
            {t('quality.score.total', { total, max })}
          </Typography.Text>
        </Flex>
      ) : null}
    </Drawer>
  );
}

function SamplesTab() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const me = useCurrentUser();
  const { communities, communityId } = useCommunity();
  // ?week=YYYY-MM-DD&communityId=…: a link to one week's sample
  const [params] = useSearchParams();
  const [week, setWeek] = useState<Dayjs>(() => {
    const given = dayjs(params.get('week') ?? '', 'YYYY-MM-DD', true);
    return given.isValid() ? given : dayjs();
  });
  const [picked, setPicked] = useState<string | undefined>(
    params.get('communityId') ?? communityId ?? communities[0]?.id,
  );
  const [status, setStatus] = useState<'pending' | 'scored' | undefined>();
  const [open, setOpen] = useState<QaSample | null>(null);
  const community = picked ?? communityId ?? communities[0]?.id;
  const draw = useDraw();
  const weekDate = week.format('YYYY-MM-DD');
  const drawn = useSamples({ week: weekDate, status, ...(community ? { communityId: community } : {}) });
  const canScore = hasAny(me.roles, QA_SCORERS);
  return (
    <Flex vertical gap={16}>
      <Card size="small">
        <Flex gap={12} wrap align="center">
          <DatePicker
            picker="week"
            value={week}
            onChange={(v) => v && setWeek(v)}
            allowClear={false}
            aria-label={t('quality.draw.week')}
            data-testid="qa-week"
          />
          <Select
            style={{ minWidth: 180 }}
            value={community}
            onChange={setPicked}
            aria-label={t('quality.draw.community')}
            options={communities.map((c) => ({ value: c.id, label: c.name }))}
          />
          <Button
            type="primary"
            loading={draw.isPending}
            data-testid="qa-draw"
            onClick={() => {
              if (!community) return void message.warning(t('quality.draw.pickCommunity'));
              draw.mutate(
                { week: weekDate, communityId: community },
                {
                  onSuccess: (r) =>
                    message.success(
                      r.added
                        ? t('quality.draw.done', { added: r.added, total: r.items.length })
                        : t('quality.draw.nothing', { total: r.items.length }),
                    ),
                },
              );
            }}
          >
            {t('quality.draw.button')}
          </Button>
          <Select
            style={{ minWidth: 120 }}
            value={status ?? 'all'}
            onChange={(v) => setStatus(v === 'all' ? undefined : (v as 'pending' | 'scored'))}
            aria-label={t('quality.filter.status')}
            options={[
              { value: 'all', label: t('quality.filter.all') },
              { value: 'pending', label: t('quality.status.pending') },
              { value: 'scored', label: t('quality.status.scored') },
            ]}
          />
        </Flex>
        <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
          {t('quality.draw.rule')}
        </Typography.Paragraph>
      </Card>
      <Table<QaSample>
        rowKey="id"
        size="middle"
        loading={drawn.isFetching}
        dataSource={drawn.data?.items ?? []}
        pagination={false}
        data-testid="qa-samples"
        columns={[
          { title: t('quality.column.subject'), render: (_, s) => <Subject sample={s} /> },
          { title: t('quality.column.at'), render: (_, s) => formatFull(s.subjectAt, t) },
          {
            title: t('quality.column.agent'),
            render: (_, s) => (s.agent ? `${s.agent.name}（${s.agent.employeeNo}）` : '—'),
          },
          {
            title: t('quality.column.reason'),
            render: (_, s) => <Tag color={REASON_COLOR[s.reason]}>{t(`quality.reason.${s.reason}`)}</Tag>,
          },
          {
            title: t('quality.column.status'),
            render: (_, s) => <Tag color={STATUS_COLOR[s.status]}>{t(`quality.status.${s.status}`)}</Tag>,
          },
          {
            title: t('quality.column.total'),
            render: (_, s) =>
              s.check ? t('quality.score.points', { points: s.check.total, max: s.check.maxTotal }) : '—',
          },
          {
            title: t('quality.column.action'),
            render: (_, s) =>
              s.status === 'pending' && canScore ? (
                <Button size="small" type="link" data-testid="qa-score" onClick={() => setOpen(s)}>
                  {t('quality.score.button')}
                </Button>
              ) : s.check ? (
                <Button size="small" type="link" onClick={() => setOpen(s)}>
                  {t('quality.score.view')}
                </Button>
              ) : null,
          },
        ]}
      />
      <ScoreDrawer sample={open} onClose={() => setOpen(null)} />
    </Flex>
  );
}

function ReportTab() {
  const { t } = useI18n();
  const { communityId } = useCommunity();
  const [month, setMonth] = useState<Dayjs>(() => dayjs());
  const report = useReport(month.format('YYYY-MM'), communityId);
  type Line = NonNullable<typeof report.data>['items'][number];
  return (
    <Flex vertical gap={16}>
      <DatePicker
        picker="month"
        value={month}
        onChange={(v) => v && setMonth(v)}
        allowClear={false}
        aria-label={t('quality.report.month')}
        style={{ width: 160 }}
      />
      <Table<Line>
        rowKey={(l) => l.agent.id}
        size="middle"
        loading={report.isFetching}
        dataSource={report.data?.items ?? []}
        pagination={false}
        data-testid="qa-report"
        columns={[
          { title: t('quality.report.agent'), render: (_, l) => `${l.agent.name}（${l.agent.employeeNo}）` },
          { title: t('quality.report.samples'), dataIndex: 'samples', align: 'right' },
          { title: t('quality.report.checked'), dataIndex: 'checked', align: 'right' },
          { title: t('quality.report.average'), align: 'right', render: (_, l) => l.averageTotal ?? '—' },
          {
            title: t('quality.report.lowest'),
            render: (_, l) =>
              l.lowestItem
                ? t('quality.report.lowestValue', {
                    name: l.lowestItem.name,
                    points: l.lowestItem.averagePoints,
                    max: l.lowestItem.maxPoints,
                  })
                : '—',
          },
          {
            title: t('quality.report.overrides'),
            align: 'right',
            render: (_, l) => (l.overrides ? <Tag color="orange">{l.overrides}</Tag> : 0),
          },
        ]}
      />
    </Flex>
  );
}

function MineTab() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const mine = useMyResults();
  const ack = useAck();
  const [open, setOpen] = useState<QaSample | null>(null);
  if (mine.data && mine.data.items.length === 0) return <EmptyState text={t('quality.mine.empty')} />;
  return (
    <>
      <Table<QaSample>
        rowKey="id"
        size="middle"
        loading={mine.isFetching}
        dataSource={mine.data?.items ?? []}
        pagination={false}
        data-testid="qa-mine"
        columns={[
          { title: t('quality.column.subject'), render: (_, s) => <Subject sample={s} /> },
          {
            title: t('quality.column.total'),
            render: (_, s) => (
              <Button type="link" size="small" onClick={() => setOpen(s)} data-testid="qa-mine-total">
                {t('quality.score.points', { points: s.check!.total, max: s.check!.maxTotal })}
              </Button>
            ),
          },
          { title: t('quality.score.comment'), render: (_, s) => s.check?.comment ?? '—' },
          {
            title: t('quality.column.checkedBy'),
            render: (_, s) => `${s.check!.checkedBy.name} · ${formatFull(s.check!.checkedAt, t)}`,
          },
          {
            title: t('quality.column.seen'),
            render: (_, s) =>
              s.check!.seenAt ? (
                <Typography.Text type="secondary">
                  {t('quality.mine.acked', { at: formatFull(s.check!.seenAt, t) })}
                </Typography.Text>
              ) : (
                <Button
                  size="small"
                  type="primary"
                  data-testid="qa-ack"
                  loading={ack.isPending}
                  onClick={() =>
                    ack.mutate(s.check!.id, { onSuccess: () => message.success(t('quality.mine.ackDone')) })
                  }
                >
                  {t('quality.mine.ack')}
                </Button>
              ),
          },
        ]}
      />
      <ScoreDrawer sample={open} onClose={() => setOpen(null)} />
    </>
  );
}

/** /quality (§6 R39): draw, score and report for the quality team and leaders; agents' own results. */
export function QualityPage() {
  const { t } = useI18n();
  const me = useCurrentUser();
  const manages = hasAny(me.roles, QA_MANAGERS);
  const hasOwn = hasAny(me.roles, QA_AGENTS);
  const tabs = [
    ...(manages
      ? [
          { key: 'samples', label: t('quality.tabs.samples'), children: <SamplesTab /> },
          { key: 'report', label: t('quality.tabs.report'), children: <ReportTab /> },
        ]
      : []),
    ...(hasOwn ? [{ key: 'mine', label: t('quality.tabs.mine'), children: <MineTab /> }] : []),
  ];
  return (
    <>
      <PageHeader title={manages ? t('quality.title') : t('quality.mineTitle')} />
      {tabs.length === 1 ? tabs[0]!.children : <Tabs items={tabs} destroyOnHidden />}
    </>
  );
}
