export const time = {
  today: '{time}',
  yesterday: '昨天 {time}',
  /** dayjs format strings */
  sameYearFormat: 'M月D日 HH:mm',
  olderFormat: 'YYYY年M月D日',
  dateFormat: 'YYYY年M月D日',
  fullFormat: 'YYYY年M月D日 HH:mm',
};
