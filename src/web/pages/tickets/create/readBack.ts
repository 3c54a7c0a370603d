import type { Salutation } from '../../../api/types';
import type { Translate } from '../../../app/i18n';

const COMPOUND_SURNAMES = [
  '欧阳',
  '歐陽',
  '司马',
  '司馬',
  '上官',
  '诸葛',
  '諸葛',
  '东方',
  '東方',
  '皇甫',
  '尉迟',
  '尉遲',
  '公孙',
  '公孫',
  '慕容',
  '令狐',
  '长孙',
  '長孫',
  '宇文',
  '司徒',
  '夏侯',
  '轩辕',
  '軒轅',
  '端木',
  '独孤',
  '獨孤',
  '南宫',
  '南宮',
  '西门',
  '西門',
  '百里',
  '呼延',
];

export function surnameOf(name: string): string {
  const trimmed = name.trim();
  const compound = COMPOUND_SURNAMES.find((surname) => trimmed.startsWith(surname));
  if (compound) return compound;
  // Latin-script names ("Wang Wei", "Chan Tai Man") lead with the surname as a whole word.
  if (/^[A-Za-z]/.test(trimmed)) return trimmed.split(/\s+/)[0] ?? trimmed;
  return Array.from(trimmed)[0] ?? trimmed;
}

/** How the agent addresses the caller: 王先生 / 李女士 for a known resident, else what was typed. */
export function addressOf(
  input: { residentName?: string | null; salutation?: Salutation | null; callerName?: string | null },
  t: Translate,
): string {
  if (input.residentName) {
    return input.salutation
      ? t(`tickets.salutation.${input.salutation}`, { surname: surnameOf(input.residentName) })
      : input.residentName.trim();
  }
  const typed = input.callerName?.trim();
  return typed ? typed : t('tickets.readBack.callerFallback');
}

/** Drops the full stop the agent typed, since the sentence goes on after the content. */
function clauseOf(content: string): string {
  return content.trim().replace(/[\s。.!！?？;；,，、]+$/u, '');
}

/** What the read-back repeats besides the caller, the place and the content. */
export interface ReadBackInput {
  address: string;
  location: string | null;
  content: string;
  typeLabel: string;
  /** The category's own name (漏水渗水), without its first level. */
  categoryLabel?: string | null;
  /** Paid work (有偿): the resident hears it before a technician comes. */
  paid?: boolean;
  /** A home visit's window as said aloud (今天14:00–16:00), R8. */
  appointment?: string | null;
  /** The government hotline's order number. */
  externalRef?: string | null;
  /** A person trapped in a lift (R16): lift, floor and how many. */
  entrapment?: { lift: string; floor: string; people: number } | null;
  /** The number of the open request this one is the same incident as (R11). */
  linkedNumber?: string | null;
}

/**
 * The one sentence read aloud before a phoned-in request is saved (R6), e.g.
 * "王先生，您反映3栋2单元1502：卫生间漏水，我们已为您登记报修（漏水渗水），维修师傅将于今天14:00–16:00上门，对吗？"
 * Each extra (paid work, the visit, the hotline number, the linked incident) is one more clause.
 */
export function readBackSentence(input: ReadBackInput, t: Translate): string {
  const said = clauseOf(input.content);
  const content = input.entrapment
    ? [t('tickets.readBack.entrapment', { ...input.entrapment }), said]
        .filter(Boolean)
        .join(t('tickets.readBack.separator'))
    : said;
  const clauses: string[] = [];
  if (input.paid) clauses.push(t('tickets.readBack.paid'));
  if (input.appointment) clauses.push(t('tickets.readBack.appointment', { window: input.appointment }));
  if (input.externalRef) clauses.push(t('tickets.readBack.hotline', { ref: input.externalRef }));
  if (input.linkedNumber) clauses.push(t('tickets.readBack.linked', { number: input.linkedNumber }));
  const separator = t('tickets.readBack.separator');
  const params = {
    caller: input.address,
    location: input.location ?? '',
    content,
    type: input.categoryLabel
      ? t('tickets.readBack.typeWithCategory', { type: input.typeLabel, category: input.categoryLabel })
      : input.typeLabel,
    extras: clauses.map((clause) => `${separator}${clause}`).join(''),
  };
  return input.location
    ? t('tickets.readBack.withLocation', params)
    : t('tickets.readBack.withoutLocation', params);
}
