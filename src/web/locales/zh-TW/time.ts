import type { Messages } from '../zh-CN';

export const time: Messages['time'] = {
  today: '{time}',
  yesterday: '昨天 {time}',
  sameYearFormat: 'M月D日 HH:mm',
  olderFormat: 'YYYY年M月D日',
  dateFormat: 'YYYY年M月D日',
  fullFormat: 'YYYY年M月D日 HH:mm',
};
