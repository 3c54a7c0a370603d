import type { CategoryPrice } from '../../../api/types';

/** One priced item as the completion form holds it. */
export interface ItemValues {
  priceId?: string;
  quantity?: number | null;
}

export interface CompletionExtraValues {
  items?: ItemValues[];
  confirmMethod?: 'none' | 'verbal' | 'signature';
  confirmNote?: string;
  signatureId?: string;
}

/** The priced items as the API takes them: only complete lines. */
export function toItems(values: CompletionExtraValues): { priceId: string; quantity: number }[] {
  return (values.items ?? []).flatMap((item) =>
    item?.priceId && typeof item.quantity === 'number' && item.quantity > 0
      ? [{ priceId: item.priceId, quantity: item.quantity }]
      : [],
  );
}

/** The resident's confirmation as the API takes it, or undefined when there is none yet. */
export function toConfirmation(
  values: CompletionExtraValues,
): { method: 'verbal'; note: string } | { method: 'signature'; attachmentId: string } | undefined {
  if (values.confirmMethod === 'verbal' && values.confirmNote?.trim())
    return { method: 'verbal', note: values.confirmNote.trim() };
  if (values.confirmMethod === 'signature' && values.signatureId)
    return { method: 'signature', attachmentId: values.signatureId };
  return undefined;
}

/** The total of the chosen items at the published prices. */
export function itemsTotal(items: ItemValues[] | undefined, prices: readonly CategoryPrice[]): number {
  return (items ?? []).reduce((sum, item) => {
    const price = prices.find((candidate) => candidate.id === item?.priceId);
    return price && typeof item.quantity === 'number' ? sum + price.price * item.quantity : sum;
  }, 0);
}

/** One priced item of a completion report (the published price list, R10). */
export interface PriceLine {
  name: string;
  unit: string;
  price: number;
  quantity: number;
  amount: number;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null;

/** The priced lines of a report as the server stored them; anything malformed is left out. */
export function priceLinesOf(report: Record<string, unknown>): PriceLine[] {
  const lines = report.lines;
  if (!Array.isArray(lines)) return [];
  return lines.flatMap((line): PriceLine[] => {
    if (!isRecord(line) || typeof line.name !== 'string') return [];
    const price = Number(line.price);
    const quantity = Number(line.quantity);
    const amount = line.amount === undefined ? price * quantity : Number(line.amount);
    if (![price, quantity, amount].every(Number.isFinite)) return [];
    return [
      { name: line.name, unit: typeof line.unit === 'string' ? line.unit : '', price, quantity, amount },
    ];
  });
}

/** The resident's confirmation of the finished work: a signature (an attachment) or a verbal one. */
export type Confirmation = { method: 'signature'; attachmentId: string } | { method: 'verbal'; note: string };

export function confirmationOf(value: unknown): Confirmation | null {
  if (!isRecord(value)) return null;
  if (value.method === 'signature' && typeof value.attachmentId === 'string')
    return { method: 'signature', attachmentId: value.attachmentId };
  if (value.method === 'verbal')
    return { method: 'verbal', note: typeof value.note === 'string' ? value.note : '' };
  return null;
}
