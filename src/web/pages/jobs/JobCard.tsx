import { WifiOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Flex, Form, Input, Skeleton } from 'antd';
import { useEffect, useState } from 'react';
import { ApiError, reportError } from '../../api/errors';
import type { Ticket, TicketAction, TicketStatus } from '../../api/types';
import { useI18n } from '../../app/i18n';
import { FormModal } from '../../components/FormModal';
import { useLanguageOverride } from '../../components/useLanguageOverride';
import { PendFields, toCall, withOverride } from '../tickets/detail/TicketActions';
import {
  type ActionCall,
  type SeenTicket,
  useActionForm,
  useTicket,
  useTicketAction,
} from '../tickets/queries';
import { CompletionScreen } from './CompletionScreen';
import { EmergencyOnSite } from './EmergencyOnSite';
import { BIG, JobSummary } from './JobSummary';
import { PhotoStrip } from './PhotoStrip';
import { usePhotoUploads } from './uploads';

/** The one next step of a job, in the order of the work (UX.md: 接单 → 到场 → 开始 → 完成). */
const NEXT_STEPS: readonly TicketAction[] = ['accept', 'arrive', 'start', 'complete', 'resume'];
/** Steps taken with one tap: on a poor connection they are sent again by themselves. */
const ONE_TAP: readonly TicketAction[] = ['accept', 'arrive', 'start', 'resume'];
/** Where the 处理前 photos are taken: on site before 开始, and during the work for a forgotten one. */
const BEFORE_PHOTOS: readonly TicketStatus[] = ['on_site', 'in_progress'];

type JobForm = 'complete' | 'decline' | 'pend';

/**
 * One of my jobs: its next step as one big button, then 退单 and 挂起; the 处理前 photos once on
 * site; the lift-entrapment steps on an emergency. A step that could not be sent for want of a
 * network says so on the card and goes again when the phone is back online. While one of its
 * forms is open the card says so (`onBusy`), so that a live update taking the job off the list
 * keeps it.
 */
export function MyJobCard({ job, onBusy }: { job: Ticket; onBusy: (job: Ticket, busy: boolean) => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const { data: ticket } = useTicket(job.id);
  const [form] = Form.useForm();
  const run = useTicketAction({ form });
  const actionForm = useActionForm<JobForm>();
  const override = useLanguageOverride();
  const before = usePhotoUploads(job.id, 'photo_before');
  const [unsent, setUnsent] = useState<ActionCall | null>(null);
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

  const send = (call: ActionCall) => {
    setUnsent(null);
    run.mutate(call, {
      onSuccess: () => {
        actionForm.hide();
        void message.success(t('tickets.action.done', { action: label(call.action) }));
      },
      onError: (error) => {
        // §6: a pend reason with a forbidden phrase is fixed, or sent anyway with a reason
        if (override.guard(error, (given) => send(withOverride(call, given)))) return;
        if (error instanceof ApiError && error.status === 0 && ONE_TAP.includes(call.action)) setUnsent(call);
        actionForm.onError(error);
      },
    });
  };
  const act = (action: TicketAction, values: object = {}, as: SeenTicket | undefined = ticket) => {
    if (as) send(toCall(as, action, values));
  };
  const show = (key: JobForm) => ticket && actionForm.show(key, ticket);

  // back online: send the step that did not go out (with the version it was meant for)
  useEffect(() => {
    if (!unsent) return;
    const resend = () => send(unsent);
    window.addEventListener('online', resend);
    return () => window.removeEventListener('online', resend);
  });

  return (
    <Card data-testid={`job-${job.number}`} styles={{ body: { padding: 16 } }}>
      <Flex vertical gap={12}>
        <JobSummary ticket={ticket ?? job} />
        {ticket?.emergency ? <EmergencyOnSite ticket={ticket} /> : null}
        {ticket && BEFORE_PHOTOS.includes(ticket.status) ? (
          <PhotoStrip
            ticketId={ticket.id}
            kind="photo_before"
            uploads={before}
            label={t('jobs.photos.before')}
            hint={ticket.status === 'on_site' ? t('jobs.photos.beforeHint') : undefined}
            testId="photos-before"
          />
        ) : null}
        {unsent ? (
          <Alert
            type="warning"
            showIcon
            icon={<WifiOutlined />}
            title={t('jobs.offline.actionFailed', { action: label(unsent.action) })}
            action={
              <Button size="large" onClick={() => send(unsent)} data-testid="job-resend">
                {t('jobs.offline.resend')}
              </Button>
            }
            data-testid="job-unsent"
          />
        ) : null}
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
        <CompletionScreen
          ticket={ticket}
          seen={seen}
          onClose={actionForm.hide}
          onError={actionForm.onError}
        />
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
      {override.element}
    </Card>
  );
}

/** A job waiting in my team's pool: 抢单; a lost race says so on the card. */
export function PoolJobCard({ job }: { job: Ticket }) {
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
