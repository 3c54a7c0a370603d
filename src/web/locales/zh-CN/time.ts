export const time = {
  today: '{time}',
  yesterday: '昨天 {time}',
  /** dayjs format strings */
  sameYearFormat: 'M月D日 HH:mm',
  olderFormat: 'YYYY年M月D日',
  dateFormat: 'YYYY年M月D日',
  fullFormat: 'YYYY年M月D日 HH:mm',
  windowToday: '今天{from}–{to}',
  windowTomorrow: '明天{from}–{to}',
  windowOther: '{date}{from}–{to}',
  windowDateFormat: 'M月D日',
  minutes: '{m}分钟',
  hours: '{h}小时',
  hoursMinutes: '{h}小时{m}分',
};
