import { MinusOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Flex, InputNumber, Typography } from 'antd';
import type { CategoryPrice } from '../../api/types';
import { useI18n } from '../../app/i18n';
import { formatFen, toFen, totalFen } from './money';

/** Quantities by price id. */
export type PickedQuantities = Record<string, number | null>;

/** The server's limit for one line (categories.service MAX_QUANTITY). */
const MAX_QUANTITY = 10_000;
const STEP_BUTTON = { width: 44, height: 44, flex: 'none' } as const;

/**
 * Paid work priced from the category's published list (R10): one row per price with −/+ buttons
 * a thumb can hit and the quantity in between (2.5 米 can be typed), and the total in yuan as the
 * server will charge it. A form control: `value` / `onChange` hold the quantities.
 */
export function PriceItems({
  prices,
  value,
  onChange,
}: {
  prices: readonly CategoryPrice[];
  value?: PickedQuantities;
  onChange?: (next: PickedQuantities) => void;
}) {
  const { t } = useI18n();
  const quantities = value ?? {};
  const quantityOf = (id: string) => quantities[id] ?? 0;
  const set = (id: string, quantity: number | null) => onChange?.({ ...quantities, [id]: quantity });
  const total = totalFen(prices.map((price) => ({ price: price.price, quantity: quantityOf(price.id) })));

  return (
    <Flex vertical data-testid="price-items">
      {prices.map((price) => {
        const quantity = quantityOf(price.id);
        return (
          <Flex
            key={price.id}
            align="center"
            gap={8}
            style={{ padding: '10px 0', borderBottom: '1px solid #f0f0f0' }}
            data-testid={`price-${price.id}`}
          >
            <Flex vertical style={{ flex: 1, minWidth: 0 }}>
              <Typography.Text strong>{price.name}</Typography.Text>
              <Typography.Text type="secondary">
                {t('jobs.charge.unitPrice', { price: formatFen(toFen(price.price)), unit: price.unit })}
              </Typography.Text>
              {price.note ? (
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {price.note}
                </Typography.Text>
              ) : null}
            </Flex>
            <Button
              icon={<MinusOutlined />}
              style={STEP_BUTTON}
              disabled={quantity <= 0}
              onClick={() => set(price.id, Math.max(0, quantity - 1))}
              aria-label={t('jobs.charge.less', { name: price.name })}
              data-testid="price-less"
            />
            <InputNumber
              value={quantity}
              min={0}
              max={MAX_QUANTITY}
              step={1}
              controls={false}
              inputMode="decimal"
              size="large"
              style={{ width: 60, textAlign: 'center' }}
              onChange={(next) => set(price.id, typeof next === 'number' ? next : null)}
              aria-label={t('jobs.charge.quantity', { name: price.name })}
              data-testid="price-quantity"
            />
            <Button
              icon={<PlusOutlined />}
              type={quantity > 0 ? 'default' : 'primary'}
              ghost={quantity <= 0}
              style={STEP_BUTTON}
              disabled={quantity >= MAX_QUANTITY}
              onClick={() => set(price.id, quantity + 1)}
              aria-label={t('jobs.charge.more', { name: price.name })}
              data-testid="price-more"
            />
          </Flex>
        );
      })}
      <Flex justify="space-between" align="baseline" style={{ paddingTop: 10 }}>
        <Typography.Text strong>{t('jobs.charge.total')}</Typography.Text>
        <Typography.Text strong style={{ fontSize: 20 }} data-testid="charge-total">
          {t('jobs.charge.yuan', { amount: formatFen(total) })}
        </Typography.Text>
      </Flex>
    </Flex>
  );
}
