import { SoundOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Drawer,
  Flex,
  Form,
  Input,
  InputNumber,
  type InputRef,
  Radio,
  type RefSelectProps,
  Select,
  Switch,
  Typography,
} from 'antd';
import { useEffect, useMemo, useRef, useState } from 'react';
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
import { formatWindow } from '../../../components/format';
import { isSaveShortcut } from '../../../components/hotkeys';
import { CommunityPicker, PublicAreaPicker, ResidentPicker, RoomPicker } from '../../../components/pickers';
import { matchesTyped, usePinyinKeys } from '../../../components/pinyin';
import type { Picked } from '../../../components/SearchSelect';
import { newUuid } from '../../../components/uuid';
import { ResidentCardDrawer } from '../../residents/card/ResidentCardDrawer';
import { type CategoryChoice, CategorySelect, categoryChoices, useCategories } from '../categories';
import { useCreateTicket } from '../queries';
import { AppointmentPicker, type AppointmentWindow } from './AppointmentPicker';
import { CallerLookup, type LookupPick } from './CallerLookup';
import { IntakeResidentCard } from './IntakeResidentCard';
import { addressOf, readBackSentence } from './readBack';
import { type SimilarQuery, SimilarTickets } from './SimilarTickets';

type LocationKind = 'room' | 'publicArea';
type ReporterKind = 'resident' | 'caller';

/** The lift-entrapment playbook's first facts (R16). */
interface EntrapmentValues {
  lift?: string;
  floor?: string;
  people?: number | null;
  notes?: string;
}

interface TicketForm {
  communityId?: string;
  type: TicketType;
  categoryId?: string | null;
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
  paid?: boolean;
  appointment?: AppointmentWindow | null;
  externalRef?: string;
  emergency?: EntrapmentValues;
}

interface Prepared {
  body: TicketCreate;
  sentence: string;
}

const PHONE = /^[0-9+\-\s()]{5,20}$/;
/** The category of a person trapped in a lift: it is always an emergency (R16). */
const ENTRAPMENT_CODE = 'entrapment';
const FIELD = (name: string) => `ticket-create_${name}`;

/**
 * Focus a field once the current key press has been handled and the field is on screen (a field
 * that appears with the change, like the caller's name, needs a render or two).
 */
function focusSoon(target: string | { focus: () => void } | null | undefined, tries = 10) {
  window.setTimeout(() => {
    if (!target) return;
    if (typeof target !== 'string') {
      target.focus();
      return;
    }
    const element = document.getElementById(target);
    if (element) element.focus();
    else if (tries > 0) focusSoon(target, tries - 1);
  }, 30);
}

const trimmedOrUndefined = (value: string | undefined) => {
  const text = value?.trim();
  return text ? text : undefined;
};

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
  const [linked, setLinked] = useState<Ticket | null>(null);
  const [cardOpen, setCardOpen] = useState<string | undefined>();
  const confirmRef = useRef<HTMLButtonElement>(null);
  const rootRef = useRef<HTMLDivElement>(null);
  const lookupRef = useRef<InputRef>(null);
  const typeRef = useRef<RefSelectProps>(null);
  const categoryRef = useRef<RefSelectProps>(null);
  const keysOf = usePinyinKeys();
  const categories = useCategories();
  const choices = useMemo(() => categoryChoices(categories.data ?? []), [categories.data]);

  const communityId = Form.useWatch('communityId', form);
  const type = Form.useWatch('type', form);
  const channel = Form.useWatch('channel', form);
  const categoryId = Form.useWatch('categoryId', form);
  const locationKind = Form.useWatch('locationKind', form);
  const reporterKind = Form.useWatch('reporterKind', form);
  const residentId = Form.useWatch('residentId', form);
  const roomId = Form.useWatch('roomId', form);
  const publicAreaId = Form.useWatch('publicAreaId', form);

  const initialValues: Partial<TicketForm> = {
    communityId: headerCommunity ?? (communities.length === 1 ? communities[0]?.id : undefined),
    type: 'repair',
    channel: 'phone',
    priority: 'normal',
    locationKind: 'room',
    reporterKind: 'resident',
    paid: false,
  };

  // The agent types the caller's number or room first, whatever else is known.
  useEffect(() => focusSoon(lookupRef.current), []);

  const required = (field: string) => ({ required: true, message: t('common.required', { field }) });
  const requiredPick = (field: string) => ({
    required: true,
    message: t('common.requiredSelect', { field }),
  });

  /** A known resident brings their community and room: nothing to look up twice. */
  const applyResident = (resident: Resident) => {
    residents.current.set(resident.id, resident);
    const values: Partial<TicketForm> = {
      reporterKind: 'resident',
      residentId: { value: resident.id, label: resident.name },
    };
    if (form.getFieldValue('communityId') !== resident.communityId) {
      values.communityId = resident.communityId;
      values.publicAreaId = undefined;
    }
    if (form.getFieldValue('locationKind') === 'room' || !form.getFieldValue('publicAreaId')) {
      values.locationKind = 'room';
      values.roomId = { value: resident.roomId, label: resident.roomLabel };
    }
    form.setFieldsValue(values);
  };

  const onLookup = (pick: LookupPick) => {
    if (pick.kind === 'resident') {
      applyResident(pick.resident);
      focusSoon(typeRef.current);
    } else if (pick.kind === 'room') {
      const values: Partial<TicketForm> = {
        locationKind: 'room',
        roomId: { value: pick.room.id, label: pick.room.label },
      };
      if (form.getFieldValue('communityId') !== pick.room.communityId) {
        values.communityId = pick.room.communityId;
        values.residentId = undefined;
        values.publicAreaId = undefined;
      }
      form.setFieldsValue(values);
      // Who of the household is calling, or an outsider: the reporter is next.
      focusSoon(FIELD(form.getFieldValue('reporterKind') === 'caller' ? 'callerName' : 'residentId'));
    } else {
      // Nobody registered has this number: log the caller by it and ask their name.
      form.setFieldsValue({ reporterKind: 'caller', residentId: undefined, callerPhone: pick.phone });
      focusSoon(FIELD('callerName'));
    }
  };

  const onResidentPicked = (picked: Picked | undefined, resident: Resident | undefined) => {
    if (!picked || !resident) return;
    residents.current.set(resident.id, resident);
    if (form.getFieldValue('locationKind') === 'room' && !form.getFieldValue('roomId')) {
      form.setFieldValue('roomId', { value: resident.roomId, label: resident.roomLabel });
    }
  };

  const entrapmentCategory = choices.find((choice) => choice.code === ENTRAPMENT_CODE);
  /** A person trapped in a lift has its own playbook (R16): the category decides, not the type alone. */
  const isEntrapment = (id: string | null | undefined) => !!id && id === entrapmentCategory?.id;
  const onTypeChosen = (next: TicketType) => {
    if (next !== 'emergency') {
      focusSoon(categoryRef.current);
      return;
    }
    form.setFieldValue('priority', 'urgent');
    // The emergency the desk hears most: a lift entrapment, unless another category was chosen.
    if (!form.getFieldValue('categoryId') && entrapmentCategory)
      form.setFieldValue('categoryId', entrapmentCategory.id);
    focusSoon(isEntrapment(form.getFieldValue('categoryId')) ? FIELD('emergency_lift') : categoryRef.current);
  };
  const onCategoryChosen = (_id: string | undefined, choice: CategoryChoice | undefined) => {
    if (choice?.code === ENTRAPMENT_CODE) {
      form.setFieldsValue({ type: 'emergency', priority: 'urgent' });
      focusSoon(FIELD('emergency_lift'));
      return;
    }
    if (choice) focusSoon(FIELD('content'));
  };
  const entrapment = type === 'emergency' && isEntrapment(categoryId);

  // "可能是同一事件": asked once community, category and place are known.
  const similarQuery = useMemo<SimilarQuery | null>(() => {
    if (!communityId || !categoryId) return null;
    if (locationKind === 'room' && roomId) return { communityId, categoryId, roomId: roomId.value };
    if (locationKind === 'publicArea' && publicAreaId)
      return { communityId, categoryId, publicAreaId: publicAreaId.value };
    return null;
  }, [communityId, categoryId, locationKind, roomId, publicAreaId]);
  // A link chosen for another place or category no longer holds.
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset when the question changes
  useEffect(() => setLinked(null), [similarQuery?.communityId, similarQuery?.categoryId]);

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
    const category = values.categoryId
      ? choices.find((choice) => choice.id === values.categoryId)
      : undefined;
    if (category) body.categoryId = category.id;
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
    let appointment: string | null = null;
    if (values.type === 'repair') {
      body.repairScope = values.locationKind === 'room' ? 'indoor' : 'public';
      if (values.paid) body.paid = true;
      if (values.locationKind === 'room' && values.appointment) {
        body.appointment = {
          from: values.appointment.from.toISOString(),
          to: values.appointment.to.toISOString(),
        };
        appointment = formatWindow(body.appointment.from, body.appointment.to, t);
      }
    }
    const externalRef = values.channel === 'hotline' ? trimmedOrUndefined(values.externalRef) : undefined;
    if (externalRef) body.externalRef = externalRef;
    let trapped: { lift: string; floor: string; people: number } | null = null;
    if (values.type === 'emergency' && isEntrapment(values.categoryId) && values.emergency) {
      trapped = {
        lift: values.emergency.lift?.trim() ?? '',
        floor: values.emergency.floor?.trim() ?? '',
        people: values.emergency.people ?? 1,
      };
      const notes = trimmedOrUndefined(values.emergency.notes);
      body.emergency = { kind: 'lift_entrapment', ...trapped, ...(notes ? { notes } : {}) };
    }
    if (linked) body.parentId = linked.id;

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
      sentence: readBackSentence(
        {
          address,
          location,
          content: body.content,
          typeLabel: t(`tickets.type.${values.type}`),
          categoryLabel: category?.name ?? null,
          paid: body.paid === true,
          appointment,
          externalRef: externalRef ?? null,
          entrapment: trapped,
          linkedNumber: linked?.number ?? null,
        },
        t,
      ),
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

  // Ctrl+Enter: first to the read-back, then to save; in the read-back a plain Enter saves too.
  // Listened to on the window in the capture phase: before a focused select sees the Enter (and
  // opens its list over the read-back), and while the fields are disabled during the read-back.
  const shortcut = useRef<(event: KeyboardEvent) => void>(() => {});
  shortcut.current = (event) => {
    // Keys pressed in a dialog opened over the form (the resident card's edit) are its own.
    const target = event.target instanceof Node ? event.target : null;
    const panel = rootRef.current?.closest('.ant-drawer-content') ?? rootRef.current;
    if (target && target !== document.body && !panel?.contains(target)) return;
    const shortcutKeys = isSaveShortcut(event);
    const confirm =
      prepared !== null &&
      event.key === 'Enter' &&
      !event.isComposing &&
      !(event.target instanceof HTMLButtonElement);
    if (!shortcutKeys && !confirm) return;
    event.preventDefault();
    event.stopPropagation();
    if (prepared) save();
    else void prepare();
  };
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => shortcut.current(event);
    window.addEventListener('keydown', onKeyDown, true);
    return () => window.removeEventListener('keydown', onKeyDown, true);
  }, []);
  useEffect(() => {
    if (prepared) confirmRef.current?.focus();
  }, [prepared]);

  const repair = type === 'repair';
  const locationOptions = [
    { value: 'room', label: repair ? t('tickets.intake.scope.indoor') : t('tickets.form.room') },
    {
      value: 'publicArea',
      label: repair ? t('tickets.intake.scope.public') : t('tickets.form.publicArea'),
    },
  ];
  const typeOptions = TICKET_TYPES.map((code) => ({ value: code, label: t(`tickets.type.${code}`) }));
  const pickedResident = reporterKind === 'resident' ? residentId?.value : undefined;

  return (
    <div ref={rootRef} style={{ display: 'flex', flexDirection: 'column', height: '100%' }}>
      <div style={{ flex: 1, overflow: 'auto', padding: '16px 24px' }}>
        <Form<TicketForm>
          form={form}
          name="ticket-create"
          layout="vertical"
          initialValues={initialValues}
          disabled={prepared !== null || create.isPending}
          onValuesChange={(changed: Partial<TicketForm>) => {
            if ('communityId' in changed) {
              form.setFieldsValue({ roomId: undefined, publicAreaId: undefined, residentId: undefined });
              setLinked(null);
            }
          }}
          className="intake-form"
        >
          <Form.Item
            label={t('tickets.intake.lookup')}
            htmlFor={FIELD('lookup')}
            extra={t('tickets.intake.lookupHint')}
          >
            <CallerLookup ref={lookupRef} id={FIELD('lookup')} communityId={communityId} onPick={onLookup} />
          </Form.Item>
          {communities.length > 1 ? (
            <Form.Item
              name="communityId"
              label={t('tickets.form.community')}
              rules={[requiredPick(t('tickets.form.community'))]}
            >
              <CommunityPicker data-testid="ticket-community" />
            </Form.Item>
          ) : (
            <Form.Item name="communityId" hidden>
              <Input />
            </Form.Item>
          )}

          <Flex gap={12} align="start">
            <Form.Item
              name="reporterKind"
              label={t('tickets.form.reporterKind')}
              style={{ flex: '0 0 auto' }}
            >
              <Radio.Group
                optionType="button"
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
                style={{ flex: 1, minWidth: 0 }}
              >
                <ResidentPicker
                  communityId={communityId}
                  onChange={onResidentPicked}
                  data-testid="ticket-resident"
                />
              </Form.Item>
            ) : (
              <>
                <Form.Item
                  name="callerName"
                  label={t('tickets.form.callerName')}
                  rules={[{ ...required(t('tickets.form.callerName')), whitespace: true }]}
                  style={{ flex: 1, minWidth: 0 }}
                >
                  <Input
                    placeholder={t('tickets.form.callerNamePlaceholder')}
                    maxLength={50}
                    data-testid="ticket-caller-name"
                  />
                </Form.Item>
                <Form.Item
                  name="callerPhone"
                  label={t('tickets.form.callerPhone')}
                  rules={[
                    required(t('tickets.form.callerPhone')),
                    { pattern: PHONE, message: t('tickets.form.phoneInvalid') },
                  ]}
                  style={{ flex: 1, minWidth: 0 }}
                >
                  <Input inputMode="tel" maxLength={20} data-testid="ticket-caller-phone" />
                </Form.Item>
              </>
            )}
          </Flex>
          {pickedResident ? (
            <div style={{ marginBottom: 16 }}>
              <IntakeResidentCard
                residentId={pickedResident}
                onOpenCard={() => setCardOpen(pickedResident)}
                onClear={() => {
                  form.setFieldsValue({ residentId: undefined });
                  focusSoon(lookupRef.current);
                }}
              />
            </div>
          ) : null}

          <Flex gap={12} align="start">
            <Form.Item
              name="type"
              label={t('tickets.type.label')}
              rules={[requiredPick(t('tickets.type.label'))]}
              style={{ flex: '0 0 140px' }}
            >
              <Select<TicketType>
                ref={typeRef}
                options={typeOptions}
                showSearch={{
                  filterOption: (typed, option) => matchesTyped(String(option?.label ?? ''), typed, keysOf),
                }}
                // onSelect, not onChange: choosing the type it already has still moves on
                onSelect={onTypeChosen}
                data-testid="ticket-type"
              />
            </Form.Item>
            <Form.Item name="categoryId" label={t('tickets.category')} style={{ flex: 1, minWidth: 0 }}>
              <CategorySelect ref={categoryRef} onChange={onCategoryChosen} data-testid="ticket-category" />
            </Form.Item>
          </Flex>

          {entrapment ? (
            <fieldset className="intake-emergency" data-testid="ticket-emergency">
              <legend>{t('tickets.intake.entrapment')}</legend>
              <Flex gap={12} align="start" wrap>
                <Form.Item
                  name={['emergency', 'lift']}
                  label={t('tickets.emergency.lift')}
                  rules={[{ ...required(t('tickets.emergency.lift')), whitespace: true }]}
                  style={{ flex: '2 1 180px' }}
                >
                  <Input maxLength={100} placeholder={t('tickets.emergency.liftPlaceholder')} />
                </Form.Item>
                <Form.Item
                  name={['emergency', 'floor']}
                  label={t('tickets.emergency.floor')}
                  rules={[{ ...required(t('tickets.emergency.floor')), whitespace: true }]}
                  style={{ flex: '1 1 90px' }}
                >
                  <Input maxLength={10} placeholder={t('tickets.emergency.floorPlaceholder')} />
                </Form.Item>
                <Form.Item
                  name={['emergency', 'people']}
                  label={t('tickets.emergency.people')}
                  rules={[required(t('tickets.emergency.people'))]}
                  style={{ flex: '1 1 90px' }}
                >
                  <InputNumber min={1} max={50} precision={0} style={{ width: '100%' }} />
                </Form.Item>
              </Flex>
              <Form.Item
                name={['emergency', 'notes']}
                label={t('tickets.emergency.notes')}
                style={{ marginBottom: 0 }}
              >
                <Input maxLength={500} placeholder={t('tickets.emergency.notesPlaceholder')} />
              </Form.Item>
            </fieldset>
          ) : null}

          {similarQuery || linked ? (
            <SimilarTickets
              query={similarQuery}
              linked={linked}
              onLink={setLinked}
              disabled={prepared !== null || create.isPending}
            />
          ) : null}

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
          <Flex gap={12} align="start" wrap>
            <Form.Item name="channel" label={t('tickets.channel.label')} style={{ flex: '0 0 140px' }}>
              <Select
                showSearch={{
                  filterOption: (typed, option) => matchesTyped(String(option?.label ?? ''), typed, keysOf),
                }}
                options={TICKET_CHANNELS.map((code) => ({
                  value: code,
                  label: t(`tickets.channel.${code}`),
                }))}
                data-testid="ticket-channel"
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
            {channel === 'hotline' ? (
              <Form.Item
                name="externalRef"
                label={t('tickets.intake.externalRef')}
                rules={[{ ...required(t('tickets.intake.externalRef')), whitespace: true }]}
                style={{ flex: '1 1 160px' }}
              >
                <Input
                  maxLength={64}
                  placeholder={t('tickets.intake.externalRefPlaceholder')}
                  data-testid="ticket-external-ref"
                />
              </Form.Item>
            ) : null}
          </Flex>

          <Flex gap={12} align="start" wrap>
            <Form.Item
              name="locationKind"
              label={repair ? t('tickets.intake.scope.label') : t('tickets.form.locationKind')}
              style={{ flex: '0 0 auto' }}
            >
              <Radio.Group optionType="button" options={locationOptions} data-testid="ticket-location-kind" />
            </Form.Item>
            {locationKind === 'room' ? (
              <Form.Item
                name="roomId"
                label={t('tickets.form.room')}
                rules={[requiredPick(t('tickets.form.room'))]}
                style={{ flex: 1, minWidth: 200 }}
              >
                <RoomPicker communityId={communityId} data-testid="ticket-room" />
              </Form.Item>
            ) : (
              <Form.Item
                name="publicAreaId"
                label={t('tickets.form.publicArea')}
                rules={[requiredPick(t('tickets.form.publicArea'))]}
                style={{ flex: 1, minWidth: 200 }}
              >
                <PublicAreaPicker communityId={communityId} />
              </Form.Item>
            )}
            {repair ? (
              <Form.Item
                name="paid"
                label={t('tickets.intake.paid')}
                valuePropName="checked"
                tooltip={t('tickets.intake.paidHint')}
                style={{ flex: '0 0 auto' }}
              >
                <Switch
                  checkedChildren={t('tickets.intake.paidYes')}
                  unCheckedChildren={t('tickets.intake.paidNo')}
                  data-testid="ticket-paid"
                />
              </Form.Item>
            ) : null}
          </Flex>

          {repair && locationKind === 'room' ? (
            <Form.Item
              name="appointment"
              label={t('tickets.intake.appointment')}
              extra={t('tickets.intake.appointmentHint')}
            >
              <AppointmentPicker />
            </Form.Item>
          ) : null}
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
      <ResidentCardDrawer
        residentId={cardOpen}
        onClose={() => setCardOpen(undefined)}
        onOpenResident={setCardOpen}
      />
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
      size={720}
      destroyOnHidden
      // Again once the drawer has slid in: opening moves the focus around (the drawer's own panel,
      // a drawer closed just before giving it back to where it came from). An agent who is already
      // typing in the form keeps their place: only a focus outside the form is brought back.
      afterOpenChange={(opened) => {
        if (!opened) return;
        const form = document.getElementById('ticket-create');
        if (!form?.contains(document.activeElement)) document.getElementById(FIELD('lookup'))?.focus();
      }}
      styles={{ body: { padding: 0 } }}
    >
      <TicketCreateForm onCreated={onCreated} onCancel={onClose} />
    </Drawer>
  );
}
