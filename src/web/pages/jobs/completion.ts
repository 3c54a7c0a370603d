import type { TicketActionBody } from '../../api/types';

/** How the resident confirms the finished work (R10); `none` only where nobody lives (公区). */
export type ConfirmMethod = 'signature' | 'verbal' | 'none';

/** What the completion screen's form holds. */
export interface CompletionValues {
  cause: string;
  work: string;
  parts?: string;
  advice?: string;
  /** Typed by hand when the category has no published prices. */
  charge?: number | null;
  /** Quantities by price id, picked from the category's published list. */
  items?: Readonly<Record<string, number | null | undefined>>;
  confirmMethod: ConfirmMethod;
  /** 电话确认: who confirmed and what they said. */
  verbalNote?: string;
}

export type CompleteBody = TicketActionBody<'complete'>;

const trimmed = (value: string | undefined) => {
  const text = value?.trim();
  return text ? text : undefined;
};

/** The picked lines of the price list: quantities above zero, in the order given. */
export function pickedItems(items: CompletionValues['items']): { priceId: string; quantity: number }[] {
  return Object.entries(items ?? {})
    .filter((entry): entry is [string, number] => typeof entry[1] === 'number' && entry[1] > 0)
    .map(([priceId, quantity]) => ({ priceId, quantity }));
}

/**
 * The body of POST /tickets/{id}/complete (without the version). Items picked from the price list
 * are sent without a charge: the server prices them and stores the total, so the phone can never
 * disagree with the list. A typed charge is sent only when nothing was picked. The signature is
 * the id of the PNG already uploaded to this ticket.
 */
export function completeBody(values: CompletionValues, signatureId: string | null): CompleteBody {
  const items = pickedItems(values.items);
  const report: CompleteBody['report'] = {
    cause: values.cause.trim(),
    work: values.work.trim(),
    ...(trimmed(values.parts) ? { parts: trimmed(values.parts) } : {}),
    ...(trimmed(values.advice) ? { advice: trimmed(values.advice) } : {}),
    ...(items.length > 0 ? { items } : typeof values.charge === 'number' ? { charge: values.charge } : {}),
  };
  if (values.confirmMethod === 'signature') {
    if (!signatureId) throw new Error('the signature must be uploaded before completing');
    return { report, confirmation: { method: 'signature', attachmentId: signatureId } };
  }
  if (values.confirmMethod === 'verbal') {
    return { report, confirmation: { method: 'verbal', note: values.verbalNote?.trim() ?? '' } };
  }
  return { report };
}
