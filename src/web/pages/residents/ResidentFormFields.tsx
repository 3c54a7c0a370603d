import { Checkbox, DatePicker, Flex, Form, Input, Radio } from 'antd';
import { CARE_MARKS, RESIDENT_KINDS, SALUTATIONS } from '../../api/types';
import { useT } from '../../app/i18n';

/**
 * The resident fields shared by the new-resident form (list) and the edit form (card): salutation,
 * kind, care marks, move-in date and notes. Rendered inside the caller's antd Form.
 */
export function ResidentFormFields() {
  const t = useT();
  return (
    <>
      <Flex gap={16} wrap>
        <Form.Item name="salutation" label={t('residents.salutation.label')}>
          <Radio.Group
            optionType="button"
            options={SALUTATIONS.map((code) => ({ value: code, label: t(`residents.salutation.${code}`) }))}
          />
        </Form.Item>
        <Form.Item name="kind" label={t('residents.kind.label')} rules={[{ required: true }]}>
          <Radio.Group
            optionType="button"
            options={RESIDENT_KINDS.map((code) => ({ value: code, label: t(`residents.kind.${code}`) }))}
          />
        </Form.Item>
      </Flex>
      <Form.Item name="care" label={t('residents.care.label')} extra={t('residents.care.hint')}>
        <Checkbox.Group
          options={CARE_MARKS.map((mark) => ({ value: mark, label: t(`residents.care.${mark}`) }))}
        />
      </Form.Item>
      <Form.Item name="moveInDate" label={t('residents.moveInDate')}>
        <DatePicker style={{ width: '100%' }} />
      </Form.Item>
      <Form.Item name="notes" label={t('residents.notes')}>
        <Input.TextArea
          placeholder={t('residents.notesPlaceholder')}
          autoSize={{ minRows: 2, maxRows: 5 }}
          maxLength={500}
        />
      </Form.Item>
    </>
  );
}
