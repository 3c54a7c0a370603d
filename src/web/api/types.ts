import type { paths } from './schema';

/**
 * Domain types of the console, derived from the generated `paths` (not from component names,
 * which depend on how the server names its schemas).
 */
type JsonOf<R> = R extends { content: { 'application/json': infer T } } ? T : never;
type Ok<Op> = Op extends { responses: { 200: infer R } }
  ? JsonOf<R>
  : Op extends { responses: { 201: infer R } }
    ? JsonOf<R>
    : never;
type Body<Op> = Op extends { requestBody?: infer B } ? JsonOf<NonNullable<B>> : never;
type ItemOf<L> = L extends { items: (infer T)[] } ? T : never;

export type Me = Ok<paths['/api/v1/me']['get']>;
export type Locale = NonNullable<Me['locale']>;
export type Role = Me['roles'][number];
export type CompanyPublic = Ok<paths['/api/v1/company/public']['get']>;
export type Company = Ok<paths['/api/v1/company']['get']>;
export type CompanyInput = Body<paths['/api/v1/company']['put']>;
export type Staff = Ok<paths['/api/v1/staff/{id}']['get']>;
export type StaffCreate = Body<paths['/api/v1/staff']['post']>;
export type StaffPatch = Body<paths['/api/v1/staff/{id}']['patch']>;
export type StaffEntry = ItemOf<Ok<paths['/api/v1/staff/directory']['get']>>;
export type Community = Ok<paths['/api/v1/communities/{id}']['get']>;
export type CommunityCreate = Body<paths['/api/v1/communities']['post']>;
export type Building = ItemOf<Ok<paths['/api/v1/buildings']['get']>>;
export type Unit = ItemOf<Ok<paths['/api/v1/units']['get']>>;
export type Room = Ok<paths['/api/v1/rooms/{id}']['get']>;
export type RoomCreate = Body<paths['/api/v1/rooms']['post']>;
export type RoomStatus = Room['status'];
export type RoomPatch = Body<paths['/api/v1/rooms/{id}']['patch']>;
export type BuildingPatch = Body<paths['/api/v1/buildings/{id}']['patch']>;
export type CommunityTree = Ok<paths['/api/v1/communities/{id}/tree']['get']>;
export type TreeBuilding = CommunityTree['buildings'][number];
export type TreeUnit = TreeBuilding['units'][number];
export type Occupancy = CommunityTree['occupancy'];
export type Team = ItemOf<Ok<paths['/api/v1/teams']['get']>>;
export type TeamKind = Team['kind'];
export type TeamCreate = Body<paths['/api/v1/teams']['post']>;
export type TeamPatch = Body<paths['/api/v1/teams/{id}']['patch']>;
export type ImportJob = Ok<paths['/api/v1/imports/{id}']['get']>;
export type ImportColumn = ImportJob['columns'][number];
export type ImportIssue = ImportJob['issues'][number];
export type ImportField = NonNullable<ImportColumn['field']>;
export type ImportStatus = ImportJob['status'];
export type PublicArea = ItemOf<Ok<paths['/api/v1/public-areas']['get']>>;
export type Resident = Ok<paths['/api/v1/residents/{id}']['get']>;
export type ResidentCreate = Body<paths['/api/v1/residents']['post']>;
export type ResidentKind = Resident['kind'];
export type Salutation = NonNullable<Resident['salutation']>;
export type CareMark = Resident['care'][number];
export type ResidentPatch = Body<paths['/api/v1/residents/{id}']['patch']>;
export type ResidentCard = Ok<paths['/api/v1/residents/{id}/card']['get']>;
export type CardRoom = ResidentCard['rooms'][number];
export type CardTicket = ResidentCard['openTickets'][number];
export type Membership = ItemOf<Ok<paths['/api/v1/residents/{id}/rooms']['get']>>;
export type Household = Ok<paths['/api/v1/rooms/{id}/household']['get']>;
/** A first-level category with its second level (`children`). */
export type TicketCategory = ItemOf<Ok<paths['/api/v1/ticket-categories']['get']>>;
export type TicketSubcategory = TicketCategory['children'][number];
export type CategoryCreate = Body<paths['/api/v1/ticket-categories']['post']>;
export type CategoryPatch = Body<paths['/api/v1/ticket-categories/{id}']['patch']>;
export type DispatchMode = TicketCategory['dispatchMode'];
export type CategoryPrice = ItemOf<Ok<paths['/api/v1/ticket-categories/{id}/prices']['get']>>;
export type PriceCreate = Body<paths['/api/v1/ticket-categories/{id}/prices']['post']>;
export type PricePatch = Body<paths['/api/v1/category-prices/{id}']['patch']>;
export type TeamMember = Team['members'][number];
export type Ticket = ItemOf<Ok<paths['/api/v1/tickets']['get']>>;
export type TicketDetail = Ok<paths['/api/v1/tickets/{id}']['get']>;
export type TicketEvent = TicketDetail['events'][number];
export type TicketCreate = Body<paths['/api/v1/tickets']['post']>;
export type TicketType = Ticket['type'];
export type TicketChannel = Ticket['channel'];
export type TicketPriority = Ticket['priority'];
export type TicketStatus = Ticket['status'];
export type TicketAction = TicketDetail['allowedActions'][number];
export type TicketView = NonNullable<
  NonNullable<paths['/api/v1/tickets']['get']['parameters']['query']>['view']
>;
export type TicketReport = Body<paths['/api/v1/tickets/{id}/complete']['post']>['report'];
export type TicketNotification = ItemOf<Ok<paths['/api/v1/tickets/{id}/notifications']['get']>>;
export type RepairScope = NonNullable<Ticket['repairScope']>;
/** The emergency playbook of a ticket as it stands (R16). */
export type EmergencyDetail = NonNullable<TicketDetail['emergency']>;
export type EmergencyStep = EmergencyDetail['checklist'][number]['step'];
export type EmergencyLogEntry = EmergencyDetail['log'][number]['entry'];
export type EmergencyLogBody = Omit<Body<paths['/api/v1/tickets/{id}/emergency-log']['post']>, 'version'>;
export type IncidentReportBody = Omit<Body<paths['/api/v1/tickets/{id}/incident-report']['post']>, 'version'>;
export type TicketAttachment = ItemOf<Ok<paths['/api/v1/tickets/{id}/attachments']['get']>>;
export type AttachmentKind = TicketAttachment['kind'];
/** The body of POST /tickets/{id}/<action>, without the version the caller adds. */
export type TicketActionBody<A extends TicketAction> = Omit<
  Body<paths[`/api/v1/tickets/{id}/${A}`]['post']>,
  'version'
>;

/** Every code list the console shows, in display order (the server validates the same codes). */
export const LOCALES = ['zh-CN', 'zh-TW', 'en'] as const satisfies readonly Locale[];
export const ROLES = [
  'agent',
  'supervisor',
  'manager',
  'quality',
  'steward',
  'technician',
  'security',
  'cleaning',
  'greening',
  'cashier',
  'admin',
] as const satisfies readonly Role[];
export const TICKET_TYPES = [
  'inquiry',
  'repair',
  'complaint',
  'suggestion',
  'help',
  'praise',
  'emergency',
] as const satisfies readonly TicketType[];
export const TICKET_CHANNELS = [
  'phone',
  'walk_in',
  'wechat',
  'app',
  'web',
  'email',
  'patrol',
  'hotline',
] as const satisfies readonly TicketChannel[];
export const TICKET_PRIORITIES = [
  'urgent',
  'high',
  'normal',
  'low',
] as const satisfies readonly TicketPriority[];
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
] as const satisfies readonly TicketStatus[];
/** The queues of the tickets list, in tab order (undefined: every ticket of my communities). */
export const TICKET_VIEWS = [
  'mine',
  'team',
  'unassigned',
  'pending',
] as const satisfies readonly TicketView[];
/** The order the desk shows action buttons in: the next step first, the way out last. */
export const TICKET_ACTIONS = [
  'dispatch',
  'grab',
  'accept',
  'arrive',
  'start',
  'complete',
  'resume',
  'answer',
  'close',
  'pend',
  'reassign',
  'escalate',
  'decline',
  'reopen',
  'cancel',
] as const satisfies readonly TicketAction[];
export const DISPATCH_MODES = ['assign', 'grab', 'auto'] as const satisfies readonly DispatchMode[];
/** The lift-entrapment playbook's log entries, in the order they are usually worked (R16). */
export const EMERGENCY_LOG_ENTRIES = [
  'contractor_called',
  'onsite_notified',
  'reassurance_call',
  'rescuers_arrived',
  'released',
  'lift_checked',
] as const satisfies readonly EmergencyLogEntry[];
/** What the desk uploads; signatures come from the technician's phone. */
export const DESK_ATTACHMENT_KINDS = [
  'photo_before',
  'photo_after',
  'file',
] as const satisfies readonly AttachmentKind[];
export const ROOM_STATUSES = ['occupied', 'vacant', 'renovating'] as const satisfies readonly RoomStatus[];
export const TEAM_KINDS = [
  'repair',
  'security',
  'cleaning',
  'greening',
  'engineering',
  'service',
  'other',
] as const satisfies readonly TeamKind[];
/** The fields a sheet column can be read as, in the order the mapping offers them. */
export const IMPORT_FIELDS = [
  'roomCode',
  'building',
  'unit',
  'room',
  'name',
  'phone',
  'kind',
  'salutation',
  'area',
  'roomStatus',
  'moveInDate',
  'care',
  'notes',
] as const satisfies readonly ImportField[];
export const RESIDENT_KINDS = ['owner', 'tenant', 'family'] as const satisfies readonly ResidentKind[];
export const SALUTATIONS = ['mr', 'ms'] as const satisfies readonly Salutation[];
/** Care marks (R5), most common first. */
export const CARE_MARKS = [
  'living_alone',
  'elderly',
  'disabled',
  'ill',
  'pregnant',
  'child',
] as const satisfies readonly CareMark[];
