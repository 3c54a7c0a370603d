import type { Messages } from '../zh-CN';

export const errors: Messages['errors'] = {
  network: '網路連線失敗，請檢查網路後重試。',
  unknown: '操作未成功，請稍後重試。',
  server: '伺服器暫時無法處理請求，請稍後重試。',
  sessionExpired: '登入已逾時，請重新登入。',
  requestId: '請求編號 {id}',
};
