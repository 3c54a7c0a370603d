import { SoundOutlined } from '@ant-design/icons';
import { Alert, App, Button, Drawer, Flex, Form, Input, Radio, Select, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { ApiError } from '../../../api/errors';
import {
  type Resident,
  TICKET_CHANNELS,
  TICKET_PRIORITIES,
  TICKET_TYPES,
  type Ticket,
  type TicketChannel,
  type TicketCreate,
  type TicketPriority,
  type TicketType,
} from '../../../api/types';
import { useCommunity } from '../../../app/community';
import { useI18n } from '../../../app/i18n';
import { isSaveShortcut } from '../../../components/hotkeys';
import { CommunityPicker, PublicAreaPicker, ResidentPicker, RoomPicker } from '../../../components/pickers';
import type { Picked } from '../../../components/SearchSelect';
import { newUuid } from '../../../components/uuid';
import { useCreateTicket } from '../queries';
import { addressOf, readBackSentence } from './readBack';

type LocationKind = 'room' | 'publicArea';
type ReporterKind = 'resident' | 'caller';

interface TicketForm {
  communityId?: string;
  type: TicketType;
  channel: TicketChannel;
  priority: TicketPriority;
  locationKind: LocationKind;
  // Named as the API fields, so the server's field errors land on them.
  roomId?: Picked;
  publicAreaId?: Picked;
  reporterKind: ReporterKind;
  residentId?: Picked;
  callerName?: string;
  callerPhone?: string;
  content?: string;
}

interface Prepared {
  body: TicketCreate;
  sentence: string;
}

const PHONE = /^[0-9+\-\s()]{5,20}$/;

function TicketCreateForm({
  onCreated,
  onCancel,
}: {
  onCreated: (ticket: Ticket) => void;
  onCancel: () => void;
}) {
  const { t, locale } = useI18n();
  const { message } = App.useApp();
  const { communityId: headerCommunity, communities } = useCommunity();
  const [form] = Form.useForm<TicketForm>();
  const create = useCreateTicket(form);
  // One key per opened form: a retried save (lost response, double click) cannot create a duplicate.
  const idempotencyKey = useRef(newUuid());
  const residents = useRef(new Map<string, Resident>());
  const [prepared, setPrepared] = useState<Prepared | null>(null);
  const confirmRef = useRef<HTMLButtonElement>(null);

  const communityId = Form.useWatch('communityId', form);
  const locationKind = Form.useWatch('locationKind', form);
  const reporterKind = Form.useWatch('reporterKind', form);

  const initialValues: Partial<TicketForm> = {
    communityId: headerCommunity ?? (communities.length === 1 ? communities[0]?.id : undefined),
    type: 'repair',
    channel: 'phone',
    priority: 'normal',
    locationKind: 'room',
    reporterKind: 'resident',
  };

  // Start where the agent types first: the room when the community is known, else the community.
  const firstField = initialValues.communityId ? 'roomId' : 'communityId';
  useEffect(() => {
    const timer = window.setTimeout(
      () => document.getElementById(`ticket-create_${firstField}`)?.focus(),
      200,
    );
    return () => window.clearTimeout(timer);
  }, [firstField]);

  const required = (field: string) => ({ required: true, message: t('common.required', { field }) });
  const requiredPick = (field: string) => ({
    required: true,
    message: t('common.requiredSelect', { field }),
  });

  const onResidentPicked = (picked: Picked | undefined, resident: Resident | undefined) => {
    if (!picked || !resident) return;
    residents.current.set(resident.id, resident);
    // A known resident brings their room: the agent does not have to look it up again.
    if (form.getFieldValue('locationKind') === 'room' && !form.getFieldValue('roomId')) {
      form.setFieldValue('roomId', { value: resident.roomId, label: resident.roomLabel });
    }
  };

  const prepare = async () => {
    let values: TicketForm;
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    if (!values.communityId || !values.content) return;
    const resident = values.reporterKind === 'resident' && values.residentId ? values.residentId : undefined;
    const residentRecord = resident ? residents.current.get(resident.value) : undefined;
    let location: string | null = null;
    const body: TicketCreate = {
      communityId: values.communityId,
      type: values.type,
      channel: values.channel,
      priority: values.priority,
      content: values.content.trim(),
    };
    if (values.locationKind === 'room' && values.roomId) {
      body.roomId = values.roomId.value;
      location = values.roomId.label;
    } else if (values.locationKind === 'publicArea' && values.publicAreaId) {
      body.publicAreaId = values.publicAreaId.value;
      location = values.publicAreaId.label;
    }
    if (resident) {
      body.residentId = resident.value;
    } else {
      body.callerName = values.callerName?.trim();
      body.callerPhone = values.callerPhone?.trim();
    }
    const typeLabel = t(`tickets.type.${values.type}`);
    const address = addressOf(
      resident
        ? {
            residentName: residentRecord?.name ?? resident.label,
            salutation: residentRecord?.salutation ?? null,
          }
        : { callerName: values.callerName },
      t,
    );
    setPrepared({
      body,
      sentence: readBackSentence({ address, location, content: body.content, typeLabel }, t),
    });
  };

  const save = () => {
    if (!prepared || create.isPending) return;
    create.mutate(
      { body: prepared.body, idempotencyKey: idempotencyKey.current },
      {
        onSuccess: (ticket) => {
          void message.success(t('tickets.form.created', { number: ticket.number }));
          onCreated(ticket);
        },
        onError: (error) => {
          // Nothing was created on a 4xx: the corrected form is a new submission with a new key.
          if (error instanceof ApiError && error.status >= 400 && error.status < 500)
            idempotencyKey.current = newUuid();
          setPrepared(null);
        },
      },
    );
  };

  // Ctrl+Enter: first to the read-back, then to save. The listener is on the window because fields
  // are disabled during the read-back and lose focus.
  const shortcut = useRef<() => void>(() => {});
  shortcut.current = () => (prepared ? save() : void prepare());
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (!isSaveShortcut(event)) return;
      event.preventDefault();
      shortcut.current();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);
  useEffect(() => {
    if (prepared) confirmRef.current?.focus();
  }, [prepared]);

  return (
    <div style={{ display: 'flex', flexDirection: 'column', height: '100%' }}>
      <div style={{ flex: 1, overflow: 'auto', padding: '16px 24px' }}>
        <Form<TicketForm>
          form={form}
          name="ticket-create"
          layout="vertical"
          initialValues={initialValues}
          disabled={prepared !== null || create.isPending}
          onValuesChange={(changed: Partial<TicketForm>) => {
            if ('communityId' in changed)
              form.setFieldsValue({ roomId: undefined, publicAreaId: undefined, residentId: undefined });
          }}
        >
          <Form.Item
            name="communityId"
            label={t('tickets.form.community')}
            rules={[requiredPick(t('tickets.form.community'))]}
          >
            <CommunityPicker data-testid="ticket-community" />
          </Form.Item>
          <Form.Item
            name="type"
            label={t('tickets.type.label')}
            rules={[requiredPick(t('tickets.type.label'))]}
          >
            <Radio.Group
              optionType="button"
              buttonStyle="solid"
              options={TICKET_TYPES.map((type) => ({ value: type, label: t(`tickets.type.${type}`) }))}
            />
          </Form.Item>
          <Flex gap={16} wrap>
            <Form.Item name="channel" label={t('tickets.channel.label')} style={{ minWidth: 160 }}>
              <Select
                options={TICKET_CHANNELS.map((channel) => ({
                  value: channel,
                  label: t(`tickets.channel.${channel}`),
                }))}
              />
            </Form.Item>
            <Form.Item name="priority" label={t('tickets.priority.label')}>
              <Radio.Group
                optionType="button"
                options={TICKET_PRIORITIES.map((priority) => ({
                  value: priority,
                  label: t(`tickets.priority.${priority}`),
                }))}
              />
            </Form.Item>
          </Flex>
          <Form.Item name="locationKind" label={t('tickets.form.locationKind')} style={{ marginBottom: 8 }}>
            <Radio.Group
              options={[
                { value: 'room', label: t('tickets.form.room') },
                { value: 'publicArea', label: t('tickets.form.publicArea') },
              ]}
            />
          </Form.Item>
          {locationKind === 'room' ? (
            <Form.Item
              name="roomId"
              label={t('tickets.form.room')}
              rules={[requiredPick(t('tickets.form.room'))]}
            >
              <RoomPicker communityId={communityId} data-testid="ticket-room" />
            </Form.Item>
          ) : null}
          {locationKind === 'publicArea' ? (
            <Form.Item
              name="publicAreaId"
              label={t('tickets.form.publicArea')}
              rules={[requiredPick(t('tickets.form.publicArea'))]}
            >
              <PublicAreaPicker communityId={communityId} />
            </Form.Item>
          ) : null}
          <Form.Item name="reporterKind" label={t('tickets.form.reporterKind')} style={{ marginBottom: 8 }}>
            <Radio.Group
              options={[
                { value: 'resident', label: t('tickets.form.resident') },
                { value: 'caller', label: t('tickets.form.caller') },
              ]}
            />
          </Form.Item>
          {reporterKind === 'resident' ? (
            <Form.Item
              name="residentId"
              label={t('tickets.form.resident')}
              rules={[requiredPick(t('tickets.form.resident'))]}
            >
              <ResidentPicker
                communityId={communityId}
                onChange={onResidentPicked}
                data-testid="ticket-resident"
              />
            </Form.Item>
          ) : (
            <Flex gap={16} wrap>
              <Form.Item
                name="callerName"
                label={t('tickets.form.callerName')}
                rules={[{ ...required(t('tickets.form.callerName')), whitespace: true }]}
                style={{ flex: '1 1 180px' }}
              >
                <Input placeholder={t('tickets.form.callerNamePlaceholder')} maxLength={50} />
              </Form.Item>
              <Form.Item
                name="callerPhone"
                label={t('tickets.form.callerPhone')}
                rules={[
                  required(t('tickets.form.callerPhone')),
                  { pattern: PHONE, message: t('tickets.form.phoneInvalid') },
                ]}
                style={{ flex: '1 1 180px' }}
              >
                <Input inputMode="tel" maxLength={20} />
              </Form.Item>
            </Flex>
          )}
          <Form.Item
            name="content"
            label={t('tickets.content')}
            rules={[{ ...required(t('tickets.content')), whitespace: true }]}
          >
            <Input.TextArea
              placeholder={t('tickets.form.contentPlaceholder')}
              autoSize={{ minRows: 3, maxRows: 8 }}
              maxLength={2000}
              showCount
              data-testid="ticket-content"
            />
          </Form.Item>
        </Form>
      </div>
      <div style={{ padding: '12px 24px', borderTop: '1px solid rgba(5, 5, 5, 0.06)' }}>
        {prepared ? (
          <Alert
            style={{ marginBottom: 12 }}
            type="info"
            showIcon
            icon={<SoundOutlined />}
            title={t('tickets.form.readBackTitle')}
            description={
              <>
                <Typography.Paragraph
                  className="readback-sentence"
                  strong
                  data-testid="ticket-readback"
                  lang={locale}
                >
                  {prepared.sentence}
                </Typography.Paragraph>
                <Typography.Text type="secondary">{t('tickets.form.readBackHint')}</Typography.Text>
              </>
            }
          />
        ) : null}
        <Flex justify="space-between" align="center" gap={8}>
          <Typography.Text type="secondary">
            {prepared ? t('tickets.form.confirmHint') : t('tickets.form.nextHint')}
          </Typography.Text>
          {prepared ? (
            <Flex gap={8}>
              <Button onClick={() => setPrepared(null)} disabled={create.isPending}>
                {t('tickets.form.backToEdit')}
              </Button>
              <Button
                type="primary"
                ref={confirmRef}
                onClick={save}
                loading={create.isPending}
                data-testid="ticket-confirm"
              >
                {t('tickets.form.confirmSave')}
              </Button>
            </Flex>
          ) : (
            <Flex gap={8}>
              <Button onClick={onCancel}>{t('common.cancel')}</Button>
              <Button type="primary" onClick={() => void prepare()} data-testid="ticket-next">
                {t('tickets.form.next')}
              </Button>
            </Flex>
          )}
        </Flex>
      </div>
    </div>
  );
}

export function TicketCreateDrawer({
  open,
  onClose,
  onCreated,
}: {
  open: boolean;
  onClose: () => void;
  onCreated: (ticket: Ticket) => void;
}) {
  const { t } = useI18n();
  return (
    <Drawer
      open={open}
      onClose={onClose}
      title={t('tickets.form.title')}
      size={640}
      destroyOnHidden
      styles={{ body: { padding: 0 } }}
    >
      <TicketCreateForm onCreated={onCreated} onCancel={onClose} />
    </Drawer>
  );
}
