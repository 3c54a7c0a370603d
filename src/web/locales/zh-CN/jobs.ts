export const jobs = {
  title: '我的工单',
  mine: '我的工单',
  pool: '抢单池',
  emptyMine: '暂时没有派给您的工单。可以到“抢单池”看看有没有待接的活。',
  emptyPool: '抢单池里暂时没有待接的工单，有新活会出现在这里。',
  alreadyTaken: '已被他人接走',
  grabbed: '抢单成功，已放入“我的工单”',
  reportTitle: '填写完成报告',
  submitReport: '提交并完成',
  logout: '退出',
  refresh: '刷新',
};
