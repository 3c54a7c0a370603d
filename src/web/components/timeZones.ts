/** Time zones offered first: where Chinese-speaking property companies operate. */
const COMMON = [
  'Asia/Shanghai',
  'Asia/Hong_Kong',
  'Asia/Macau',
  'Asia/Taipei',
  'Asia/Urumqi',
  'Asia/Singapore',
];

export function timeZoneOptions(): { value: string; label: string }[] {
  const all = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  const rest = all.filter((zone) => !COMMON.includes(zone));
  return [...COMMON, ...rest].map((zone) => ({ value: zone, label: zone }));
}

export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';
