import type { Messages } from '../zh-CN';

export const alerts: Messages['alerts'] = {
  title: '提醒',
  open: '提醒（{count} 則未讀）',
  none: '暫無提醒',
  markAll: '全部已讀',
  unread: '未讀',
  showAll: '查看已讀',
  showUnread: '只看未讀',
};
