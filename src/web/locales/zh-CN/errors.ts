export const errors = {
  network: '网络连接失败，请检查网络后重试。',
  unknown: '操作未成功，请稍后重试。',
  server: '服务器暂时无法处理请求，请稍后重试。',
  sessionExpired: '登录已过期，请重新登录。',
  requestId: '请求编号 {id}',
};
