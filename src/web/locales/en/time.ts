import type { Messages } from '../zh-CN';

export const time: Messages['time'] = {
  today: '{time}',
  yesterday: 'Yesterday {time}',
  sameYearFormat: 'MMM D, HH:mm',
  olderFormat: 'MMM D, YYYY',
  dateFormat: 'MMM D, YYYY',
  fullFormat: 'MMM D, YYYY HH:mm',
  windowToday: 'today {from}–{to}',
  windowTomorrow: 'tomorrow {from}–{to}',
  windowOther: '{date} {from}–{to}',
  windowDateFormat: 'MMM D',
  minutes: '{m} min',
  hours: '{h} h',
  hoursMinutes: '{h} h {m} min',
};
