import { DeleteOutlined, EyeOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, Button, Flex, Form, Input, Tooltip, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { ApiError } from '../../../api/errors';
import type { CareMark, ResidentCard, ResidentKind, ResidentPatch, Salutation } from '../../../api/types';
import { useT } from '../../../app/i18n';
import { useAccess } from '../../../app/session';
import { FormModal } from '../../../components/FormModal';
import { useRevealPhones, useUpdateResident } from '../queries';
import { ResidentFormFields } from '../ResidentFormFields';

/** The server keeps at most this many numbers per resident. */
export const MAX_PHONES = 5;
export const PHONE_PATTERN = /^[0-9+\-\s()]{5,20}$/;
const DATE = 'YYYY-MM-DD';

interface EditForm {
  name: string;
  phones?: string[];
  salutation?: Salutation | null;
  kind: ResidentKind;
  care: CareMark[];
  moveInDate?: Dayjs | null;
  notes?: string;
}

function formValues(card: ResidentCard, phones: string[] | null): EditForm {
  const { resident } = card;
  return {
    name: resident.name,
    phones: phones ?? undefined,
    salutation: resident.salutation,
    kind: resident.kind,
    care: [...resident.care],
    moveInDate: resident.moveInDate ? dayjs(resident.moveInDate) : null,
    notes: resident.notes ?? undefined,
  };
}

/**
 * Edit a resident. Phones come masked, so they are editable only once revealed (which is audited,
 * R4); otherwise they are left as they are. The version read is sent back: on a 409 the server's
 * message is shown, the card reloads, and the form keeps what was typed so nothing is lost.
 */
export function ResidentEditModal({
  open,
  card,
  revealedPhones,
  onRevealed,
  onClose,
}: {
  open: boolean;
  card: ResidentCard;
  revealedPhones: string[] | null;
  onRevealed: (phones: string[]) => void;
  onClose: () => void;
}) {
  const t = useT();
  const access = useAccess();
  const [form] = Form.useForm<EditForm>();
  const update = useUpdateResident(form);
  const reveal = useRevealPhones();
  const [conflict, setConflict] = useState(false);
  const { resident } = card;
  // Numbers can be edited once the full ones are known on this card (they arrive masked).
  const phonesEditable = revealedPhones !== null;

  const revealForEdit = () =>
    reveal.mutate(resident.id, {
      onSuccess: ({ phones }) => {
        onRevealed(phones);
        form.setFieldValue('phones', phones);
      },
    });

  const submit = (values: EditForm) => {
    const body: ResidentPatch = {
      // the latest version read: after a conflict the card has been reloaded
      version: card.resident.version,
      name: values.name.trim(),
      salutation: values.salutation ?? null,
      kind: values.kind,
      notes: values.notes?.trim() || null,
      care: values.care ?? [],
      moveInDate: values.moveInDate ? values.moveInDate.format(DATE) : null,
    };
    if (values.phones) body.phones = values.phones.map((phone) => phone.trim()).filter(Boolean);
    update.mutate(
      { id: resident.id, body },
      {
        onSuccess: () => {
          setConflict(false);
          onClose();
        },
        onError: (error) => {
          if (error instanceof ApiError && error.status === 409) setConflict(true);
        },
      },
    );
  };

  return (
    <FormModal<EditForm>
      open={open}
      title={t('residents.edit.title', { name: resident.name })}
      form={form}
      saving={update.isPending}
      okText={t('common.save')}
      initialValues={formValues(card, revealedPhones)}
      onCancel={() => {
        setConflict(false);
        onClose();
      }}
      onSubmit={submit}
      testId="resident-edit"
    >
      {conflict ? (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          title={t('residents.edit.conflict')}
          action={
            <Button
              size="small"
              onClick={() => {
                form.setFieldsValue(formValues(card, revealedPhones));
                setConflict(false);
              }}
            >
              {t('residents.edit.useLatest')}
            </Button>
          }
        />
      ) : null}
      <Form.Item
        name="name"
        label={t('residents.name')}
        rules={[
          { required: true, whitespace: true, message: t('common.required', { field: t('residents.name') }) },
        ]}
      >
        <Input maxLength={50} />
      </Form.Item>
      {phonesEditable ? (
        <Form.List
          name="phones"
          rules={[
            {
              validator: async (_rule, phones?: string[]) => {
                if (!phones || phones.length === 0) throw new Error(t('residents.edit.phonesRequired'));
              },
            },
          ]}
        >
          {(fields, { add, remove }, { errors }) => (
            <Form.Item label={t('residents.phones')} required extra={t('residents.edit.primaryHint')}>
              <Flex vertical gap={8}>
                {fields.map((field, index) => (
                  <Flex key={field.key} gap={8} align="start">
                    <Form.Item
                      name={field.name}
                      noStyle
                      rules={[
                        { required: true, message: t('common.required', { field: t('residents.phone') }) },
                        { pattern: PHONE_PATTERN, message: t('residents.phoneInvalid') },
                      ]}
                    >
                      <Input
                        inputMode="tel"
                        maxLength={20}
                        aria-label={t('residents.edit.phoneN', { n: index + 1 })}
                        data-testid={`edit-phone-${index}`}
                      />
                    </Form.Item>
                    <Button
                      icon={<DeleteOutlined />}
                      aria-label={t('residents.edit.removePhone')}
                      disabled={fields.length <= 1}
                      onClick={() => remove(field.name)}
                    />
                  </Flex>
                ))}
                {fields.length < MAX_PHONES ? (
                  <Button type="dashed" icon={<PlusOutlined />} onClick={() => add('')}>
                    {t('residents.edit.addPhone')}
                  </Button>
                ) : null}
                <Form.ErrorList errors={errors} />
              </Flex>
            </Form.Item>
          )}
        </Form.List>
      ) : (
        <Form.Item label={t('residents.phones')}>
          <Flex gap={8} align="center" wrap>
            <Typography.Text>{resident.phones.join('、')}</Typography.Text>
            {access.revealPhones ? (
              <Tooltip title={t('residents.card.revealHint')}>
                <Button
                  size="small"
                  icon={<EyeOutlined />}
                  loading={reveal.isPending}
                  onClick={revealForEdit}
                >
                  {t('residents.edit.revealToEdit')}
                </Button>
              </Tooltip>
            ) : null}
          </Flex>
        </Form.Item>
      )}
      <ResidentFormFields />
    </FormModal>
  );
}
