import type { Messages } from '../zh-CN';

export const alerts: Messages['alerts'] = {
  title: 'Alerts',
  open: 'Alerts ({count} unread)',
  none: 'No alerts',
  markAll: 'Mark all read',
  unread: 'Unread',
  showAll: 'Show read ones too',
  showUnread: 'Unread only',
};
