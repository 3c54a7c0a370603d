import { pinyin } from 'pinyin-pro';

/**
 * How staff type a resident's name when they do not type the characters: pinyin initials
 * ("zs" for 张三) or full pinyin ("zhangsan"). Surnames are read in their surname reading
 * (曾 → zeng, 单 → shan). Latin letters in a name are kept, lower-cased.
 */
export function nameSearchKeys(name: string): { initials: string; pinyin: string } {
  const syllables = pinyin(name.trim(), {
    toneType: 'none',
    type: 'array',
    surname: 'head',
    nonZh: 'consecutive',
  })
    .map((s) => s.toLowerCase().replace(/[^a-z0-9]/g, ''))
    .filter(Boolean);
  return { initials: syllables.map((s) => s[0]).join(''), pinyin: syllables.join('') };
}

/** Care marks for residents who need extra attention (R5). */
export const CARE_MARKS = ['living_alone', 'elderly', 'disabled', 'ill', 'pregnant', 'child'] as const;
export type CareMark = (typeof CARE_MARKS)[number];

/** Masks all but the first three and last four digits: 138****5678 (R4). */
export function maskPhone(phone: string): string {
  if (phone.length <= 7) return phone.length <= 4 ? '****' : `${phone.slice(0, 1)}***${phone.slice(-2)}`;
  const keepHead = phone.startsWith('+') ? 4 : 3;
  return `${phone.slice(0, keepHead)}${'*'.repeat(phone.length - keepHead - 4)}${phone.slice(-4)}`;
}
