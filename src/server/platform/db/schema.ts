import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

/**
 * The database as Kysely sees it. Conventions that make one set of queries serve SQLite
 * and PostgreSQL: timestamps are ISO-8601 UTC strings (text in SQLite, timestamptz in
 * PostgreSQL read back as ISO strings), flags are integers 0/1, JSON is stored as text,
 * ids are UUIDv7 strings.
 */
export type Timestamp = string;
export type Flag = number;

export interface CompanyTable {
  id: string;
  name: string;
  short_name: string;
  hotline: string | null;
  time_zone: string;
  logo_data_url: string | null;
  updated_at: Timestamp;
}

export interface UsersTable {
  id: string;
  username: string;
  employee_no: string;
  name: string;
  phone: string | null;
  locale: string | null;
  password_hash: string;
  must_change_password: Flag;
  disabled: Flag;
  all_communities: Flag;
  failed_logins: Generated<number>;
  locked_until: Timestamp | null;
  last_login_at: Timestamp | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  /** The phone extension the PBX names this person by (§4 screen pop); unique among active users. */
  extension: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface UserRolesTable {
  user_id: string;
  role: string;
}

export interface UserCommunitiesTable {
  user_id: string;
  community_id: string;
}

export interface SessionsTable {
  /** SHA-256 of the cookie value: a stolen database does not yield live sessions. */
  id: string;
  user_id: string;
  csrf_token: string;
  created_at: Timestamp;
  last_seen_at: Timestamp;
  revoked_at: Timestamp | null;
  ip: string | null;
  user_agent: string | null;
}

export interface ApiTokensTable {
  id: string;
  name: string;
  token_hash: string;
  token_prefix: string;
  roles: string;
  community_ids: string;
  all_communities: Flag;
  created_by: string;
  created_at: Timestamp;
  last_used_at: Timestamp | null;
  revoked_at: Timestamp | null;
}

export interface LoginAttemptsTable {
  id: string;
  login: string;
  ip: string;
  at: Timestamp;
  succeeded: Flag;
}

export interface AuditLogTable {
  id: string;
  at: Timestamp;
  actor_type: string;
  actor_id: string | null;
  actor_name: string | null;
  action: string;
  entity_type: string;
  entity_id: string | null;
  community_id: string | null;
  changes: string | null;
  request_id: string | null;
  ip: string | null;
}

export interface CommunitiesTable {
  id: string;
  name: string;
  code: string;
  address: string | null;
  time_zone: string;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface BuildingsTable {
  id: string;
  community_id: string;
  name: string;
  code: string | null;
  /** "3栋" → "3": how room codes name this building (see domain/room-code). */
  designator: string | null;
  steward_user_id: string | null;
  created_at: Timestamp;
}

export interface UnitsTable {
  id: string;
  community_id: string;
  building_id: string;
  name: string;
  designator: string | null;
  created_at: Timestamp;
}

export interface RoomsTable {
  id: string;
  community_id: string;
  building_id: string;
  unit_id: string;
  number: string;
  floor: number | null;
  area: number | null;
  status: string;
  /** Copies of the building's and unit's designators, so a room code is one index lookup. */
  building_key: string | null;
  unit_key: string | null;
  created_at: Timestamp;
  version: ColumnType<number, number | undefined, number>;
}

export interface PublicAreasTable {
  id: string;
  community_id: string;
  name: string;
  created_at: Timestamp;
}

export interface ResidentsTable {
  id: string;
  community_id: string;
  room_id: string;
  name: string;
  phone: string;
  /** Last four digits of the phone (尾号), indexed for lookup. */
  phone_tail: string;
  salutation: string | null;
  kind: string;
  notes: string | null;
  /** Pinyin initials and full pinyin of the name, for search ("zs", "zhangsan"). */
  name_initials: string;
  name_pinyin: string;
  /** JSON array of care marks (R5), or null. */
  care: string | null;
  move_in_date: string | null;
  move_out_date: string | null;
  archived_at: Timestamp | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  version: ColumnType<number, number | undefined, number>;
}

export interface ResidentPhonesTable {
  resident_id: string;
  community_id: string;
  phone: string;
  phone_tail: string;
  sort: number;
}

export interface ResidentRoomsTable {
  resident_id: string;
  room_id: string;
  community_id: string;
  kind: string;
  move_in_date: string | null;
  move_out_date: string | null;
  created_at: Timestamp;
}

export interface TeamsTable {
  id: string;
  community_id: string | null;
  name: string;
  kind: string;
  leader_user_id: string | null;
  created_at: Timestamp;
  archived_at: Timestamp | null;
}

export interface TeamMembersTable {
  team_id: string;
  user_id: string;
  /** On duty: automatic dispatch takes turns among these. */
  on_duty: ColumnType<Flag, Flag | undefined, Flag>;
  last_assigned_at: ColumnType<Timestamp | null, Timestamp | null | undefined, Timestamp | null>;
}

export interface TicketCategoriesTable {
  id: string;
  parent_id: string | null;
  code: string;
  name: string;
  sort: number;
  /** assign (派单) | grab (抢单 from the team's pool) | auto (round-robin among those on duty) */
  dispatch_mode: ColumnType<string, string | undefined, string>;
  /** The team that does this category's work, for grab and auto dispatch. */
  team_id: ColumnType<string | null, string | null | undefined, string | null>;
  archived_at: ColumnType<Timestamp | null, Timestamp | null | undefined, Timestamp | null>;
}

/** The published price list of paid work, per category (R10). */
export interface CategoryPricesTable {
  id: string;
  category_id: string;
  name: string;
  unit: string;
  price: number;
  note: string | null;
  sort: number;
  archived_at: Timestamp | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface TicketsTable {
  id: string;
  number: string;
  community_id: string;
  type: string;
  channel: string;
  priority: string;
  status: string;
  room_id: string | null;
  public_area_id: string | null;
  resident_id: string | null;
  caller_name: string | null;
  caller_phone: string | null;
  category_id: string | null;
  content: string;
  created_by: string | null;
  idempotency_key: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  version: ColumnType<number, number | undefined, number>;
  /** Who has it: a team, and within it a worker (none = in the team's grab pool). */
  team_id: ColumnType<string | null, string | null | undefined, string | null>;
  assignee_id: ColumnType<string | null, string | null | undefined, string | null>;
  /** While pending (R7): the status to return to, why, what happens next, and the ETA told. */
  pending_from: ColumnType<string | null, string | null | undefined, string | null>;
  pending_reason: ColumnType<string | null, string | null | undefined, string | null>;
  pending_next_step: ColumnType<string | null, string | null | undefined, string | null>;
  pending_eta: ColumnType<Timestamp | null, Timestamp | null | undefined, Timestamp | null>;
  escalation_level: ColumnType<number, number | undefined, number>;
  reopen_count: ColumnType<number, number | undefined, number>;
  /** Paid work (有偿, R10): its charge and when it was settled. */
  paid: ColumnType<Flag, Flag | undefined, Flag>;
  charge_amount: ColumnType<number | null, number | null | undefined, number | null>;
  charge_settled_at: ColumnType<Timestamp | null, Timestamp | null | undefined, Timestamp | null>;
  /** The completion report (R10) as JSON. */
  completion: ColumnType<string | null, string | null | undefined, string | null>;
  dispatched_at: ColumnType<Timestamp | null, Timestamp | null | undefined, Timestamp | null>;
  done_at: ColumnType<Timestamp | null, Timestamp | null | undefined, Timestamp | null>;
  closed_at: ColumnType<Timestamp | null, Timestamp | null | undefined, Timestamp | null>;
  /** Complaints only (R15): valid, out_of_scope (outside the service promise) or major. */
  complaint_grade: ColumnType<string | null, string | null | undefined, string | null>;
  /** Repairs: indoor (户内) or public (公区). */
  repair_scope: ColumnType<string | null, string | null | undefined, string | null>;
  /** A home visit's appointment window (上门须预约). */
  appointment_from: ColumnType<Timestamp | null, Timestamp | null | undefined, Timestamp | null>;
  appointment_to: ColumnType<Timestamp | null, Timestamp | null | undefined, Timestamp | null>;
  /** The government hotline platform's own order number. */
  external_ref: ColumnType<string | null, string | null | undefined, string | null>;
  /** One incident, many reporters: the request this one is linked to (R11). */
  parent_id: ColumnType<string | null, string | null | undefined, string | null>;
  /** 首问负责制 (R15): who first heard it, and when it was handed to the responsible team. */
  first_owner_id: ColumnType<string | null, string | null | undefined, string | null>;
  handed_over_at: ColumnType<Timestamp | null, Timestamp | null | undefined, Timestamp | null>;
  /** The emergency playbook's record (R16), JSON. */
  emergency: ColumnType<string | null, string | null | undefined, string | null>;
  /** The resident's confirmation of the finished work (signature or verbal), JSON. */
  confirmation: ColumnType<string | null, string | null | undefined, string | null>;
}

/** Photos and files of a request; the bytes live in the storage, not here. */
export interface TicketAttachmentsTable {
  id: string;
  ticket_id: string;
  community_id: string;
  /** photo_before | photo_after | signature | file */
  kind: string;
  file_name: string;
  content_type: string;
  size: number;
  sha256: string;
  storage_key: string;
  thumbnail_key: string | null;
  width: number | null;
  height: number | null;
  uploaded_by: string | null;
  created_at: Timestamp;
}

/** The outbox of what the resident is told (R14). */
export interface NotificationsTable {
  id: string;
  /** null: an alert of no request (a callback's, R30). */
  ticket_id: string | null;
  /** null: about a caller of no known community. */
  community_id: string | null;
  event: string;
  channel: string;
  recipient_name: string | null;
  recipient_phone: string | null;
  resident_id: string | null;
  /** A member of staff it is addressed to (an escalation alert); null: the resident. */
  user_id: string | null;
  /** When the member of staff read it in the console. */
  read_at: Timestamp | null;
  body: string;
  /** queued | sent | failed | undeliverable */
  status: string;
  attempts: ColumnType<number, number | undefined, number>;
  next_attempt_at: Timestamp | null;
  last_error: string | null;
  created_at: Timestamp;
  sent_at: Timestamp | null;
  /** The callback an alert is about (R30); null: a request's. */
  callback_id: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface TicketEventsTable {
  id: string;
  ticket_id: string;
  community_id: string;
  type: string;
  at: Timestamp;
  actor_id: string | null;
  note: string | null;
  data: string | null;
}

export interface CountersTable {
  name: string;
  value: number;
}

export interface ImportJobsTable {
  id: string;
  community_id: string;
  /** dry_run | ready | importing | done | failed */
  status: string;
  file_name: string;
  format: string;
  encoding: string | null;
  file_size: number;
  file_sha256: string;
  header_row: number | null;
  /** JSON: the column mapping. */
  columns: string;
  create_missing: Flag;
  revision: ColumnType<number, number | undefined, number>;
  /** JSON: counts, places, the first issues. */
  summary: string;
  total_rows: ColumnType<number, number | undefined, number>;
  processed_rows: ColumnType<number, number | undefined, number>;
  created_count: ColumnType<number, number | undefined, number>;
  skipped_count: ColumnType<number, number | undefined, number>;
  created_buildings: ColumnType<number, number | undefined, number>;
  created_units: ColumnType<number, number | undefined, number>;
  created_rooms: ColumnType<number, number | undefined, number>;
  error: string | null;
  lease_owner: string | null;
  lease_until: Timestamp | null;
  created_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  started_at: Timestamp | null;
  finished_at: Timestamp | null;
}

/** The large parts of an import job, apart from the row its progress updates rewrite. */
export interface ImportFilesTable {
  job_id: string;
  /** The uploaded file (bytea in PostgreSQL, blob in SQLite). */
  file_data: Buffer;
  /** The parsed rows, gzip'd JSON. */
  sheet_data: Buffer;
  /** JSON: every issue of the latest dry run. */
  issues: string;
}

/** An SLA policy (§3): one target's time for a type × priority × category, company-wide or per community. */
export interface SlaPoliciesTable {
  id: string;
  community_id: string | null;
  ticket_type: string | null;
  priority: string | null;
  category_id: string | null;
  target: string;
  /** null: no clock for this target where the policy applies. */
  minutes: number | null;
  business_hours: ColumnType<Flag, Flag | undefined, Flag>;
  warn_percent: ColumnType<number, number | undefined, number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** A business calendar (JSON, domain/business-time): the company's (community null) or a community's. */
export interface SlaCalendarsTable {
  id: string;
  community_id: string | null;
  calendar: string;
  updated_at: Timestamp;
}

/** One target's clock on one ticket. */
export interface SlaClocksTable {
  id: string;
  ticket_id: string;
  community_id: string;
  target: string;
  policy_id: string | null;
  /** JSON snapshot: minutes, businessHours, warnPercent, calendar. */
  policy: string;
  started_at: Timestamp;
  due_at: Timestamp;
  warn_at: Timestamp;
  paused_at: Timestamp | null;
  pause_reason: string | null;
  paused_ms: ColumnType<number, number | undefined, number>;
  /** running | paused | met | breached | cancelled */
  status: string;
  warned_at: Timestamp | null;
  breached_at: Timestamp | null;
  met_at: Timestamp | null;
  ended_at: Timestamp | null;
  next_fire_at: Timestamp | null;
  created_at: Timestamp;
  /** The request's number, kept with the clock so that lists of clocks need not read the request. */
  ticket_number: string;
}

export interface SlaClockEventsTable {
  id: string;
  clock_id: string;
  ticket_id: string;
  /** start | pause | resume | met | warn | breach | cancel | reapply */
  type: string;
  at: Timestamp;
  data: string | null;
}

/** One call the PBX reported (§4), rebuilt from its events in `call_events`. */
export interface CallsTable {
  id: string;
  pbx_call_id: string;
  /** in | out */
  direction: string;
  from_number: string | null;
  to_number: string | null;
  /** The other party's number, normalised. */
  remote_number: string | null;
  queue: string | null;
  extension: string | null;
  agent_user_id: string | null;
  resident_id: string | null;
  community_id: string | null;
  match_count: ColumnType<number, number | undefined, number>;
  /** ringing | answered | ended */
  status: string;
  /** answered | missed | abandoned | forwarded | busy | no_answer | failed | cancelled */
  outcome: string | null;
  cause: string | null;
  ringing_at: Timestamp;
  answered_at: Timestamp | null;
  ended_at: Timestamp | null;
  ring_seconds: number | null;
  talk_seconds: number | null;
  /** JSON array of user ids shown the ringing call. */
  notified_user_ids: ColumnType<string, string | undefined, string>;
  missed_handled_at: Timestamp | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface CallEventsTable {
  id: string;
  call_id: string;
  /** newCall | answer | hangup */
  event: string;
  dedupe_key: string;
  occurred_at: Timestamp;
  received_at: Timestamp;
  /** JSON: the normalised event. */
  payload: string;
}

export interface CallTicketsTable {
  call_id: string;
  ticket_id: string;
  created_at: Timestamp;
  created_by: string;
}

/** A callback (回电, R30): a message taken for a colleague or team, or missed calls from one number. */
export interface CallbacksTable {
  id: string;
  /** missed_call | message */
  kind: string;
  community_id: string | null;
  resident_id: string | null;
  room_id: string | null;
  room_text: string | null;
  caller_name: string | null;
  phone: string;
  content: string | null;
  for_user_id: string | null;
  for_team_id: string | null;
  queue: string | null;
  taken_by: string | null;
  called_at: Timestamp;
  last_call_at: Timestamp;
  misses: ColumnType<number, number | undefined, number>;
  /** open | done | closed */
  status: string;
  outcome: string | null;
  close_reason: string | null;
  policy_id: string | null;
  /** JSON ClockTerms, or null: no clock. */
  policy: string | null;
  due_at: Timestamp | null;
  warn_at: Timestamp | null;
  next_fire_at: Timestamp | null;
  warned_at: Timestamp | null;
  breached_at: Timestamp | null;
  responded_at: Timestamp | null;
  next_attempt_at: Timestamp | null;
  attempts: ColumnType<number, number | undefined, number>;
  version: ColumnType<number, number | undefined, number>;
  created_at: Timestamp;
  updated_at: Timestamp;
  done_at: Timestamp | null;
}

export interface CallbackCallsTable {
  call_id: string;
  callback_id: string;
  at: Timestamp;
}

export interface CallbackAttemptsTable {
  id: string;
  callback_id: string;
  at: Timestamp;
  user_id: string;
  /** reached | no_answer | busy | wrong_number */
  outcome: string;
  note: string | null;
}

/** §5 R33: the return-visit policy of one kind of finished job. */
export interface ReturnVisitPoliciesTable {
  kind: string;
  /** none | skip_if_rated | always */
  mode: string;
  sample_percent: number;
  updated_at: Timestamp;
  updated_by: string | null;
}

/** §5 R33: a return visit (回访) owed for a finished request. */
export interface ReturnVisitsTable {
  id: string;
  ticket_id: string;
  community_id: string;
  /** The ticket while the visit is open (unique), else null. */
  open_ticket_id: string | null;
  kind: string;
  mode: string;
  /** open | reached | done | closed */
  status: string;
  assignee_id: string | null;
  completed_at: Timestamp;
  due_at: Timestamp;
  attempts: ColumnType<number, number | undefined, number>;
  next_attempt_at: Timestamp | null;
  last_outcome: string | null;
  /** unreachable | refused | rated | reopened */
  close_reason: string | null;
  resolved: Flag | null;
  rating_id: string | null;
  comment: string | null;
  version: ColumnType<number, number | undefined, number>;
  created_at: Timestamp;
  updated_at: Timestamp;
  done_at: Timestamp | null;
}

export interface ReturnVisitAttemptsTable {
  id: string;
  visit_id: string;
  at: Timestamp;
  user_id: string;
  /** no_answer | busy | reached | refused */
  outcome: string;
  note: string | null;
}

/** Round-robin of the return visits among agents: each agent's last turn. */
export interface ReturnVisitTurnsTable {
  user_id: string;
  last_assigned_at: Timestamp | null;
}

/** §5 R34: a satisfaction rating, from a visit or from the resident's link. */
export interface RatingsTable {
  id: string;
  ticket_id: string;
  community_id: string;
  /** link | visit */
  source: string;
  visit_id: string | null;
  overall: number;
  speed: number;
  attitude: number;
  quality: number;
  comment: string | null;
  created_by: string | null;
  created_at: Timestamp;
}

/** A one-time rating link sent to the resident; only a hash of its token is kept. */
export interface RatingLinksTable {
  id: string;
  ticket_id: string;
  community_id: string;
  token_hash: string;
  expires_at: Timestamp;
  used_at: Timestamp | null;
  rating_id: string | null;
  created_at: Timestamp;
}

/** §5 R34: the complaint follow-up a poor score opens for the 客服主管. */
export interface VisitFollowupsTable {
  id: string;
  ticket_id: string;
  community_id: string;
  rating_id: string;
  visit_id: string | null;
  reason: string;
  /** open | closed */
  status: string;
  assignee_id: string | null;
  outcome: string | null;
  closed_by: string | null;
  closed_at: Timestamp | null;
  version: ColumnType<number, number | undefined, number>;
  created_at: Timestamp;
}

/** §5 R36: a satisfaction survey of one community. */
export interface SurveysTable {
  id: string;
  community_id: string;
  title: string;
  intro: string | null;
  anonymous: Flag;
  /** draft | open | closed */
  status: string;
  opens_at: Timestamp | null;
  closes_at: Timestamp | null;
  created_by: string | null;
  version: ColumnType<number, number | undefined, number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface SurveyQuestionsTable {
  id: string;
  survey_id: string;
  position: number;
  /** single | multiple | scale | text */
  kind: string;
  text: string;
  /** JSON array of the choices (single, multiple), else null. */
  options: string | null;
  required: Flag;
}

/** One resident's one-time link to a survey; only a hash of its token is kept. */
export interface SurveyInvitationsTable {
  id: string;
  survey_id: string;
  resident_id: string | null;
  token_hash: string;
  sent_at: Timestamp;
  responded_at: Timestamp | null;
}

/** One set of answers; of an anonymous survey: no resident, the day only. */
export interface SurveyResponsesTable {
  id: string;
  survey_id: string;
  resident_id: string | null;
  created_at: Timestamp;
}

export interface SurveyAnswersTable {
  response_id: string;
  question_id: string;
  /** JSON of the answer. */
  value: string;
}

/** A standard answer of the knowledge base (R32): company-wide (community null) or a community's. */
export interface KbArticlesTable {
  id: string;
  community_id: string | null;
  category: string;
  question: string;
  answer: string;
  /** JSON array of strings. */
  keywords: string;
  template: Flag;
  /** YYYY-MM-DD: due for review from this day; null: never reviewed. */
  review_by: string | null;
  reviewed_at: Timestamp | null;
  reviewed_by: string | null;
  status: string;
  created_by: string | null;
  updated_by: string | null;
  version: number;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** A standard script of one stage of a call or a visit, with {placeholders}. */
export interface KbScriptsTable {
  id: string;
  stage: string;
  title: string;
  body: string;
  note: string | null;
  updated_by: string | null;
  version: number;
  updated_at: Timestamp;
}

/** §6: a phrase of the service-language library (服务用语), company-wide. */
export interface LanguagePhrasesTable {
  id: string;
  phrase: string;
  phrase_tw: string | null;
  category: string;
  severity: string;
  alternative: string | null;
  alternative_tw: string | null;
  script: string;
  built_in: number;
  source: string | null;
  enabled: number;
  version: number;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** §6: a forbidden phrase sent to a resident anyway, with the override's reason. */
export interface LanguageOverridesTable {
  id: string;
  user_id: string;
  community_id: string | null;
  entity_type: string;
  entity_id: string | null;
  field: string;
  text: string;
  hits: string;
  reason: string;
  created_at: Timestamp;
}

export interface DB {
  company: CompanyTable;
  users: UsersTable;
  user_roles: UserRolesTable;
  user_communities: UserCommunitiesTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  login_attempts: LoginAttemptsTable;
  audit_log: AuditLogTable;
  communities: CommunitiesTable;
  buildings: BuildingsTable;
  units: UnitsTable;
  rooms: RoomsTable;
  public_areas: PublicAreasTable;
  residents: ResidentsTable;
  resident_phones: ResidentPhonesTable;
  resident_rooms: ResidentRoomsTable;
  teams: TeamsTable;
  team_members: TeamMembersTable;
  ticket_categories: TicketCategoriesTable;
  category_prices: CategoryPricesTable;
  ticket_attachments: TicketAttachmentsTable;
  notifications: NotificationsTable;
  tickets: TicketsTable;
  ticket_events: TicketEventsTable;
  counters: CountersTable;
  import_jobs: ImportJobsTable;
  import_files: ImportFilesTable;
  sla_policies: SlaPoliciesTable;
  sla_calendars: SlaCalendarsTable;
  sla_clocks: SlaClocksTable;
  sla_clock_events: SlaClockEventsTable;
  calls: CallsTable;
  call_events: CallEventsTable;
  call_tickets: CallTicketsTable;
  callbacks: CallbacksTable;
  callback_calls: CallbackCallsTable;
  callback_attempts: CallbackAttemptsTable;
  return_visit_policies: ReturnVisitPoliciesTable;
  return_visits: ReturnVisitsTable;
  return_visit_attempts: ReturnVisitAttemptsTable;
  return_visit_turns: ReturnVisitTurnsTable;
  ratings: RatingsTable;
  rating_links: RatingLinksTable;
  visit_followups: VisitFollowupsTable;
  surveys: SurveysTable;
  survey_questions: SurveyQuestionsTable;
  survey_invitations: SurveyInvitationsTable;
  survey_responses: SurveyResponsesTable;
  survey_answers: SurveyAnswersTable;
  language_phrases: LanguagePhrasesTable;
  language_overrides: LanguageOverridesTable;
  kb_articles: KbArticlesTable;
  kb_scripts: KbScriptsTable;
}

export type UserRow = Selectable<UsersTable>;
export type NewUser = Insertable<UsersTable>;
export type TicketRow = Selectable<TicketsTable>;
