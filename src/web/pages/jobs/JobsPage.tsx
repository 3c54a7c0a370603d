import { EnvironmentOutlined, LogoutOutlined, ReloadOutlined, UserOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Drawer, Flex, Form, Input, Segmented, Skeleton, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { ApiError, reportError } from '../../api/errors';
import type { Ticket, TicketAction, TicketDetail } from '../../api/types';
import { useI18n } from '../../app/i18n';
import { useCurrentUser, useLogout } from '../../app/session';
import { LoadMore } from '../../components/cursorList';
import { EmptyState } from '../../components/EmptyState';
import { FormModal } from '../../components/FormModal';
import { formatWhen } from '../../components/format';
import {
  PendFields,
  ReportFields,
  type ReportValues,
  toCall,
  toReport,
} from '../tickets/detail/TicketActions';
import {
  type SeenTicket,
  useActionForm,
  useTicket,
  useTicketAction,
  useTicketList,
} from '../tickets/queries';
import { PriorityTag, StatusTag, TypeTag } from '../tickets/tags';

type Tab = 'mine' | 'pool';
/** The one next step of a job, in the order of the work (UX.md: 接单 → 到场 → 开始 → 完成). */
const NEXT_STEPS: readonly TicketAction[] = ['accept', 'arrive', 'start', 'complete', 'resume'];
const FINISHED = new Set(['closed', 'cancelled']);
/** Buttons a thumb can hit (UX.md: large buttons at thumb height). */
const BIG = { height: 52, fontSize: 18 } as const;

function where(ticket: Ticket): string {
  return ticket.roomLabel ?? ticket.publicAreaName ?? '—';
}

function JobSummary({ ticket }: { ticket: Ticket }) {
  const { t } = useI18n();
  const resident = ticket.residentName ?? ticket.callerName;
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
        {resident ? (
          <Typography.Text type="secondary">
            <UserOutlined aria-hidden style={{ marginInlineEnd: 4 }} />
            {resident}
          </Typography.Text>
        ) : null}
        <Typography.Text type="secondary" style={{ marginInlineStart: 'auto' }}>
          {formatWhen(ticket.createdAt, t)}
        </Typography.Text>
      </Flex>
      {ticket.status === 'pending' && ticket.pending ? (
        <Typography.Text type="warning">
          {ticket.pending.reason} · {t('tickets.header.eta', { when: formatWhen(ticket.pending.eta, t) })}
        </Typography.Text>
      ) : null}
    </Flex>
  );
}

/** The completion report, full screen on the phone (R10), sent with the version `seen`. */
function ReportScreen({
  ticket,
  seen,
  onClose,
  onError,
}: {
  ticket: TicketDetail;
  seen: SeenTicket;
  onClose: () => void;
  onError: (error: Error) => void;
}) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<ReportValues>();
  const run = useTicketAction({ form });
  return (
    <Drawer
      open
      placement="bottom"
      size="100%"
      title={t('jobs.reportTitle')}
      onClose={onClose}
      destroyOnHidden
      footer={
        <Button
          type="primary"
          block
          style={BIG}
          loading={run.isPending}
          onClick={() => form.submit()}
          data-testid="report-submit"
        >
          {t('jobs.submitReport')}
        </Button>
      }
    >
      <Typography.Paragraph type="secondary">
        {where(ticket)} · {ticket.content}
      </Typography.Paragraph>
      <Form<ReportValues>
        form={form}
        layout="vertical"
        size="large"
        onFinish={(values) =>
          run.mutate(
            { ticket: seen, action: 'complete', body: { report: toReport(values) } },
            {
              onSuccess: () => {
                onClose();
                void message.success(t('tickets.action.done', { action: t('tickets.action.complete') }));
              },
              onError,
            },
          )
        }
      >
        <ReportFields large />
      </Form>
    </Drawer>
  );
}

type JobForm = 'complete' | 'decline' | 'pend';

/**
 * One of my jobs: its next step as one big button, then 退单 and 挂起. While one of its forms is
 * open the card says so (`onBusy`), so that a live update taking the job off the list keeps it.
 */
function MyJobCard({ job, onBusy }: { job: Ticket; onBusy: (job: Ticket, busy: boolean) => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const { data: ticket } = useTicket(job.id);
  const [form] = Form.useForm();
  const run = useTicketAction({ form });
  const actionForm = useActionForm<JobForm>();
  const { open, seen } = actionForm;
  const busy = open !== null;
  useEffect(() => {
    if (!busy) return;
    onBusy(job, true);
    return () => onBusy(job, false);
  }, [busy, job, onBusy]);
  const allowed = ticket?.allowedActions ?? [];
  const next = NEXT_STEPS.find((action) => allowed.includes(action));
  const label = (action: TicketAction) => t(`tickets.action.${action}`);

  const act = (action: TicketAction, values: object = {}, as: SeenTicket | undefined = ticket) => {
    if (!as) return;
    run.mutate(toCall(as, action, values), {
      onSuccess: () => {
        actionForm.hide();
        void message.success(t('tickets.action.done', { action: label(action) }));
      },
      onError: actionForm.onError,
    });
  };
  const show = (key: JobForm) => ticket && actionForm.show(key, ticket);

  return (
    <Card data-testid={`job-${job.number}`} styles={{ body: { padding: 16 } }}>
      <Flex vertical gap={12}>
        <JobSummary ticket={ticket ?? job} />
        {!ticket ? (
          <Skeleton.Button active block style={BIG} />
        ) : (
          <>
            {next ? (
              <Button
                type="primary"
                block
                style={BIG}
                loading={run.isPending && run.variables?.action === next}
                onClick={() => (next === 'complete' ? show('complete') : act(next))}
                data-testid={`job-action-${next}`}
              >
                {label(next)}
              </Button>
            ) : null}
            {allowed.includes('decline') || allowed.includes('pend') ? (
              <Flex gap={8}>
                {allowed.includes('pend') ? (
                  <Button block size="large" onClick={() => show('pend')} data-testid="job-action-pend">
                    {label('pend')}
                  </Button>
                ) : null}
                {allowed.includes('decline') ? (
                  <Button
                    block
                    size="large"
                    danger
                    onClick={() => show('decline')}
                    data-testid="job-action-decline"
                  >
                    {label('decline')}
                  </Button>
                ) : null}
              </Flex>
            ) : null}
          </>
        )}
      </Flex>
      {ticket && seen && open === 'complete' ? (
        <ReportScreen ticket={ticket} seen={seen} onClose={actionForm.hide} onError={actionForm.onError} />
      ) : null}
      {ticket && seen && (open === 'decline' || open === 'pend') ? (
        <FormModal
          open
          title={label(open)}
          form={form}
          onCancel={actionForm.hide}
          onSubmit={(values) => act(open, values, seen)}
          saving={run.isPending}
          okText={label(open)}
          testId={`job-form-${open}`}
        >
          {open === 'pend' ? (
            <PendFields />
          ) : (
            <Form.Item
              name="reason"
              label={t('tickets.actionForm.reason')}
              rules={[
                {
                  required: true,
                  whitespace: true,
                  message: t('common.required', { field: t('tickets.actionForm.reason') }),
                },
              ]}
            >
              <Input.TextArea
                autoSize={{ minRows: 3 }}
                maxLength={500}
                placeholder={t('tickets.actionForm.reasonPlaceholder')}
                data-testid="action-reason"
              />
            </Form.Item>
          )}
        </FormModal>
      ) : null}
    </Card>
  );
}

/** A job waiting in my team's pool: 抢单; a lost race says so on the card. */
function PoolJobCard({ job }: { job: Ticket }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const run = useTicketAction({ silent: true });
  const [lost, setLost] = useState(false);
  return (
    <Card data-testid={`pool-${job.number}`} styles={{ body: { padding: 16 } }}>
      <Flex vertical gap={12}>
        <JobSummary ticket={job} />
        {lost ? (
          <Alert type="warning" showIcon title={t('jobs.alreadyTaken')} data-testid="pool-lost" />
        ) : (
          <Button
            type="primary"
            block
            style={BIG}
            loading={run.isPending}
            onClick={() =>
              run.mutate(
                { ticket: job, action: 'grab', body: {} },
                {
                  onSuccess: () => void message.success(t('jobs.grabbed')),
                  onError: (error) => {
                    if (error instanceof ApiError && error.code === 'ALREADY_TAKEN') setLost(true);
                    else reportError(error);
                  },
                },
              )
            }
            data-testid="pool-grab"
          >
            {t('tickets.action.grab')}
          </Button>
        )}
      </Flex>
    </Card>
  );
}

/**
 * The field staff's phone (UX.md, 375 px): one column, one job per card, the next step as a big
 * button at thumb height. 我的工单 = assigned to me; 抢单池 = my teams' jobs nobody has taken yet.
 */
export function JobsPage() {
  const { t } = useI18n();
  const me = useCurrentUser();
  const logout = useLogout();
  const [tab, setTab] = useState<Tab>('mine');
  const list = useTicketList({ view: tab === 'mine' ? 'mine' : 'team' });
  // Jobs with a form open stay on the page when a live update takes them off the list: the
  // technician keeps what was typed, and the server says on sending if the job was taken away.
  const [busy, setBusy] = useState<ReadonlyMap<string, Ticket>>(new Map());
  const onBusy = useCallback((job: Ticket, isBusy: boolean) => {
    setBusy((current) => {
      const next = new Map(current);
      if (isBusy) next.set(job.id, job);
      else next.delete(job.id);
      return next;
    });
  }, []);
  const listed = list.items.filter((job) =>
    tab === 'mine' ? !FINISHED.has(job.status) : !job.assignee && !!job.teamId && job.status === 'dispatched',
  );
  const jobs =
    tab === 'mine'
      ? [...listed, ...[...busy.values()].filter((job) => !listed.some((shown) => shown.id === job.id))]
      : listed;

  return (
    <Flex vertical style={{ maxWidth: 480, margin: '0 auto', minHeight: '100vh' }} data-testid="jobs-page">
      <Flex
        justify="space-between"
        align="center"
        style={{ padding: '12px 16px', position: 'sticky', top: 0, zIndex: 2, background: 'inherit' }}
      >
        <Flex vertical>
          <Typography.Title level={4} style={{ margin: 0 }}>
            {t('jobs.title')}
          </Typography.Title>
          <Typography.Text type="secondary">
            {me.name}（{me.employeeNo}）
          </Typography.Text>
        </Flex>
        <Flex gap={4}>
          <Button
            type="text"
            size="large"
            icon={<ReloadOutlined />}
            aria-label={t('jobs.refresh')}
            loading={list.isFetching && !list.isLoading}
            onClick={() => void list.refetch()}
          />
          <Button
            type="text"
            size="large"
            icon={<LogoutOutlined />}
            aria-label={t('jobs.logout')}
            onClick={() => logout.mutate()}
          />
        </Flex>
      </Flex>
      <div style={{ padding: '0 16px 12px' }}>
        <Segmented<Tab>
          block
          size="large"
          value={tab}
          onChange={setTab}
          data-testid="jobs-tabs"
          options={[
            { value: 'mine', label: t('jobs.mine') },
            { value: 'pool', label: t('jobs.pool') },
          ]}
        />
      </div>
      <Flex vertical gap={12} style={{ padding: '0 16px 24px' }}>
        {list.isLoading ? (
          <Skeleton active paragraph={{ rows: 6 }} />
        ) : jobs.length === 0 ? (
          <EmptyState text={tab === 'mine' ? t('jobs.emptyMine') : t('jobs.emptyPool')} />
        ) : (
          jobs.map((job) =>
            tab === 'mine' ? (
              <MyJobCard key={job.id} job={job} onBusy={onBusy} />
            ) : (
              <PoolJobCard key={job.id} job={job} />
            ),
          )
        )}
        <LoadMore
          count={list.items.length}
          hasNextPage={list.hasNextPage}
          isFetchingNextPage={list.isFetchingNextPage}
          fetchNextPage={list.fetchNextPage}
        />
      </Flex>
    </Flex>
  );
}
