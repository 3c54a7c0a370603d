import { PhoneOutlined } from '@ant-design/icons';
import {
  App,
  Button,
  Flex,
  Form,
  Input,
  Modal,
  Radio,
  Rate,
  Segmented,
  Select,
  Table,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { useCommunity } from '../../app/community';
import { useI18n } from '../../app/i18n';
import { useAccess, useCurrentUser } from '../../app/session';
import { EmptyState } from '../../components/EmptyState';
import { formatDuration, formatFull, formatWhen } from '../../components/format';
import { PageHeader } from '../../components/PageHeader';
import { useNow } from '../../components/useNow';
import {
  FOLLOWUP_CLOSERS,
  FollowupsTab,
  POLICY_READERS,
  POLICY_WRITERS,
  PoliciesTab,
} from './FollowupsAndPolicies';
import {
  type Outcome,
  useRevealPhone,
  useVisitAttempt,
  useVisitResult,
  useVisits,
  type VisitItem,
  type VisitQuery,
} from './queries';

type View = NonNullable<VisitQuery['view']>;
type Status = NonNullable<VisitQuery['status']>;
const DIMENSIONS = ['overall', 'speed', 'attitude', 'quality'] as const;
/** Who logs attempts and results (the server's VISITORS: the roles that may also reopen). */
const VISITORS = ['agent', 'supervisor', 'manager', 'admin'];

/** The time left to the visit's 3-day promise, green → red, following the server's clock. */
function Countdown({ visit, offsetMs }: { visit: VisitItem; offsetMs: number }) {
  const { t } = useI18n();
  const now = useNow(30_000);
  if (visit.remainingMs === null)
    return <Typography.Text type="secondary">{formatWhen(visit.dueAt, t)}</Typography.Text>;
  const left = Date.parse(visit.dueAt) - (now.valueOf() + offsetMs);
  const color = left < 0 ? 'red' : left < 12 * 3_600_000 ? 'orange' : 'green';
  return (
    <Tag color={color} title={formatFull(visit.dueAt, t)} data-testid="visit-countdown">
      {left < 0 ? t('visits.overdue') : formatDuration(left / 60_000, t)}
    </Tag>
  );
}

/** The number to call: masked until revealed (audited, R4), then a tel: link. */
function CallButton({ visit }: { visit: VisitItem }) {
  const { t } = useI18n();
  const access = useAccess();
  const reveal = useRevealPhone();
  const phone = reveal.data?.phones?.[0];
  if (!visit.phone) return null;
  if (phone)
    return (
      <a href={`tel:${phone}`} data-testid="visit-call">
        <PhoneOutlined /> {t('visits.call', { phone })}
      </a>
    );
  return (
    <Flex gap={6} align="center">
      <Typography.Text>{visit.phone}</Typography.Text>
      {visit.residentId && access.revealPhones ? (
        <Button size="small" loading={reveal.isPending} onClick={() => reveal.mutate(visit.residentId!)}>
          {t('visits.reveal')}
        </Button>
      ) : null}
    </Flex>
  );
}

/** The result of a visit that reached the resident: resolved or not, four ratings, a comment. */
function ResultModal({ visit, onClose }: { visit: VisitItem; onClose: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const save = useVisitResult(form);
  const scores = Form.useWatch([], form) as Record<string, number | undefined> | undefined;
  const poor = DIMENSIONS.some((d) => (scores?.[d] ?? 5) > 0 && (scores?.[d] ?? 5) <= 2);
  return (
    <Modal
      open
      title={t('visits.result.title', { number: visit.ticketNumber })}
      okText={t('visits.result.submit')}
      onCancel={onClose}
      confirmLoading={save.isPending}
      onOk={() => form.submit()}
      okButtonProps={{ 'data-testid': 'visit-result-submit' } as Record<`data-${string}`, string>}
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={{ resolved: true }}
        onFinish={(values: Record<string, unknown>) =>
          save.mutate(
            {
              id: visit.id,
              body: {
                version: visit.version,
                resolved: values.resolved as boolean,
                overall: values.overall as number,
                speed: values.speed as number,
                attitude: values.attitude as number,
                quality: values.quality as number,
                comment: (values.comment as string | undefined)?.trim() || null,
              },
            },
            {
              onSuccess: (saved) => {
                void message.success(
                  saved.ticketStatus === 'received' ? t('visits.result.reopened') : t('visits.result.saved'),
                );
                onClose();
              },
            },
          )
        }
      >
        <Form.Item name="resolved" label={t('visits.result.resolved')} extra={t('visits.result.noHint')}>
          <Radio.Group
            optionType="button"
            options={[
              { value: true, label: t('visits.result.yes') },
              { value: false, label: t('visits.result.no') },
            ]}
          />
        </Form.Item>
        {DIMENSIONS.map((d) => (
          <Form.Item
            key={d}
            name={d}
            label={t(`visits.dimension.${d}`)}
            rules={[{ required: true, message: t('visits.public.rateAll') }]}
          >
            <Rate data-testid={`visit-rate-${d}`} />
          </Form.Item>
        ))}
        {poor ? <Typography.Text type="warning">{t('visits.result.poor')}</Typography.Text> : null}
        <Form.Item name="comment" label={t('visits.result.comment')}>
          <Input.TextArea maxLength={1000} autoSize={{ minRows: 2, maxRows: 5 }} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function Actions({ visit, onResult }: { visit: VisitItem; onResult: () => void }) {
  const { t } = useI18n();
  const attempt = useVisitAttempt();
  const log = (outcome: Outcome) =>
    attempt.mutate({ id: visit.id, body: { version: visit.version, outcome } });
  if (visit.status === 'reached')
    return (
      <Button type="primary" size="small" onClick={onResult} data-testid="visit-result">
        {t('visits.result.open')}
      </Button>
    );
  if (visit.status !== 'open') return null;
  return (
    <Flex gap={4} wrap>
      {(['reached', 'no_answer', 'busy', 'refused'] as const).map((o) => (
        <Button
          key={o}
          size="small"
          type={o === 'reached' ? 'primary' : 'default'}
          loading={attempt.isPending && attempt.variables?.body.outcome === o}
          onClick={() => log(o)}
          data-testid={`visit-attempt-${o}`}
        >
          {t(`visits.outcome.${o}`)}
        </Button>
      ))}
    </Flex>
  );
}

/**
 * 回访 (R33, R24): the finished requests owed a return visit, the one due first on top, each with
 * its 3-day countdown, the number to call, the attempt buttons (retried on a schedule) and, once
 * the resident is reached, the result form with the four ratings.
 */
export function ReturnVisitsPage() {
  const { t } = useI18n();
  const me = useCurrentUser();
  const has = (roles: string[]) => me.roles.some((r) => roles.includes(r));
  // R34 R33: the supervisors' follow-ups of poor scores and the managers' visit policies
  const tabs = [
    ...(has(POLICY_READERS)
      ? [
          {
            key: 'followups',
            label: t('reports.followupsTab.tab'),
            children: <FollowupsTab canClose={has(FOLLOWUP_CLOSERS)} />,
          },
          {
            key: 'policies',
            label: t('reports.policies.tab'),
            children: <PoliciesTab canEdit={has(POLICY_WRITERS)} />,
          },
        ]
      : []),
  ];
  if (!tabs.length) return <VisitsQueue />;
  return (
    <Flex vertical gap={0}>
      <PageHeader title={t('visits.title')} />
      <Tabs
        items={[{ key: 'visits', label: t('reports.visitsTab'), children: <VisitsQueue bare /> }, ...tabs]}
      />
    </Flex>
  );
}

function VisitsQueue({ bare = false }: { bare?: boolean }) {
  const { t } = useI18n();
  const me = useCurrentUser();
  const canVisit = me.roles.some((r) => VISITORS.includes(r));
  const { communityId } = useCommunity();
  const [view, setView] = useState<View>(canVisit ? 'due' : 'all');
  const [status, setStatus] = useState<Status>('open');
  const [resulting, setResulting] = useState<VisitItem | null>(null);
  const { data, isLoading } = useVisits({ view, status, communityId, limit: 200 });
  const offsetMs = data?.offsetMs ?? 0;
  return (
    <Flex vertical gap={12}>
      {bare ? null : <PageHeader title={t('visits.title')} />}
      <Typography.Text type="secondary">{t('visits.subtitle')}</Typography.Text>
      <Flex gap={12} wrap>
        <Segmented<View>
          value={view}
          onChange={setView}
          options={(['due', 'mine', 'all'] as const).map((v) => ({ value: v, label: t(`visits.view.${v}`) }))}
        />
        <Select<Status>
          value={status}
          onChange={setStatus}
          style={{ width: 140 }}
          aria-label={t('visits.column.due')}
          options={(['open', 'finished', 'any'] as const).map((s) => ({
            value: s,
            label: t(`visits.statusFilter.${s}`),
          }))}
        />
      </Flex>
      <Table<VisitItem>
        rowKey="id"
        size="middle"
        loading={isLoading}
        dataSource={data?.items ?? []}
        pagination={false}
        locale={{ emptyText: <EmptyState text={t('visits.empty')} /> }}
        columns={[
          {
            key: 'ticket',
            title: t('visits.column.ticket'),
            render: (_, v) => (
              <Flex vertical gap={2}>
                <Flex gap={6} align="center">
                  <Link to={`/tickets/${v.ticketId}`}>{v.ticketNumber}</Link>
                  <Tag>{t(`visits.kind.${v.kind}`)}</Tag>
                </Flex>
                <Typography.Text>{v.work ?? v.content}</Typography.Text>
                {v.worker ? (
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {t('visits.worker', { name: v.worker.name, no: v.worker.employeeNo })}
                  </Typography.Text>
                ) : null}
              </Flex>
            ),
          },
          {
            key: 'resident',
            title: t('visits.column.resident'),
            render: (_, v) => (
              <Flex vertical gap={2}>
                <Typography.Text strong>{v.residentName ?? '—'}</Typography.Text>
                <CallButton visit={v} />
              </Flex>
            ),
          },
          {
            key: 'due',
            title: t('visits.column.due'),
            render: (_, v) => <Countdown visit={v} offsetMs={offsetMs} />,
          },
          {
            key: 'attempts',
            title: t('visits.column.attempts'),
            render: (_, v) => (
              <Flex vertical gap={2}>
                <Tag color={v.status === 'done' ? 'green' : v.status === 'reached' ? 'blue' : 'default'}>
                  {t(`visits.status.${v.status}`)}
                  {v.closeReason ? ` · ${t(`visits.closeReason.${v.closeReason}`)}` : ''}
                </Tag>
                {v.attempts ? (
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {t('visits.attempts', { count: v.attempts })}
                    {v.lastOutcome ? ` · ${t(`visits.outcome.${v.lastOutcome}`)}` : ''}
                  </Typography.Text>
                ) : null}
                {v.nextAttemptAt && v.status === 'open' ? (
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {t('visits.nextAttempt', { when: formatWhen(v.nextAttemptAt, t) })}
                  </Typography.Text>
                ) : null}
                {v.rating ? (
                  <Typography.Text style={{ fontSize: 12 }} data-testid="visit-score">
                    {DIMENSIONS.map((d) => `${t(`visits.dimension.${d}`)} ${v.rating![d]}`).join(' · ')}
                  </Typography.Text>
                ) : null}
              </Flex>
            ),
          },
          {
            key: 'assignee',
            title: t('visits.column.assignee'),
            render: (_, v) =>
              v.assignee ? (
                v.assignee.name
              ) : (
                <Typography.Text type="secondary">{t('visits.unassigned')}</Typography.Text>
              ),
          },
          ...(canVisit
            ? [
                {
                  key: 'actions',
                  title: t('visits.column.actions'),
                  render: (_: unknown, v: VisitItem) => (
                    <Actions visit={v} onResult={() => setResulting(v)} />
                  ),
                },
              ]
            : []),
        ]}
      />
      {resulting ? <ResultModal visit={resulting} onClose={() => setResulting(null)} /> : null}
    </Flex>
  );
}
