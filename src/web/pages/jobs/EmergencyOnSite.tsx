import { AlertOutlined } from '@ant-design/icons';
import { Alert, App, Button, Flex, Form, Input, Radio, Typography } from 'antd';
import type { EmergencyLogBody, EmergencyStep, TicketDetail } from '../../api/types';
import { useI18n } from '../../app/i18n';
import { FormModal } from '../../components/FormModal';
import { formatWhen } from '../../components/format';
import { useActionForm, useEmergencyLog } from '../tickets/queries';
import { BIG } from './JobSummary';
import { onSiteSteps } from './onSite';

interface ReleaseValues {
  injuries: boolean;
  note?: string;
}

/**
 * A lift entrapment on the phone of whoever was sent to the lift (R16): what is trapped where,
 * and a big button for each step that is theirs to log now (reassured, rescuers here, released,
 * lift checked). The release asks whether anyone was hurt. The desk's own next step is shown
 * so the guard knows what is awaited.
 */
export function EmergencyOnSite({ ticket }: { ticket: TicketDetail }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<ReleaseValues>();
  const log = useEmergencyLog(form);
  const release = useActionForm<'released'>();
  const emergency = ticket.emergency;
  if (!emergency) return null;
  const steps = onSiteSteps(emergency);
  const stepName = (step: EmergencyStep) => t(`tickets.playbook.step.${step}`);
  const deskNext =
    emergency.nextStep && !(steps as readonly EmergencyStep[]).includes(emergency.nextStep)
      ? emergency.nextStep
      : null;

  const write = (body: EmergencyLogBody, seen = ticket) =>
    log.mutate(
      { ticket: seen, body },
      {
        onSuccess: () => {
          release.hide();
          void message.success(t('jobs.emergency.logged', { step: stepName(body.entry) }));
        },
        onError: release.onError,
      },
    );

  return (
    <Alert
      type={emergency.releasedAt ? 'warning' : 'error'}
      data-testid="job-emergency"
      title={
        <Typography.Text strong>
          <AlertOutlined aria-hidden style={{ marginInlineEnd: 6 }} />
          {t('jobs.emergency.title')} ·{' '}
          {t('tickets.playbook.facts', {
            lift: emergency.lift,
            floor: emergency.floor,
            people: emergency.people,
          })}
        </Typography.Text>
      }
      description={
        <Flex vertical gap={8}>
          <Typography.Text>
            {emergency.releasedAt
              ? `${t('jobs.emergency.released')} ${formatWhen(emergency.releasedAt, t)}`
              : t('jobs.emergency.trapped')}
          </Typography.Text>
          {steps.map((step) => (
            <Button
              key={step}
              block
              type={step === 'reassurance_call' ? 'default' : 'primary'}
              danger={step === 'released'}
              style={BIG}
              loading={log.isPending && log.variables?.body.entry === step}
              onClick={() =>
                step === 'released' ? release.show('released', ticket) : write({ entry: step })
              }
              data-testid={`emergency-${step}`}
            >
              {step === 'released' ? t('jobs.emergency.release') : stepName(step)}
            </Button>
          ))}
          {deskNext ? (
            <Typography.Text type="secondary" data-testid="emergency-desk-next">
              {t('jobs.emergency.deskNext', { step: stepName(deskNext) })}
            </Typography.Text>
          ) : null}
          {release.open && release.seen ? (
            <FormModal<ReleaseValues>
              open
              title={t('jobs.emergency.release')}
              form={form}
              onCancel={release.hide}
              onSubmit={(values) =>
                write(
                  {
                    entry: 'released',
                    injuries: values.injuries,
                    ...(values.note?.trim() ? { note: values.note.trim() } : {}),
                  },
                  { ...ticket, ...release.seen },
                )
              }
              saving={log.isPending}
              okText={t('jobs.emergency.release')}
              testId="emergency-release-form"
            >
              <Form.Item
                name="injuries"
                label={t('jobs.emergency.injuries')}
                rules={[{ required: true, message: t('jobs.emergency.injuries') }]}
              >
                <Radio.Group
                  optionType="button"
                  buttonStyle="solid"
                  size="large"
                  options={[
                    { value: false, label: t('jobs.emergency.noInjuries') },
                    { value: true, label: t('jobs.emergency.someInjured') },
                  ]}
                  data-testid="emergency-injuries"
                />
              </Form.Item>
              <Form.Item name="note" label={t('jobs.emergency.note')}>
                <Input.TextArea autoSize={{ minRows: 2 }} maxLength={500} />
              </Form.Item>
            </FormModal>
          ) : null}
        </Flex>
      }
    />
  );
}
