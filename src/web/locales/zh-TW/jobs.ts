import type { Messages } from '../zh-CN';

export const jobs: Messages['jobs'] = {
  title: '我的工單',
  mine: '我的工單',
  pool: '搶單池',
  emptyMine: '目前沒有派給您的工單。可以到「搶單池」看看有沒有待接的工作。',
  emptyPool: '搶單池裡目前沒有待接的工單，有新工作會出現在這裡。',
  alreadyTaken: '已被他人接走',
  grabbed: '搶單成功，已放入「我的工單」',
  reportTitle: '填寫完工報告',
  submitReport: '提交並完成',
  logout: '登出',
  refresh: '重新整理',
};
