import {
  AlertOutlined,
  CheckCircleFilled,
  ClockCircleOutlined,
  FormOutlined,
  RightCircleFilled,
} from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  DatePicker,
  Descriptions,
  Flex,
  Form,
  Input,
  InputNumber,
  Radio,
  Tag,
  Typography,
  theme,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import type {
  EmergencyDetail,
  EmergencyLogBody,
  EmergencyLogEntry,
  EmergencyStep,
  IncidentReportBody,
  TicketDetail,
} from '../../../api/types';
import { EMERGENCY_LOG_ENTRIES } from '../../../api/types';
import { useI18n } from '../../../app/i18n';
import { useAccess } from '../../../app/session';
import { FormModal } from '../../../components/FormModal';
import { formatDuration, formatFull, formatWhen } from '../../../components/format';
import { useNow } from '../../../components/useNow';
import { ticketKey, useActionForm, useEmergencyLog, useIncidentReport } from '../queries';
import { personLabel } from './TicketHeader';

/** Steps logged once; the reassurance call is repeated until the people are freed. */
const TRAPPED_PHASE: readonly EmergencyLogEntry[] = [
  'contractor_called',
  'onsite_notified',
  'reassurance_call',
  'rescuers_arrived',
  'released',
];
/** What must be logged before each step (the server enforces the same order). */
const NEEDS: Partial<Record<EmergencyLogEntry, readonly EmergencyLogEntry[]>> = {
  rescuers_arrived: ['contractor_called'],
  released: ['contractor_called', 'rescuers_arrived'],
  lift_checked: ['released'],
};

interface LogValues {
  note?: string;
  at?: Dayjs | null;
  contractorName?: string;
  contractorPhone?: string;
  injuries?: boolean;
}

interface ReportValues {
  cause: string;
  duration?: number | null;
  actions: string;
  injuries: string;
  followUp: string;
}

const isLogEntry = (step: EmergencyStep): step is EmergencyLogEntry =>
  (EMERGENCY_LOG_ENTRIES as readonly string[]).includes(step);

/** The request body of a log entry from its form. */
export function toLogBody(entry: EmergencyLogEntry, values: LogValues): EmergencyLogBody {
  const note = values.note?.trim();
  return {
    entry,
    ...(note ? { note } : {}),
    ...(values.at ? { at: values.at.toISOString() } : {}),
    ...(entry === 'contractor_called' && values.contractorName?.trim()
      ? {
          contractor: {
            name: values.contractorName.trim(),
            ...(values.contractorPhone?.trim() ? { phone: values.contractorPhone.trim() } : {}),
          },
        }
      : {}),
    ...(entry === 'released' ? { injuries: values.injuries === true } : {}),
  };
}

/** Whether a step can be logged now, as the playbook orders it. */
function canLog(emergency: EmergencyDetail, entry: EmergencyLogEntry): boolean {
  const done = (step: EmergencyLogEntry) => emergency.log.some((item) => item.entry === step);
  if (emergency.releasedAt && TRAPPED_PHASE.includes(entry)) return false;
  if (entry !== 'reassurance_call' && done(entry)) return false;
  return (NEEDS[entry] ?? []).every(done);
}

/**
 * The server's clock decides when a reassurance call is overdue: when the due time passes on
 * screen, the ticket is asked for again (once per due time), and the warning comes with it.
 */
function useRecheckAt(ticketId: string, dueAt: string | null) {
  const queryClient = useQueryClient();
  useEffect(() => {
    if (!dueAt) return;
    const wait = Math.max(0, dayjs(dueAt).diff(dayjs())) + 1_000;
    const timer = window.setTimeout(
      () => void queryClient.invalidateQueries({ queryKey: ticketKey(ticketId) }),
      Math.min(wait, 2_147_000_000),
    );
    return () => window.clearTimeout(timer);
  }, [ticketId, dueAt, queryClient]);
}

/** The form of one log entry: what it needs (the contractor called, whether anyone was hurt). */
function LogFields({ entry }: { entry: EmergencyLogEntry }) {
  const { t } = useI18n();
  return (
    <>
      {entry === 'contractor_called' ? (
        <Flex gap={12}>
          <Form.Item
            name="contractorName"
            label={t('tickets.playbook.contractor')}
            style={{ flex: 2 }}
            rules={[
              {
                required: true,
                whitespace: true,
                message: t('common.required', { field: t('tickets.playbook.contractor') }),
              },
            ]}
          >
            <Input
              maxLength={100}
              placeholder={t('tickets.playbook.contractorPlaceholder')}
              data-testid="playbook-contractor"
            />
          </Form.Item>
          <Form.Item name="contractorPhone" label={t('tickets.playbook.contractorPhone')} style={{ flex: 1 }}>
            <Input maxLength={30} inputMode="tel" />
          </Form.Item>
        </Flex>
      ) : null}
      {entry === 'released' ? (
        <Form.Item
          name="injuries"
          label={t('tickets.playbook.injuries')}
          rules={[
            {
              required: true,
              message: t('common.requiredSelect', { field: t('tickets.playbook.injuries') }),
            },
          ]}
        >
          <Radio.Group
            optionType="button"
            options={[
              { value: false, label: t('tickets.playbook.noInjuries') },
              { value: true, label: t('tickets.playbook.someInjured') },
            ]}
          />
        </Form.Item>
      ) : null}
      <Form.Item name="at" label={t('tickets.playbook.at')} extra={t('tickets.playbook.atHint')}>
        <DatePicker
          showTime={{ format: 'HH:mm' }}
          format={t('time.fullFormat')}
          disabledDate={(day) => day.isAfter(dayjs(), 'day')}
          style={{ width: '100%' }}
        />
      </Form.Item>
      <Form.Item name="note" label={t('tickets.actionForm.note')}>
        <Input.TextArea autoSize={{ minRows: 2 }} maxLength={500} data-testid="playbook-note" />
      </Form.Item>
    </>
  );
}

/** The incident report's fields (R16). */
function ReportFields({ defaultMinutes }: { defaultMinutes: number | null }) {
  const { t } = useI18n();
  const required = (field: string) => [
    { required: true, whitespace: true, message: t('common.required', { field }) },
  ];
  return (
    <>
      <Form.Item
        name="cause"
        label={t('tickets.playbook.report.cause')}
        rules={required(t('tickets.playbook.report.cause'))}
      >
        <Input.TextArea autoSize={{ minRows: 2 }} maxLength={1000} />
      </Form.Item>
      <Form.Item
        name="duration"
        label={t('tickets.playbook.report.duration')}
        extra={
          defaultMinutes !== null
            ? t('tickets.playbook.report.durationHint', { minutes: defaultMinutes })
            : undefined
        }
      >
        <InputNumber min={0} max={10080} precision={0} style={{ width: '100%' }} />
      </Form.Item>
      <Form.Item
        name="actions"
        label={t('tickets.playbook.report.actions')}
        rules={required(t('tickets.playbook.report.actions'))}
      >
        <Input.TextArea autoSize={{ minRows: 2 }} maxLength={2000} />
      </Form.Item>
      <Form.Item
        name="injuries"
        label={t('tickets.playbook.report.injuries')}
        rules={required(t('tickets.playbook.report.injuries'))}
      >
        <Input.TextArea autoSize={{ minRows: 1 }} maxLength={1000} />
      </Form.Item>
      <Form.Item
        name="followUp"
        label={t('tickets.playbook.report.followUp')}
        rules={required(t('tickets.playbook.report.followUp'))}
      >
        <Input.TextArea autoSize={{ minRows: 2 }} maxLength={1000} />
      </Form.Item>
    </>
  );
}

/**
 * The emergency playbook (R16) of a person trapped in a lift: the facts, a running clock, the
 * checklist with the next step highlighted and a button to log each step, a warning whenever the
 * trapped people have not been spoken to in time, the log, and the incident report.
 */
export function EmergencyPanel({ ticket, emergency }: { ticket: TicketDetail; emergency: EmergencyDetail }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const { token } = theme.useToken();
  const access = useAccess();
  const now = useNow(1000);
  const [logForm] = Form.useForm<LogValues>();
  const [reportForm] = Form.useForm<ReportValues>();
  const log = useEmergencyLog(logForm);
  const report = useIncidentReport(reportForm);
  const quickLog = useEmergencyLog();
  const forms = useActionForm<EmergencyLogEntry | 'incident_report'>();
  const [confirmed, setConfirmed] = useState<string | null>(null);
  const canWrite = access.createTickets && ticket.status !== 'closed' && ticket.status !== 'cancelled';

  const stepLabel = (step: EmergencyStep) => t(`tickets.playbook.step.${step}`);
  const reportedAt = dayjs(emergency.reportedAt);
  const endedAt = emergency.releasedAt ? dayjs(emergency.releasedAt) : now;
  const trappedMinutes = Math.max(0, endedAt.diff(reportedAt, 'minute'));
  const dueAt = emergency.reassuranceDueAt ? dayjs(emergency.reassuranceDueAt) : null;
  const overdue = !emergency.releasedAt && emergency.reassuranceOverdue;
  useRecheckAt(ticket.id, overdue ? null : emergency.reassuranceDueAt);
  const nextStep: EmergencyStep | null =
    overdue && !emergency.releasedAt ? 'reassurance_call' : emergency.nextStep;
  const releaseMinutes = emergency.releasedAt
    ? Math.max(0, Math.round(dayjs(emergency.releasedAt).diff(reportedAt, 'minute', true)))
    : null;

  const done = (label: string) => {
    setConfirmed(label);
    void message.success(t('tickets.playbook.logged', { step: label }));
  };
  const reassure = () =>
    quickLog.mutate(
      { ticket, body: { entry: 'reassurance_call' } },
      { onSuccess: () => done(stepLabel('reassurance_call')) },
    );
  const open = (step: EmergencyStep) => {
    if (step === 'reassurance_call') reassure();
    else if (step === 'incident_report' || isLogEntry(step)) forms.show(step, ticket);
  };

  return (
    <section
      data-testid="emergency-panel"
      aria-label={t('tickets.playbook.title')}
      style={{
        border: `1px solid ${token.colorErrorBorder}`,
        borderInlineStart: `4px solid ${token.colorError}`,
        borderRadius: token.borderRadiusLG,
        padding: 12,
        background: token.colorErrorBg,
      }}
    >
      <Flex justify="space-between" align="start" gap={8} wrap>
        <Flex vertical gap={2}>
          <Typography.Text strong style={{ fontSize: 16, color: token.colorErrorText }}>
            <AlertOutlined aria-hidden /> {t('tickets.playbook.title')}
          </Typography.Text>
          <Typography.Text data-testid="emergency-facts">
            {t('tickets.playbook.facts', {
              lift: emergency.lift,
              floor: emergency.floor,
              people: emergency.people,
            })}
          </Typography.Text>
          {emergency.notes ? <Typography.Text type="secondary">{emergency.notes}</Typography.Text> : null}
        </Flex>
        <Flex vertical align="end" gap={2}>
          <Tag
            icon={<ClockCircleOutlined />}
            color={emergency.releasedAt ? 'default' : 'red'}
            style={{ marginInlineEnd: 0, fontSize: 14, padding: '2px 8px' }}
            data-testid="emergency-clock"
          >
            {emergency.releasedAt
              ? t('tickets.playbook.trappedFor', { duration: formatDuration(trappedMinutes, t) })
              : t('tickets.playbook.trappedSince', { duration: formatDuration(trappedMinutes, t) })}
          </Tag>
          <Typography.Text
            type="secondary"
            style={{ fontSize: 12 }}
            title={formatFull(emergency.reportedAt, t)}
          >
            {t('tickets.playbook.reportedAt', { when: formatWhen(emergency.reportedAt, t) })}
          </Typography.Text>
          {emergency.injuries !== null ? (
            <Tag color={emergency.injuries ? 'red' : 'green'} style={{ marginInlineEnd: 0 }}>
              {emergency.injuries ? t('tickets.playbook.someInjured') : t('tickets.playbook.noInjuries')}
            </Tag>
          ) : null}
        </Flex>
      </Flex>

      {overdue ? (
        <Alert
          type="error"
          showIcon
          style={{ marginTop: 12 }}
          data-testid="emergency-reassurance-overdue"
          title={t('tickets.playbook.reassuranceOverdue', {
            minutes: dueAt
              ? now.diff(dueAt.subtract(emergency.reassuranceIntervalMinutes, 'minute'), 'minute')
              : emergency.reassuranceIntervalMinutes,
          })}
          action={
            canWrite ? (
              <Button danger type="primary" size="small" loading={quickLog.isPending} onClick={reassure}>
                {t('tickets.playbook.reassureNow')}
              </Button>
            ) : null
          }
        />
      ) : !emergency.releasedAt && dueAt ? (
        <Typography.Text style={{ display: 'block', marginTop: 8 }} data-testid="emergency-reassurance-due">
          {dueAt.isAfter(now.add(1, 'minute'))
            ? t('tickets.playbook.reassuranceDue', {
                when: dueAt.format('HH:mm'),
                left: formatDuration(dueAt.diff(now, 'minute', true), t),
              })
            : t('tickets.playbook.reassuranceDueNow', { when: dueAt.format('HH:mm') })}
        </Typography.Text>
      ) : null}

      <ol style={{ listStyle: 'none', padding: 0, margin: '12px 0 0' }} data-testid="emergency-checklist">
        {emergency.checklist.map((item) => {
          const isNext = item.step === nextStep;
          const loggable =
            canWrite &&
            (item.step === 'incident_report'
              ? !!emergency.releasedAt && !emergency.report
              : isLogEntry(item.step) && canLog(emergency, item.step));
          return (
            <li
              key={item.step}
              data-testid={`emergency-step-${item.step}`}
              data-next={isNext || undefined}
              aria-current={isNext ? 'step' : undefined}
              style={{
                display: 'flex',
                alignItems: 'center',
                gap: 8,
                padding: '6px 8px',
                borderRadius: token.borderRadius,
                background: isNext ? token.colorBgContainer : undefined,
                outline: isNext ? `2px solid ${token.colorPrimary}` : undefined,
                marginBottom: 2,
              }}
            >
              {item.done ? (
                <CheckCircleFilled
                  style={{ color: token.colorSuccess }}
                  aria-label={t('tickets.playbook.done')}
                />
              ) : isNext ? (
                <RightCircleFilled
                  style={{ color: token.colorPrimary }}
                  aria-label={t('tickets.playbook.next')}
                />
              ) : (
                <span
                  aria-hidden
                  style={{
                    width: 14,
                    height: 14,
                    borderRadius: 7,
                    border: `1px solid ${token.colorBorder}`,
                    display: 'inline-block',
                  }}
                />
              )}
              <Typography.Text strong={isNext} style={{ flex: 1 }}>
                {stepLabel(item.step)}
                {item.step === 'reassurance_call' && item.count > 0 ? (
                  <Typography.Text type="secondary">
                    {' '}
                    {t('tickets.playbook.times', { count: item.count })}
                  </Typography.Text>
                ) : null}
              </Typography.Text>
              {item.at ? (
                <Typography.Text type="secondary" style={{ fontSize: 12 }} title={formatFull(item.at, t)}>
                  {formatWhen(item.at, t)}
                </Typography.Text>
              ) : null}
              {loggable ? (
                <Button
                  size="small"
                  type={isNext ? 'primary' : 'default'}
                  icon={item.step === 'incident_report' ? <FormOutlined /> : undefined}
                  loading={item.step === 'reassurance_call' && quickLog.isPending}
                  onClick={() => open(item.step)}
                  data-testid={`emergency-log-${item.step}`}
                >
                  {item.step === 'incident_report'
                    ? t('tickets.playbook.writeReport')
                    : t('tickets.playbook.log')}
                </Button>
              ) : null}
            </li>
          );
        })}
      </ol>
      {confirmed ? (
        <span className="visually-hidden" role="status">
          {confirmed}
        </span>
      ) : null}

      {emergency.log.length > 0 ? (
        <Flex vertical gap={4} style={{ marginTop: 8 }} data-testid="emergency-log">
          <Typography.Text type="secondary">{t('tickets.playbook.logTitle')}</Typography.Text>
          {[...emergency.log]
            .sort((a, b) => a.at.localeCompare(b.at))
            .map((item) => (
              <Typography.Text key={`${item.entry}-${item.loggedAt}`} style={{ fontSize: 13 }}>
                <Typography.Text type="secondary" title={formatFull(item.at, t)}>
                  {dayjs(item.at).format('HH:mm')}
                </Typography.Text>{' '}
                {stepLabel(item.entry)}
                {item.contractor
                  ? ` · ${item.contractor.name}${item.contractor.phone ? ` ${item.contractor.phone}` : ''}`
                  : ''}
                {item.injuries !== null
                  ? ` · ${item.injuries ? t('tickets.playbook.someInjured') : t('tickets.playbook.noInjuries')}`
                  : ''}
                {item.note ? ` · ${item.note}` : ''}
                {item.by ? (
                  <Typography.Text type="secondary">
                    {' '}
                    —{' '}
                    {item.by.employeeNo
                      ? personLabel({ name: item.by.name, employeeNo: item.by.employeeNo })
                      : item.by.name}
                  </Typography.Text>
                ) : null}
              </Typography.Text>
            ))}
        </Flex>
      ) : null}

      {emergency.report ? (
        <div style={{ marginTop: 12 }} data-testid="emergency-report">
          <Typography.Text strong>{t('tickets.playbook.report.title')}</Typography.Text>
          <Descriptions
            size="small"
            column={1}
            bordered
            style={{ marginTop: 4, background: token.colorBgContainer }}
            items={[
              { key: 'cause', label: t('tickets.playbook.report.cause'), children: emergency.report.cause },
              {
                key: 'duration',
                label: t('tickets.playbook.report.duration'),
                children: formatDuration(emergency.report.durationMinutes, t),
              },
              {
                key: 'actions',
                label: t('tickets.playbook.report.actions'),
                children: emergency.report.actions,
              },
              {
                key: 'injuries',
                label: t('tickets.playbook.report.injuries'),
                children: emergency.report.injuries,
              },
              {
                key: 'followUp',
                label: t('tickets.playbook.report.followUp'),
                children: emergency.report.followUp,
              },
            ]}
          />
        </div>
      ) : null}

      {forms.open && forms.open !== 'incident_report' ? (
        <FormModal<LogValues>
          open
          title={stepLabel(forms.open)}
          form={logForm}
          saving={log.isPending}
          okText={t('tickets.playbook.log')}
          onCancel={forms.hide}
          onSubmit={(values) => {
            const entry = forms.open as EmergencyLogEntry;
            log.mutate(
              { ticket: forms.seen ?? ticket, body: toLogBody(entry, values) },
              {
                onSuccess: () => {
                  forms.hide();
                  done(stepLabel(entry));
                },
                onError: forms.onError,
              },
            );
          }}
          testId={`playbook-form-${forms.open}`}
        >
          <LogFields entry={forms.open} />
        </FormModal>
      ) : null}
      {forms.open === 'incident_report' ? (
        <FormModal<ReportValues>
          open
          title={t('tickets.playbook.report.title')}
          form={reportForm}
          saving={report.isPending}
          okText={t('common.save')}
          initialValues={{
            injuries: emergency.injuries === false ? t('tickets.playbook.report.none') : undefined,
          }}
          onCancel={forms.hide}
          onSubmit={(values) => {
            const body: IncidentReportBody = {
              cause: values.cause.trim(),
              actions: values.actions.trim(),
              injuries: values.injuries.trim(),
              followUp: values.followUp.trim(),
              ...(typeof values.duration === 'number' ? { duration: values.duration } : {}),
            };
            report.mutate(
              { ticket: forms.seen ?? ticket, body },
              {
                onSuccess: () => {
                  forms.hide();
                  done(t('tickets.playbook.report.title'));
                },
                onError: forms.onError,
              },
            );
          }}
          testId="playbook-form-incident_report"
        >
          <ReportFields defaultMinutes={releaseMinutes} />
        </FormModal>
      ) : null}
    </section>
  );
}
