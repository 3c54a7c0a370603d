import { App, Button, DatePicker, Flex, Form, type FormInstance, Input, InputNumber, Select } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { TICKET_ACTIONS, type TicketAction, type TicketDetail, type TicketReport } from '../../../api/types';
import { useI18n } from '../../../app/i18n';
import { CheckedInput, CheckedTextArea } from '../../../components/CheckedTextArea';
import { FormModal } from '../../../components/FormModal';
import type { LanguageOverride } from '../../../components/languageApi';
import { useLanguageOverride } from '../../../components/useLanguageOverride';
import {
  type ActionCall,
  type SeenTicket,
  useActionForm,
  useDispatchTeams,
  useTicketAction,
} from '../queries';
import { ConfirmationFields, PriceItemsField } from './CompletionExtras';
import { type CompletionExtraValues, toConfirmation, toItems } from './completion';

/** Actions taken with one click: nothing to fill in. */
const ONE_CLICK: readonly TicketAction[] = ['grab', 'accept', 'arrive', 'start', 'resume'];
/** Actions whose only input is a reason. */
const REASONED: readonly TicketAction[] = ['decline', 'cancel', 'reopen', 'escalate'];
/** The way out of a ticket, shown as danger buttons. */
const DANGER: readonly TicketAction[] = ['cancel', 'decline'];
/** The value of the "put in the team pool" choice in the worker select. */
const POOL = '__pool__';

export interface ReportValues {
  cause: string;
  work: string;
  parts?: string;
  charge?: number | null;
  advice?: string;
}

interface ActionValues extends Partial<ReportValues>, CompletionExtraValues {
  teamId?: string;
  assigneeId?: string;
  reason?: string;
  nextStep?: string;
  eta?: Dayjs;
  reply?: string;
  note?: string;
}

const trimmed = (value: string | undefined) => {
  const text = value?.trim();
  return text ? text : undefined;
};

/**
 * The completion report (R10) as the server takes it: empty optional fields left out. Items
 * priced from the published list make the charge (the server totals them), so a typed charge is
 * then not sent.
 */
export function toReport(values: Partial<ReportValues> & CompletionExtraValues): TicketReport {
  const items = toItems(values);
  return {
    cause: values.cause?.trim() ?? '',
    work: values.work?.trim() ?? '',
    ...(trimmed(values.parts) ? { parts: trimmed(values.parts) } : {}),
    ...(items.length > 0 ? { items } : typeof values.charge === 'number' ? { charge: values.charge } : {}),
    ...(trimmed(values.advice) ? { advice: trimmed(values.advice) } : {}),
  };
}

/**
 * The completion report's fields (R10). With `priced`, the charge may instead come from items of
 * the published price list (PriceItemsField): the typed charge is then left empty. Without
 * `withCharge`, the charge is asked for elsewhere (the phone's completion screen prices by items).
 */
export function ReportFields({
  large = false,
  priced = false,
  withCharge = true,
}: {
  large?: boolean;
  priced?: boolean;
  withCharge?: boolean;
}) {
  const { t } = useI18n();
  const size = large ? 'large' : undefined;
  const required = (field: string) => [
    { required: true, whitespace: true, message: t('common.required', { field }) },
  ];
  return (
    <>
      <Form.Item
        name="cause"
        label={t('tickets.actionForm.cause')}
        rules={required(t('tickets.actionForm.cause'))}
      >
        <Input.TextArea autoSize={{ minRows: 2 }} maxLength={1000} data-testid="report-cause" />
      </Form.Item>
      <Form.Item
        name="work"
        label={t('tickets.actionForm.work')}
        rules={required(t('tickets.actionForm.work'))}
      >
        <CheckedTextArea autoSize={{ minRows: 2 }} maxLength={2000} data-testid="report-work" />
      </Form.Item>
      <Form.Item name="parts" label={t('tickets.actionForm.parts')}>
        <Input size={size} maxLength={1000} data-testid="report-parts" />
      </Form.Item>
      {withCharge && (
        <Form.Item
          name="charge"
          label={t('tickets.actionForm.charge')}
          extra={priced ? t('tickets.completion.chargeOrItems') : t('tickets.actionForm.chargeHint')}
        >
          <InputNumber
            size={size}
            min={0}
            max={1_000_000}
            precision={2}
            inputMode="decimal"
            style={{ width: '100%' }}
            data-testid="report-charge"
          />
        </Form.Item>
      )}
      <Form.Item name="advice" label={t('tickets.actionForm.advice')}>
        <CheckedTextArea autoSize={{ minRows: 2 }} maxLength={1000} data-testid="report-advice" />
      </Form.Item>
    </>
  );
}

/** Team, then a member of it or the team's grab pool (派单 / 转派). */
function AssignFields({ ticket, form }: { ticket: TicketDetail; form: FormInstance<ActionValues> }) {
  const { t } = useI18n();
  const teams = useDispatchTeams(ticket.communityId, true);
  const teamId = Form.useWatch('teamId', form);
  const team = teams.data?.find((candidate) => candidate.id === teamId);
  return (
    <>
      <Form.Item
        name="teamId"
        label={t('tickets.actionForm.team')}
        rules={[
          { required: true, message: t('common.requiredSelect', { field: t('tickets.actionForm.team') }) },
        ]}
        extra={teams.data && teams.data.length === 0 ? t('tickets.actionForm.noTeams') : undefined}
      >
        <Select
          data-testid="action-team"
          placeholder={t('tickets.actionForm.teamPlaceholder')}
          loading={teams.isLoading}
          showSearch={{ optionFilterProp: 'label' }}
          options={(teams.data ?? []).map((candidate) => ({ value: candidate.id, label: candidate.name }))}
          onChange={() => form.setFieldValue('assigneeId', POOL)}
        />
      </Form.Item>
      <Form.Item name="assigneeId" label={t('tickets.actionForm.assignee')}>
        <Select
          data-testid="action-assignee"
          disabled={!team}
          showSearch={{ optionFilterProp: 'label' }}
          options={[
            { value: POOL, label: t('tickets.actionForm.pool') },
            ...(team?.members ?? []).map((member) => ({
              value: member.id,
              label: `${member.name}（${member.employeeNo}）`,
            })),
          ]}
        />
      </Form.Item>
    </>
  );
}

/** With `checked`, the reason is told to the resident: its wording is checked (§6). */
function ReasonField({ required, checked = false }: { required: boolean; checked?: boolean }) {
  const { t } = useI18n();
  return (
    <Form.Item
      name="reason"
      label={t('tickets.actionForm.reason')}
      rules={
        required
          ? [
              {
                required: true,
                whitespace: true,
                message: t('common.required', { field: t('tickets.actionForm.reason') }),
              },
            ]
          : undefined
      }
    >
      <CheckedTextArea
        check={checked}
        autoSize={{ minRows: 2 }}
        maxLength={500}
        placeholder={t('tickets.actionForm.reasonPlaceholder')}
        data-testid="action-reason"
      />
    </Form.Item>
  );
}

/** 挂起 (R7): the reason, the next step and an ETA the resident is told. */
export function PendFields() {
  const { t } = useI18n();
  const required = (field: string) => [
    { required: true, whitespace: true, message: t('common.required', { field }) },
  ];
  return (
    <>
      <ReasonField required checked />
      <Form.Item
        name="nextStep"
        label={t('tickets.actionForm.nextStep')}
        rules={required(t('tickets.actionForm.nextStep'))}
      >
        <CheckedInput
          maxLength={500}
          placeholder={t('tickets.actionForm.nextStepPlaceholder')}
          data-testid="action-next-step"
        />
      </Form.Item>
      <Form.Item
        name="eta"
        label={t('tickets.actionForm.eta')}
        extra={t('tickets.actionForm.etaHint')}
        rules={[
          { required: true, message: t('common.requiredSelect', { field: t('tickets.actionForm.eta') }) },
          {
            validator: (_rule, value: Dayjs | undefined) =>
              !value || value.isAfter(dayjs())
                ? Promise.resolve()
                : Promise.reject(new Error(t('tickets.actionForm.etaPast'))),
          },
        ]}
      >
        <DatePicker
          showTime={{ format: 'HH:mm', minuteStep: 15 }}
          format={t('time.fullFormat')}
          disabledDate={(day) => day.isBefore(dayjs(), 'day')}
          style={{ width: '100%' }}
          data-testid="action-eta"
        />
      </Form.Item>
    </>
  );
}

/** The request body of an action from what its form holds, for the ticket as the user saw it. */
export function toCall(ticket: SeenTicket, action: TicketAction, values: ActionValues): ActionCall {
  const base = { ticket: { id: ticket.id, version: ticket.version } };
  const assigneeId = !values.assigneeId || values.assigneeId === POOL ? null : values.assigneeId;
  const reason = values.reason?.trim() ?? '';
  switch (action) {
    case 'dispatch':
      return { ...base, action, body: { teamId: values.teamId ?? '', assigneeId } };
    case 'reassign':
      return {
        ...base,
        action,
        body: { teamId: values.teamId ?? '', assigneeId, ...(reason ? { reason } : {}) },
      };
    case 'pend':
      return {
        ...base,
        action,
        body: { reason, nextStep: values.nextStep?.trim() ?? '', eta: (values.eta ?? dayjs()).toISOString() },
      };
    case 'complete': {
      const confirmation = toConfirmation(values);
      return {
        ...base,
        action,
        body: { report: toReport(values), ...(confirmation ? { confirmation } : {}) },
      };
    }
    case 'answer':
      return { ...base, action, body: { reply: values.reply?.trim() ?? '' } };
    case 'close':
      return { ...base, action, body: trimmed(values.note) ? { note: trimmed(values.note) } : {} };
    case 'decline':
    case 'cancel':
    case 'reopen':
    case 'escalate':
      return { ...base, action, body: { reason } };
    default:
      return { ...base, action, body: {} };
  }
}

/** The call with the agent's override of the service-language check (§6), when given. */
export function withOverride(call: ActionCall, languageOverride: LanguageOverride | undefined): ActionCall {
  return languageOverride ? ({ ...call, body: { ...call.body, languageOverride } } as ActionCall) : call;
}

function ActionFields({
  ticket,
  action,
  form,
}: {
  ticket: TicketDetail;
  action: TicketAction;
  form: FormInstance<ActionValues>;
}) {
  const { t } = useI18n();
  if (action === 'dispatch') return <AssignFields ticket={ticket} form={form} />;
  if (action === 'reassign')
    return (
      <>
        <AssignFields ticket={ticket} form={form} />
        <ReasonField required={false} />
      </>
    );
  if (action === 'pend') return <PendFields />;
  if (action === 'complete')
    return (
      <>
        <ReportFields priced={!!ticket.categoryId && ticket.paid} />
        <PriceItemsField categoryId={ticket.paid ? ticket.categoryId : null} />
        <ConfirmationFields ticket={ticket} />
      </>
    );
  if (REASONED.includes(action)) return <ReasonField required checked={action === 'cancel'} />;
  if (action === 'answer')
    return (
      <Form.Item
        name="reply"
        label={t('tickets.actionForm.reply')}
        rules={[
          {
            required: true,
            whitespace: true,
            message: t('common.required', { field: t('tickets.actionForm.reply') }),
          },
        ]}
      >
        <CheckedTextArea autoSize={{ minRows: 4 }} maxLength={2000} data-testid="action-reply" />
      </Form.Item>
    );
  return (
    <Form.Item name="note" label={t('tickets.actionForm.note')}>
      <Input.TextArea autoSize={{ minRows: 2 }} maxLength={500} data-testid="action-note" />
    </Form.Item>
  );
}

/**
 * The buttons for exactly the actions the server allows the current user (`allowedActions`), in
 * the order of the lifecycle. One-click steps go straight away; the others open a small form. Every
 * call carries the version the user saw: a conflict says who changed it and reloads the ticket.
 */
export function TicketActions({ ticket }: { ticket: TicketDetail }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<ActionValues>();
  // An open form survives live updates of the ticket (even one that leaves no action allowed).
  const actionForm = useActionForm<TicketAction>();
  const { open, seen } = actionForm;
  const run = useTicketAction({ form });
  const override = useLanguageOverride();
  const actions = TICKET_ACTIONS.filter((action) => ticket.allowedActions.includes(action));
  if (actions.length === 0 && !open) return null;

  const label = (action: TicketAction) => t(`tickets.action.${action}`);
  const submit = (
    action: TicketAction,
    values: ActionValues,
    as: SeenTicket = ticket,
    languageOverride?: LanguageOverride,
  ) =>
    run.mutate(withOverride(toCall(as, action, values), languageOverride), {
      onSuccess: () => {
        actionForm.hide();
        void message.success(t('tickets.action.done', { action: label(action) }));
      },
      onError: (error) => {
        // §6: a forbidden phrase is fixed, or sent anyway with a reason (the same request again)
        if (override.guard(error, (given) => submit(action, values, as, given))) return;
        actionForm.onError(error);
      },
    });

  return (
    <>
      {actions.length > 0 ? (
        <Flex gap={8} wrap data-testid="ticket-actions">
          {actions.map((action, index) => (
            <Button
              key={action}
              type={index === 0 ? 'primary' : 'default'}
              danger={DANGER.includes(action)}
              loading={run.isPending && run.variables?.action === action}
              disabled={run.isPending && run.variables?.action !== action}
              onClick={() =>
                ONE_CLICK.includes(action) ? submit(action, {}) : actionForm.show(action, ticket)
              }
              data-testid={`ticket-action-${action}`}
            >
              {label(action)}
            </Button>
          ))}
        </Flex>
      ) : null}
      {open ? (
        <FormModal<ActionValues>
          open
          title={label(open)}
          form={form}
          onCancel={actionForm.hide}
          onSubmit={(values) => submit(open, values, seen)}
          saving={run.isPending}
          okText={label(open)}
          initialValues={open === 'dispatch' || open === 'reassign' ? { assigneeId: POOL } : undefined}
          testId={`action-form-${open}`}
        >
          <ActionFields ticket={ticket} action={open} form={form} />
        </FormModal>
      ) : null}
      {override.element}
    </>
  );
}
