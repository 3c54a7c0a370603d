/** The staff's alerts (R26): escalations that reached the reader's level. */
export const alerts = {
  title: '提醒',
  open: '提醒（{count} 条未读）',
  none: '暂无提醒',
  markAll: '全部已读',
  unread: '未读',
  showAll: '查看已读',
  showUnread: '只看未读',
};
