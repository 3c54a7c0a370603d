import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Flex, Form, Input, InputNumber, Radio, Select, Typography } from 'antd';
import type { TicketDetail } from '../../../api/types';
import { useI18n } from '../../../app/i18n';
import { usePublishedPrices } from '../categories';
import { useTicketAttachments } from '../queries';
import { type CompletionExtraValues, itemsTotal } from './completion';

const yuan = (value: number) => `¥${value.toFixed(2)}`;

/**
 * Paid work priced from the category's published list (R10): each item and how many; the
 * charge is their total. Shown only when the category has a price list.
 */
export function PriceItemsField({ categoryId }: { categoryId: string | null }) {
  const { t } = useI18n();
  const form = Form.useFormInstance<CompletionExtraValues>();
  const items = Form.useWatch('items', form);
  const { data: prices = [] } = usePublishedPrices(categoryId);
  if (!categoryId || prices.length === 0) return null;
  const total = itemsTotal(items, prices);
  return (
    <Form.Item label={t('tickets.completion.items')} extra={t('tickets.completion.itemsHint')}>
      <Form.List name="items">
        {(fields, { add, remove }) => (
          <Flex vertical gap={8}>
            {fields.map((field) => {
              const item = items?.[field.name];
              const price = prices.find((candidate) => candidate.id === item?.priceId);
              return (
                <Flex key={field.key} gap={8} align="start">
                  <Form.Item
                    name={[field.name, 'priceId']}
                    style={{ flex: 1, marginBottom: 0 }}
                    rules={[
                      {
                        required: true,
                        message: t('common.requiredSelect', { field: t('tickets.completion.item') }),
                      },
                    ]}
                  >
                    <Select
                      showSearch={{ optionFilterProp: 'label' }}
                      placeholder={t('tickets.completion.item')}
                      options={prices.map((candidate) => ({
                        value: candidate.id,
                        label: `${candidate.name}（${yuan(candidate.price)}/${candidate.unit}）`,
                      }))}
                      data-testid="complete-item"
                    />
                  </Form.Item>
                  <Form.Item
                    name={[field.name, 'quantity']}
                    style={{ width: 90, marginBottom: 0 }}
                    rules={[
                      {
                        required: true,
                        message: t('common.required', { field: t('tickets.completion.quantity') }),
                      },
                    ]}
                  >
                    <InputNumber
                      min={0.01}
                      max={10_000}
                      aria-label={t('tickets.completion.quantity')}
                      style={{ width: '100%' }}
                    />
                  </Form.Item>
                  <Typography.Text style={{ width: 80, textAlign: 'right', lineHeight: '32px' }}>
                    {price && typeof item?.quantity === 'number' ? yuan(price.price * item.quantity) : '—'}
                  </Typography.Text>
                  <Button
                    type="text"
                    icon={<MinusCircleOutlined />}
                    onClick={() => remove(field.name)}
                    aria-label={t('tickets.completion.removeItem')}
                  />
                </Flex>
              );
            })}
            <Flex justify="space-between" align="center">
              <Button size="small" type="dashed" icon={<PlusOutlined />} onClick={() => add({ quantity: 1 })}>
                {t('tickets.completion.addItem')}
              </Button>
              {fields.length > 0 ? (
                <Typography.Text strong>
                  {t('tickets.completion.total')}：{yuan(total)}
                </Typography.Text>
              ) : null}
            </Flex>
          </Flex>
        )}
      </Form.List>
    </Form.Item>
  );
}

/**
 * The resident's confirmation of the finished work (R10): a signature already uploaded (from the
 * technician's phone), or a verbal one taken by phone with a note of who said what.
 */
export function ConfirmationFields({ ticket }: { ticket: TicketDetail }) {
  const { t } = useI18n();
  const form = Form.useFormInstance<CompletionExtraValues>();
  const method = Form.useWatch('confirmMethod', form);
  const { data: attachments = [] } = useTicketAttachments(ticket.id);
  const signatures = attachments.filter((attachment) => attachment.kind === 'signature');
  return (
    <>
      <Form.Item name="confirmMethod" label={t('tickets.completion.confirmation')} initialValue="none">
        <Radio.Group
          optionType="button"
          options={[
            { value: 'none', label: t('tickets.completion.confirmLater') },
            { value: 'verbal', label: t('tickets.completion.verbal') },
            {
              value: 'signature',
              label: t('tickets.completion.signature'),
              disabled: signatures.length === 0,
            },
          ]}
        />
      </Form.Item>
      {method === 'verbal' ? (
        <Form.Item
          name="confirmNote"
          label={t('tickets.completion.verbalNote')}
          rules={[
            {
              required: true,
              whitespace: true,
              message: t('common.required', { field: t('tickets.completion.verbalNote') }),
            },
          ]}
        >
          <Input maxLength={500} placeholder={t('tickets.completion.verbalPlaceholder')} />
        </Form.Item>
      ) : null}
      {method === 'signature' ? (
        <Form.Item
          name="signatureId"
          label={t('tickets.completion.signature')}
          initialValue={signatures.at(-1)?.id}
          rules={[
            {
              required: true,
              message: t('common.requiredSelect', { field: t('tickets.completion.signature') }),
            },
          ]}
        >
          <Select
            options={signatures.map((signature) => ({ value: signature.id, label: signature.fileName }))}
          />
        </Form.Item>
      ) : null}
    </>
  );
}
