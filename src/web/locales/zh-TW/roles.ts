import type { Messages } from '../zh-CN';

export const roles: Messages['roles'] = {
  agent: '客服專員',
  supervisor: '客服主管',
  manager: '服務中心經理',
  quality: '品質部',
  steward: '樓棟管家',
  technician: '維修',
  security: '保全',
  cleaning: '清潔',
  greening: '綠化',
  cashier: '收費員',
  admin: '系統管理員',
  telephony: '電話系統（API 權杖）',
};
