/**
 * Phone numbers as people type them: "138 0013 8000", "138-0013-8000", "+86 13800138000",
 * full-width digits, and landlines "021-6234 5678". Returns digits (with a leading + kept
 * for international numbers) or null when it is not a phone number.
 * Short service numbers (110, 12345, 95598) are numbers a caller may ring from, but no
 * person's own number: they pass only with `{ service: true }`.
 */
export function normalizePhone(raw: string, options: { service?: boolean } = {}): string | null {
  const halfWidth = raw
    .replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0))
    .replace(/＋/g, '+');
  const trimmed = halfWidth.trim();
  if (!/^\+?[\d\s\-()]+$/.test(trimmed)) return null;
  let digits = trimmed.replace(/[^\d]/g, '');
  if (trimmed.startsWith('+86')) digits = digits.slice(2);
  else if (trimmed.startsWith('+')) return digits.length >= 8 && digits.length <= 15 ? `+${digits}` : null;
  if (/^1[3-9]\d{9}$/.test(digits)) return digits; // mainland mobile
  if (/^0\d{9,11}$/.test(digits)) return digits; // landline with area code
  if (/^[2-9]\d{6,7}$/.test(digits)) return digits; // local landline (never starts with 0 or 1)
  if (/^[48]00\d{7}$/.test(digits)) return digits; // 400/800 service numbers
  if (options.service && /^(1\d{2}|1\d{4}|9\d{4})$/.test(digits)) return digits; // 110, 12345, 95598 …
  return null;
}

/** The last four digits (尾号) by which residents are commonly looked up. */
export function phoneTail(phone: string): string {
  return phone.replace(/\D/g, '').slice(-4);
}
