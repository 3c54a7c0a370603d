import type { Messages } from '../zh-CN';

export const time: Messages['time'] = {
  today: '{time}',
  yesterday: 'Yesterday {time}',
  sameYearFormat: 'MMM D, HH:mm',
  olderFormat: 'MMM D, YYYY',
  dateFormat: 'MMM D, YYYY',
  fullFormat: 'MMM D, YYYY HH:mm',
};
