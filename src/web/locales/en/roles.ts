import type { Messages } from '../zh-CN';

export const roles: Messages['roles'] = {
  agent: 'Service agent',
  supervisor: 'Service supervisor',
  manager: 'Service center manager',
  quality: 'Quality',
  steward: 'Building steward',
  technician: 'Technician',
  security: 'Security',
  cleaning: 'Cleaning',
  greening: 'Landscaping',
  cashier: 'Cashier',
  admin: 'System administrator',
  telephony: 'Phone system (API token)',
};
