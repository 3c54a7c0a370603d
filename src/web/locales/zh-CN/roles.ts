export const roles = {
  agent: '客服专员',
  supervisor: '客服主管',
  manager: '服务中心经理',
  quality: '品质部',
  steward: '楼栋管家',
  technician: '维修',
  security: '保安',
  cleaning: '保洁',
  greening: '绿化',
  cashier: '收费员',
  admin: '系统管理员',
  telephony: '电话系统（API 令牌）',
};
