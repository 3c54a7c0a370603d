import { useQuery } from '@tanstack/react-query';
import { Alert, App, Button, Flex, Form, Input, Modal, Radio, Select, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { readBackSentence } from '../../../domain/callbacks';
import { api, unwrap } from '../../api/client';
import { useCommunity } from '../../app/community';
import { useI18n } from '../../app/i18n';
import { CommunityPicker, RoomPicker } from '../../components/pickers';
import type { Picked } from '../../components/SearchSelect';
import { CALLBACKS_KEY, useRecipients, useTakeMessage } from './queries';

interface Values {
  communityId: string;
  callerName: string;
  phone: string;
  room?: Picked | null;
  roomText?: string;
  content: string;
  forKind: 'user' | 'team';
  forUserId?: string;
  forTeamId?: string;
}

/**
 * Takes a message (留言) for a colleague or team [002]: caller's name, unit, phone and content,
 * then — before anything is saved — the whole message as one sentence to read back to the caller
 * (「王先生，我跟您确认一下：…，对吗？」). Saving is the confirmation (`readBack: true`).
 */
export function MessageModal({
  open,
  onClose,
  defaults,
}: {
  open: boolean;
  onClose: () => void;
  /** What the call desk already knows (the caller's card). */
  defaults?: Partial<Pick<Values, 'callerName' | 'phone' | 'communityId'>>;
}) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const { communityId: current } = useCommunity();
  const [step, setStep] = useState<'fill' | 'readBack'>('fill');
  const [values, setValues] = useState<Values | null>(null);
  const communityId = Form.useWatch('communityId', form);
  const forKind = Form.useWatch('forKind', form);
  const recipients = useRecipients(communityId);
  const due = useQuery({
    queryKey: [...CALLBACKS_KEY, 'message-due', values?.communityId],
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/callbacks/message-due', {
          params: { query: { communityId: values?.communityId ?? '' } },
        }),
      ),
    enabled: step === 'readBack' && !!values?.communityId,
    staleTime: 0,
  });
  const take = useTakeMessage(form);
  // the defaults of this opening (a caller's card changes them while the form is closed)
  const defaultsRef = useRef(defaults);
  defaultsRef.current = defaults;

  useEffect(() => {
    if (!open) return;
    const given = defaultsRef.current;
    setStep('fill');
    setValues(null);
    form.resetFields();
    form.setFieldsValue({ forKind: 'user', communityId: given?.communityId ?? current, ...given });
  }, [open, form, current]);

  const userOptions = (recipients.data?.users ?? []).map((u) => ({
    value: u.id,
    label: `${u.name}（${u.employeeNo}）`,
  }));
  const teamOptions = (recipients.data?.teams ?? []).map((team) => ({ value: team.id, label: team.name }));
  const forWhom = (v: Values) =>
    v.forKind === 'team'
      ? (teamOptions.find((o) => o.value === v.forTeamId)?.label ?? '')
      : (recipients.data?.users.find((u) => u.id === v.forUserId)?.name ?? '');

  // said in the community's time zone (the server's): "14:30"
  const dueSaid = due.data?.said ?? null;
  const sentence = values
    ? readBackSentence(
        {
          caller: values.callerName,
          forWhom: forWhom(values),
          phone: values.phone.replace(/\s+/g, ''),
          room: values.room?.label ?? values.roomText ?? null,
          content: values.content,
          due: dueSaid,
        },
        {
          sentence: t('callbacks.form.sentence'),
          room: t('callbacks.form.sentenceRoom'),
          due: t('callbacks.form.sentenceDue'),
          noDue: t('callbacks.form.sentenceNoDue'),
        },
      )
    : '';

  const save = () => {
    if (!values) return;
    take.mutate(
      {
        communityId: values.communityId,
        callerName: values.callerName,
        phone: values.phone,
        roomId: values.room?.value ?? null,
        roomText: values.roomText?.trim() || null,
        content: values.content,
        forUserId: values.forKind === 'user' ? (values.forUserId ?? null) : null,
        forTeamId: values.forKind === 'team' ? (values.forTeamId ?? null) : null,
        readBack: true,
      },
      {
        onSuccess: () => {
          void message.success(
            t('callbacks.form.saved', {
              who: forWhom(values),
              due: dueSaid ?? '—',
            }),
          );
          onClose();
        },
        // a field error sends the agent back to the form, which shows it
        onError: () => setStep('fill'),
      },
    );
  };

  return (
    <Modal
      open={open}
      title={t('callbacks.form.title')}
      onCancel={onClose}
      destroyOnHidden
      width={640}
      footer={
        step === 'fill' ? (
          <Flex justify="end" gap={8}>
            <Button onClick={onClose}>{t('common.cancel')}</Button>
            <Button
              type="primary"
              data-testid="message-next"
              onClick={() =>
                void form
                  .validateFields()
                  .then((v) => {
                    setValues(v);
                    setStep('readBack');
                  })
                  .catch(() => {})
              }
            >
              {t('callbacks.form.next')}
            </Button>
          </Flex>
        ) : (
          <Flex justify="end" gap={8}>
            <Button onClick={() => setStep('fill')} data-testid="message-back">
              {t('callbacks.form.back')}
            </Button>
            <Button type="primary" loading={take.isPending} onClick={save} data-testid="message-confirm">
              {t('callbacks.form.confirm')}
            </Button>
          </Flex>
        )
      }
    >
      <div style={{ display: step === 'fill' ? 'block' : 'none' }}>
        <Form form={form} layout="vertical" requiredMark data-testid="message-form">
          <Form.Item name="communityId" label={t('callbacks.form.community')} rules={[{ required: true }]}>
            <CommunityPicker />
          </Form.Item>
          <Flex gap={12}>
            <Form.Item
              name="callerName"
              label={t('callbacks.form.callerName')}
              rules={[
                {
                  required: true,
                  whitespace: true,
                  message: t('common.required', { field: t('callbacks.form.callerName') }),
                },
              ]}
              style={{ flex: 1 }}
            >
              <Input placeholder={t('callbacks.form.callerNamePlaceholder')} maxLength={50} />
            </Form.Item>
            <Form.Item
              name="phone"
              label={t('callbacks.form.phone')}
              rules={[
                {
                  required: true,
                  whitespace: true,
                  message: t('common.required', { field: t('callbacks.form.phone') }),
                },
              ]}
              style={{ flex: 1 }}
            >
              <Input inputMode="tel" maxLength={40} />
            </Form.Item>
          </Flex>
          <Flex gap={12}>
            <Form.Item name="room" label={t('callbacks.form.room')} style={{ flex: 1 }}>
              <RoomPicker communityId={communityId} />
            </Form.Item>
            <Form.Item name="roomText" label={t('callbacks.form.roomText')} style={{ flex: 1 }}>
              <Input maxLength={100} />
            </Form.Item>
          </Flex>
          <Form.Item
            name="content"
            label={t('callbacks.form.content')}
            rules={[
              {
                required: true,
                whitespace: true,
                message: t('common.required', { field: t('callbacks.form.content') }),
              },
            ]}
          >
            <Input.TextArea rows={3} maxLength={1000} showCount />
          </Form.Item>
          <Form.Item label={t('callbacks.form.forWhom')} required>
            <Flex gap={12} align="start">
              <Form.Item name="forKind" noStyle>
                <Radio.Group
                  optionType="button"
                  options={[
                    { value: 'user', label: t('callbacks.form.forUser') },
                    { value: 'team', label: t('callbacks.form.forTeam') },
                  ]}
                />
              </Form.Item>
              {forKind === 'team' ? (
                <Form.Item
                  name="forTeamId"
                  noStyle
                  rules={[{ required: true, message: t('callbacks.form.chooseTeam') }]}
                >
                  <Select
                    style={{ flex: 1 }}
                    data-testid="message-for-team"
                    placeholder={t('callbacks.form.chooseTeam')}
                    options={teamOptions}
                    loading={recipients.isLoading}
                    showSearch={{ optionFilterProp: 'label' }}
                  />
                </Form.Item>
              ) : (
                <Form.Item
                  name="forUserId"
                  noStyle
                  rules={[{ required: true, message: t('callbacks.form.chooseUser') }]}
                >
                  <Select
                    style={{ flex: 1 }}
                    data-testid="message-for-user"
                    placeholder={t('callbacks.form.chooseUser')}
                    options={userOptions}
                    loading={recipients.isLoading}
                    showSearch={{ optionFilterProp: 'label' }}
                  />
                </Form.Item>
              )}
            </Flex>
          </Form.Item>
        </Form>
      </div>
      {step === 'readBack' && (
        <Flex vertical gap={12} data-testid="message-readback">
          <Typography.Title level={5} style={{ margin: 0 }}>
            {t('callbacks.form.readBackTitle')}
          </Typography.Title>
          <Alert
            type="info"
            showIcon={false}
            message={
              <Typography.Paragraph style={{ fontSize: 16, margin: 0 }} data-testid="message-sentence">
                {due.isLoading ? '…' : sentence}
              </Typography.Paragraph>
            }
          />
          <Typography.Text type="secondary">{t('callbacks.form.readBackHint')}</Typography.Text>
        </Flex>
      )}
    </Modal>
  );
}
