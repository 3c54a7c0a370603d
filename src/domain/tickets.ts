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
 * What a request must record when it is received. R6: one taken by phone or at the desk records
 * who called, where and how to reach them. Any request but a patrol finding has someone to
 * reply to, so it names a contact (a registered resident, or a caller's name and phone as taken).
 */
export function missingIntakeParts(input: {
  channel: TicketChannel;
  hasLocation: boolean;
  hasContactName: boolean;
  hasContactPhone: boolean;
}): ('location' | 'contactName' | 'contactPhone')[] {
  const missing: ('location' | 'contactName' | 'contactPhone')[] = [];
  if ((input.channel === 'phone' || input.channel === 'walk_in') && !input.hasLocation)
    missing.push('location');
  if (input.channel !== 'patrol') {
    if (!input.hasContactName) missing.push('contactName');
    if (!input.hasContactPhone) missing.push('contactPhone');
  }
  return missing;
}

/** How a complaint is graded (R15): valid, outside the service promise, or major (to the manager). */
export const COMPLAINT_GRADES = ['valid', 'out_of_scope', 'major'] as const;
export type ComplaintGrade = (typeof COMPLAINT_GRADES)[number];
/** A major complaint goes to the 服务中心经理: escalation level 3 of worker → lead → 主管 → 经理 → 品质部. */
export const MAJOR_COMPLAINT_LEVEL = 3;

/** Where a repair is: inside a home (户内, the resident's own) or in a public area (公区). */
export const REPAIR_SCOPES = ['indoor', 'public'] as const;
export type RepairScope = (typeof REPAIR_SCOPES)[number];

/** How far back a new request is matched against open ones as the same incident (R11). */
export const INCIDENT_MATCH_HOURS = 24;
/** The longest appointment window offered for a home visit. */
export const MAX_APPOINTMENT_HOURS = 12;
