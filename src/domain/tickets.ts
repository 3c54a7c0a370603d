/** Service requests (工单): the codes the API speaks. The console shows them in Chinese. */
export const TICKET_TYPES = [
  'inquiry',
  'repair',
  'complaint',
  'suggestion',
  'help',
  'praise',
  'emergency',
] as const;
export type TicketType = (typeof TICKET_TYPES)[number];

export const TICKET_CHANNELS = [
  'phone',
  'walk_in',
  'wechat',
  'app',
  'web',
  'email',
  'patrol',
  'hotline',
] as const;
export type TicketChannel = (typeof TICKET_CHANNELS)[number];

export const TICKET_PRIORITIES = ['urgent', 'high', 'normal', 'low'] as const;
export type TicketPriority = (typeof TICKET_PRIORITIES)[number];

/** 受理 → 派单 → 接单 → 到场 → 处理中 → 完成 → 关闭, plus 挂起 and 作废. */
export const TICKET_STATUSES = [
  'received',
  'dispatched',
  'accepted',
  'on_site',
  'in_progress',
  'pending',
  'done',
  'closed',
  'cancelled',
] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

export const TICKET_EVENT_TYPES = ['created'] as const;
export type TicketEventType = (typeof TICKET_EVENT_TYPES)[number];

/**
 * R6: a request taken by phone or at the desk records who called, where, how to reach them
 * and what they said. Returns the names of the missing parts.
 */
export function missingIntakeParts(input: {
  channel: TicketChannel;
  hasLocation: boolean;
  hasContactName: boolean;
  hasContactPhone: boolean;
}): ('location' | 'contactName' | 'contactPhone')[] {
  if (input.channel !== 'phone' && input.channel !== 'walk_in') return [];
  const missing: ('location' | 'contactName' | 'contactPhone')[] = [];
  if (!input.hasLocation) missing.push('location');
  if (!input.hasContactName) missing.push('contactName');
  if (!input.hasContactPhone) missing.push('contactPhone');
  return missing;
}
