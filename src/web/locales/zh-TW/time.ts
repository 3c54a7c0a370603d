import type { Messages } from '../zh-CN';

export const time: Messages['time'] = {
  today: '{time}',
  yesterday: '昨天 {time}',
  sameYearFormat: 'M月D日 HH:mm',
  olderFormat: 'YYYY年M月D日',
  dateFormat: 'YYYY年M月D日',
  fullFormat: 'YYYY年M月D日 HH:mm',
  windowToday: '今天{from}–{to}',
  windowTomorrow: '明天{from}–{to}',
  windowOther: '{date}{from}–{to}',
  windowDateFormat: 'M月D日',
  minutes: '{m}分鐘',
  hours: '{h}小時',
  hoursMinutes: '{h}小時{m}分',
};
