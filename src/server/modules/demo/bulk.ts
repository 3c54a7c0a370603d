import { randomBytes } from 'node:crypto';
import { type BusinessCalendar, STANDARD_CALENDAR } from '../../../domain/business-time.js';
import { nameSearchKeys } from '../../../domain/names.js';
import { needsVisit, sampleBucket, type VisitPolicy, visitKindOf } from '../../../domain/return-visits.js';
import type { Role } from '../../../domain/roles.js';
import { buildingDesignator, unitDesignator } from '../../../domain/room-code.js';
import type { SlaPolicy, SlaTicket } from '../../../domain/sla.js';
import type { TicketChannel, TicketPriority, TicketStatus, TicketType } from '../../../domain/tickets.js';
import { hashPassword } from '../../platform/auth/passwords.js';
import type { Database } from '../../platform/db/database.js';
import { toPolicy } from '../sla/sla.repository.js';
import {
  ADVICE,
  ANSWERS,
  apportion,
  CANCEL_REASONS,
  CHANNELS_BY_TYPE,
  communityName,
  FEMALE_GIVEN,
  HOLDS,
  MALE_GIVEN,
  mobileNumber,
  PATROL_TEMPLATES,
  PUBLIC_AREAS,
  Random,
  REPORTS,
  SURNAME_WEIGHTS,
  SURNAMES,
  TEAM_OF_CATEGORY,
  TEMPLATES,
  type Template,
  TYPE_WEIGHTS,
  Weighted,
  weighted,
} from './bulk.data.js';
import { openSink, type TableStats, type Value } from './bulk.sink.js';
import { IdMaker, iso, TicketTimeline } from './bulk.timeline.js';

/**
 * The large operator (大型物业公司): hundreds of communities, a million residents and millions of
 * requests over two years, written straight into the tables in bulk — the demo generator
 * (demo.generator.ts) goes through the services and is far too slow for that. Every row is the row
 * the app itself would have written for the same history: the registry with the designators and
 * room keys the registry service stores, residents with their phones, households and the search
 * keys (pinyin, initials, 尾号) the residents service writes, staff with roles, communities and
 * teams; requests numbered per day as TicketsService numbers them, each with the timeline of the
 * steps that brought it to its status (the data each step records), and — for requests still open
 * — the SLA clocks and their events as the clocks and the scheduler would have left them
 * (warnings, breaches, and the escalation a breach makes, R26), return visits of finished jobs
 * owed one (R33). On an empty database, one seed and one `now` give the same rows.
 *
 * Not generated: the audit trail and the outbox of messages of this history (they record what
 * happened, nothing reads them back to work), the clocks of finished requests, lift-entrapment
 * playbooks (R16), ratings, calls and callbacks.
 */

export interface BulkOptions {
  seed: number;
  communities: number;
  residents: number;
  tickets: number;
  /** Requests are spread over this many years, up to `now`. */
  years: number;
  /** Share of requests still open at `now` (received … on hold, and done awaiting its close). */
  openShare: number;
  /** Share of finished requests that were cancelled (作废); the rest are closed. */
  cancelShare: number;
  /** The end of the history (default: the current minute). */
  now: Date;
  /** The password of every generated member of staff. */
  password: string;
  /** Residents handed back for benchmarks and tests. */
  samples: number;
  /** Keep foreign-key checks on while loading (tests). */
  checkForeignKeys: boolean;
  onProgress?: (line: string) => void;
}

export const DEFAULT_BULK_OPTIONS: Omit<BulkOptions, 'now' | 'onProgress'> = {
  seed: 20261201,
  communities: 200,
  residents: 1_000_000,
  tickets: 5_000_000,
  years: 2,
  openShare: 0.03,
  cancelShare: 0.03,
  password: 'Bulk2026!x',
  samples: 2_000,
  checkForeignKeys: false,
};

export interface BulkSample {
  communityIndex: number;
  communityId: string;
  residentId: string;
  name: string;
  phone: string;
  /** "3-2-1502": building-unit-room, as the desk types it. */
  roomCode: string;
}

export interface BulkLogin {
  username: string;
  employeeNo: string;
  roles: Role[];
  /** Community codes, or 'all'. */
  communities: string[] | 'all';
}

export interface BulkTableStats extends TableStats {
  rowsPerSecond: number;
}

export interface BulkResult {
  sizes: {
    communities: number;
    residents: number;
    tickets: number;
    years: number;
    seed: number;
    now: string;
  };
  counts: Record<string, number>;
  tables: BulkTableStats[];
  /** Wall time: building rows and writing them; rebuilding indexes; ANALYZE; all. */
  loadSeconds: number;
  indexSeconds: number;
  analyzeSeconds: number;
  totalSeconds: number;
  communities: { id: string; code: string; name: string; residents: number }[];
  /** Logins of the first community's staff and the company-wide ones (all share `password`). */
  logins: BulkLogin[];
  password: string;
  samples: BulkSample[];
  distributions: {
    status: Record<string, number>;
    type: Record<string, number>;
    channel: Record<string, number>;
    priority: Record<string, number>;
  };
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Asia/Shanghai has kept UTC+8 without daylight saving since 1991: days and ticket numbers by it. */
const SHANGHAI_OFFSET = 8 * HOUR;
const TIME_ZONE = 'Asia/Shanghai';

/** Tables written, parents first. */
const TABLES: Record<string, readonly string[]> = {
  communities: ['id', 'name', 'code', 'address', 'time_zone', 'created_at', 'updated_at'],
  users: [
    'id',
    'username',
    'employee_no',
    'name',
    'phone',
    'locale',
    'password_hash',
    'must_change_password',
    'disabled',
    'all_communities',
    'failed_logins',
    'locked_until',
    'last_login_at',
    'created_at',
    'updated_at',
    'extension',
  ],
  user_roles: ['user_id', 'role'],
  user_communities: ['user_id', 'community_id'],
  buildings: ['id', 'community_id', 'name', 'code', 'designator', 'steward_user_id', 'created_at'],
  units: ['id', 'community_id', 'building_id', 'name', 'designator', 'created_at'],
  rooms: [
    'id',
    'community_id',
    'building_id',
    'unit_id',
    'number',
    'floor',
    'area',
    'status',
    'building_key',
    'unit_key',
    'created_at',
    'version',
  ],
  public_areas: ['id', 'community_id', 'name', 'created_at'],
  residents: [
    'id',
    'community_id',
    'room_id',
    'name',
    'phone',
    'phone_tail',
    'salutation',
    'kind',
    'notes',
    'name_initials',
    'name_pinyin',
    'care',
    'move_in_date',
    'move_out_date',
    'archived_at',
    'created_at',
    'updated_at',
    'version',
  ],
  resident_phones: ['resident_id', 'community_id', 'phone', 'phone_tail', 'sort'],
  resident_rooms: [
    'resident_id',
    'room_id',
    'community_id',
    'kind',
    'move_in_date',
    'move_out_date',
    'created_at',
  ],
  teams: ['id', 'community_id', 'name', 'kind', 'leader_user_id', 'created_at', 'archived_at'],
  team_members: ['team_id', 'user_id', 'on_duty', 'last_assigned_at'],
  tickets: [
    'id',
    'number',
    'community_id',
    'type',
    'channel',
    'priority',
    'status',
    'room_id',
    'public_area_id',
    'resident_id',
    'caller_name',
    'caller_phone',
    'category_id',
    'content',
    'created_by',
    'idempotency_key',
    'created_at',
    'updated_at',
    'version',
    'team_id',
    'assignee_id',
    'pending_from',
    'pending_reason',
    'pending_next_step',
    'pending_eta',
    'escalation_level',
    'reopen_count',
    'paid',
    'charge_amount',
    'charge_settled_at',
    'completion',
    'dispatched_at',
    'done_at',
    'closed_at',
    'complaint_grade',
    'repair_scope',
    'appointment_from',
    'appointment_to',
    'external_ref',
    'parent_id',
    'first_owner_id',
    'handed_over_at',
    'emergency',
    'confirmation',
  ],
  ticket_events: ['id', 'ticket_id', 'community_id', 'type', 'at', 'actor_id', 'note', 'data'],
  sla_clocks: [
    'id',
    'ticket_id',
    'community_id',
    'target',
    'policy_id',
    'policy',
    'started_at',
    'due_at',
    'warn_at',
    'paused_at',
    'pause_reason',
    'paused_ms',
    'status',
    'warned_at',
    'breached_at',
    'met_at',
    'ended_at',
    'next_fire_at',
    'created_at',
    'ticket_number',
  ],
  sla_clock_events: ['id', 'clock_id', 'ticket_id', 'type', 'at', 'data'],
  return_visits: [
    'id',
    'ticket_id',
    'community_id',
    'open_ticket_id',
    'kind',
    'mode',
    'status',
    'assignee_id',
    'completed_at',
    'due_at',
    'attempts',
    'next_attempt_at',
    'last_outcome',
    'close_reason',
    'resolved',
    'rating_id',
    'comment',
    'version',
    'created_at',
    'updated_at',
    'done_at',
  ],
  return_visit_turns: ['user_id', 'last_assigned_at'],
};

/** Staff of each community: role → how many. */
const COMMUNITY_STAFF: readonly (readonly [Role, number])[] = [
  ['agent', 2],
  ['supervisor', 1],
  ['steward', 2],
  ['technician', 4],
  ['security', 3],
  ['cleaning', 2],
  ['greening', 1],
];
/** One 服务中心经理 per this many communities. */
const COMMUNITIES_PER_MANAGER = 10;

type TeamKind = 'repair' | 'security' | 'cleaning' | 'greening' | 'service';
const TEAMS: readonly { kind: TeamKind; name: string; role: Role }[] = [
  { kind: 'repair', name: '工程维修组', role: 'technician' },
  { kind: 'security', name: '秩序维护队', role: 'security' },
  { kind: 'cleaning', name: '保洁组', role: 'cleaning' },
  { kind: 'greening', name: '绿化组', role: 'greening' },
  { kind: 'service', name: '客服管家组', role: 'steward' },
];

/** Building shapes of Chinese estates: top floor, units, flats per floor (rooms on floors 2..top). */
const SHAPES = weighted([
  [{ top: 6, units: 3, doors: 2 }, 2],
  [{ top: 11, units: 2, doors: 2 }, 3],
  [{ top: 18, units: 2, doors: 3 }, 4],
  [{ top: 26, units: 2, doors: 4 }, 3],
  [{ top: 33, units: 1, doors: 4 }, 1],
] as const);

/** When requests come in, by hour of the local day. */
const HOUR_WEIGHTS = [1, 0.5, 0.3, 0.3, 0.3, 0.5, 1.5, 4, 8, 10, 10, 9, 7, 7, 9, 9, 9, 8, 8, 9, 8, 6, 4, 2];

/**
 * Requests still open: how they are spread over the statuses, and how long each has typically
 * been waiting (the mean of an exponential age, at most OPEN_MAX_AGE): not yet dispatched for
 * a couple of hours at most, on hold for a week.
 */
const OPEN_STATUS_MIX = weighted<TicketStatus>([
  ['received', 12],
  ['dispatched', 10],
  ['accepted', 10],
  ['on_site', 5],
  ['in_progress', 20],
  ['pending', 23],
  ['done', 20],
]);
const OPEN_MEAN_AGE: Partial<Record<TicketStatus, number>> = {
  received: 2 * 3_600_000,
  dispatched: 3 * 3_600_000,
  accepted: 8 * 3_600_000,
  on_site: 3 * 3_600_000,
  in_progress: 30 * 3_600_000,
  pending: 7 * 86_400_000,
  done: 30 * 3_600_000,
};
const OPEN_MAX_AGE = 60 * 86_400_000;

interface Person {
  name: string;
  salutation: 'mr' | 'ms';
}

interface CommunityState {
  index: number;
  id: string;
  code: string;
  name: string;
  residentTarget: number;
  ticketWeight: number;
  /** Per resident: id, room index, needs care. */
  residentIds: string[];
  residentRoom: number[];
  residentCare: boolean[];
  roomIds: string[];
  roomBuilding: number[];
  buildings: string[];
  areas: Map<string, string>;
  agents: string[];
  desk: string[];
  patrollers: { name: string; phone: string }[];
  teams: Map<TeamKind, { id: string; members: string[] }>;
  visitTurn: number;
}

/** Loads the large operator into `database` (migrated; any data already there is left alone). */
export async function generateBulk(
  database: Database,
  input: Partial<BulkOptions> = {},
): Promise<BulkResult> {
  const started = performance.now();
  const o: BulkOptions = {
    ...DEFAULT_BULK_OPTIONS,
    now: new Date(Math.floor(Date.now() / MINUTE) * MINUTE),
    ...input,
  };
  checkOptions(o);
  const say = o.onProgress ?? (() => {});
  const { db } = database;
  const nowMs = o.now.getTime();

  // ---- what the app already holds: categories, SLA policies, calendars, visit policies --------
  const categoryRows = await db.selectFrom('ticket_categories').select(['id', 'parent_id']).execute();
  const parentOf = new Map(categoryRows.map((c) => [c.id, c.parent_id]));
  for (const template of [...Object.values(TEMPLATES).flat(), ...PATROL_TEMPLATES]) {
    if (!parentOf.has(template.category))
      throw new Error(`bulk: category ${template.category} is not in the category tree`);
  }
  const policies: SlaPolicy[] = (
    await db.selectFrom('sla_policies').selectAll().where('community_id', 'is', null).execute()
  ).map(toPolicy);
  const companyCalendar = await db
    .selectFrom('sla_calendars')
    .select('calendar')
    .where('community_id', 'is', null)
    .executeTakeFirst();
  const calendar: BusinessCalendar = companyCalendar
    ? (JSON.parse(companyCalendar.calendar) as BusinessCalendar)
    : { ...STANDARD_CALENDAR, timeZone: TIME_ZONE };
  const visitPolicies = new Map<string, VisitPolicy>(
    (await db.selectFrom('return_visit_policies').selectAll().execute()).map((p) => [
      p.kind,
      {
        kind: p.kind as VisitPolicy['kind'],
        mode: p.mode as VisitPolicy['mode'],
        samplePercent: p.sample_percent,
      },
    ]),
  );
  const takenCodes = new Set(
    (await db.selectFrom('communities').select('code').execute()).map((c) => c.code),
  );
  const counters = new Map(
    (await db.selectFrom('counters').selectAll().where('name', 'like', 'ticket:GD%').execute()).map((c) => [
      c.name,
      Number(c.value),
    ]),
  );
  const fresh =
    takenCodes.size === 0 &&
    !(await db.selectFrom('tickets').select('id').limit(1).executeTakeFirst()) &&
    !(await db.selectFrom('residents').select('id').limit(1).executeTakeFirst());
  const passwordHash = await hashPassword(o.password);
  // beside data already there (--force), ids and numbers must not repeat those of an earlier load
  // of the same seed: the ids get fresh randomness, the phones go on after the numbers in use
  const idSalt = fresh ? 0 : randomBytes(4).readUInt32LE(0);
  const phonesInUse = fresh
    ? 0
    : Number(
        (
          await db
            .selectFrom('resident_phones')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      ) +
      Number(
        (
          await db
            .selectFrom('users')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );

  const sink = openSink(database, { checkForeignKeys: o.checkForeignKeys, fresh });
  for (const [table, columns] of Object.entries(TABLES)) sink.define(table, columns);
  const counts: Record<string, number> = {};
  const bump = (table: string, n = 1) => {
    counts[table] = (counts[table] ?? 0) + n;
  };
  const add = (table: string, row: Value[]) => {
    sink.add(table, row);
    bump(table);
  };

  const spanDays = Math.max(1, Math.round(o.years * 365));
  const todayStart = Math.floor((nowMs + SHANGHAI_OFFSET) / DAY) * DAY - SHANGHAI_OFFSET;
  const firstDay = todayStart - (spanDays - 1) * DAY;
  // the registry and the staff were set up a month before the first request
  const setupAt = firstDay - 30 * DAY;

  const result: BulkResult = {
    sizes: {
      communities: o.communities,
      residents: o.residents,
      tickets: o.tickets,
      years: o.years,
      seed: o.seed,
      now: o.now.toISOString(),
    },
    counts,
    tables: [],
    loadSeconds: 0,
    indexSeconds: 0,
    analyzeSeconds: 0,
    totalSeconds: 0,
    communities: [],
    logins: [],
    password: o.password,
    samples: [],
    distributions: { status: {}, type: {}, channel: {}, priority: {} },
  };

  await sink.start(Object.keys(TABLES));
  try {
    // ---- the registry, residents and staff, one community at a time -------------------------
    const registryRandom = new Random(o.seed);
    const peopleRandom = new Random(o.seed ^ 0x13579bdf);
    const ids = new IdMaker(new Random(o.seed ^ 0x2468ace0 ^ idSalt));
    let phoneSeq = phonesInUse;
    const nextPhone = () => mobileNumber(phoneSeq++, o.seed);
    const surnames = new Weighted(SURNAMES, SURNAME_WEIGHTS);
    const keyCache = new Map<string, { initials: string; pinyin: string }>();
    const person = (surname?: string): Person => {
      const male = peopleRandom.chance(0.5);
      return {
        name: (surname ?? surnames.pick(peopleRandom)) + peopleRandom.pick(male ? MALE_GIVEN : FEMALE_GIVEN),
        salutation: male ? 'mr' : 'ms',
      };
    };
    // setup times advance a millisecond per row, so ids follow the order of creation
    let clock = setupAt;
    const tick = () => ++clock;

    // community sizes vary (a few large estates, many middling ones); residents add up exactly
    const sizeWeights = Array.from({ length: o.communities }, () => Math.exp(0.45 * registryRandom.normal()));
    const residentTargets = apportion(o.residents, sizeWeights);
    const communities: CommunityState[] = [];
    const sampleEvery = Math.max(1, Math.floor(o.residents / Math.max(1, o.samples)));
    let residentSeq = 0;
    let codeSeq = 0;
    const loginCommunities = new Set<number>([0]);
    const users = (user: {
      username: string;
      employeeNo: string;
      person: Person;
      roles: Role[];
      communityIds: string[];
      all?: boolean;
      codes: string[] | 'all';
      communityIndex: number | null;
    }) => {
      const at = iso(tick());
      const id = ids.at(clock);
      add('users', [
        id,
        user.username,
        user.employeeNo,
        user.person.name,
        nextPhone(),
        null,
        passwordHash,
        0,
        0,
        user.all ? 1 : 0,
        0,
        null,
        null,
        at,
        at,
        null,
      ]);
      for (const role of user.roles) add('user_roles', [id, role]);
      for (const communityId of user.communityIds) add('user_communities', [id, communityId]);
      if (user.communityIndex === null || loginCommunities.has(user.communityIndex)) {
        result.logins.push({
          username: user.username,
          employeeNo: user.employeeNo,
          roles: user.roles,
          communities: user.codes,
        });
      }
      return id;
    };

    const registryStarted = performance.now();
    for (let c = 0; c < o.communities; c++) {
      let code: string;
      do code = `XQ${String(++codeSeq).padStart(4, '0')}`;
      while (takenCodes.has(code));
      takenCodes.add(code);
      const named = communityName(c, registryRandom);
      const id = ids.at(tick());
      const at = iso(clock);
      add('communities', [id, named.name, code, named.address, TIME_ZONE, at, at]);
      const state: CommunityState = {
        index: c,
        id,
        code,
        name: named.name,
        residentTarget: residentTargets[c]!,
        ticketWeight: Math.max(1, residentTargets[c]!),
        residentIds: [],
        residentRoom: [],
        residentCare: [],
        roomIds: [],
        roomBuilding: [],
        buildings: [],
        areas: new Map(),
        agents: [],
        desk: [],
        patrollers: [],
        teams: new Map(),
        visitTurn: 0,
      };
      communities.push(state);
      result.communities.push({ id, code, name: named.name, residents: state.residentTarget });

      // staff and teams
      const prefix = code.toLowerCase();
      let staffNo = 0;
      const byRole = new Map<Role, string[]>();
      for (const [role, n] of COMMUNITY_STAFF) {
        for (let k = 1; k <= n; k++) {
          const who = person();
          const userId = users({
            username: `${prefix}.${role}${k}`,
            employeeNo: `${code}-${String(++staffNo).padStart(2, '0')}`,
            person: who,
            roles: [role],
            communityIds: [id],
            codes: [code],
            communityIndex: c,
          });
          byRole.set(role, [...(byRole.get(role) ?? []), userId]);
          if (role === 'security' || role === 'cleaning') {
            state.patrollers.push({ name: who.name, phone: mobileNumber(phoneSeq - 1, o.seed) });
          }
        }
      }
      state.agents = byRole.get('agent') ?? [];
      state.desk = [...state.agents, ...(byRole.get('supervisor') ?? [])];
      for (const team of TEAMS) {
        const members = byRole.get(team.role) ?? [];
        const teamId = ids.at(tick());
        add('teams', [teamId, id, team.name, team.kind, members[0] ?? null, iso(clock), null]);
        for (const member of members) add('team_members', [teamId, member, 1, null]);
        state.teams.set(team.kind, { id: teamId, members });
      }
      for (const area of PUBLIC_AREAS) {
        const areaId = ids.at(tick());
        add('public_areas', [areaId, id, area, iso(clock)]);
        state.areas.set(area, areaId);
      }

      // buildings, units, rooms, and the households living in them
      const shape = SHAPES.pick(registryRandom);
      const stewards = byRole.get('steward') ?? [];
      let placed = 0;
      for (let b = 1; placed < state.residentTarget; b++) {
        const buildingName = `${b}栋`;
        const buildingId = ids.at(tick());
        const buildingKey = buildingDesignator(buildingName);
        add('buildings', [
          buildingId,
          id,
          buildingName,
          null,
          buildingKey,
          stewards.length ? stewards[(b - 1) % stewards.length]! : null,
          iso(clock),
        ]);
        state.buildings.push(buildingName);
        for (let u = 1; u <= shape.units; u++) {
          const unitName = `${u}单元`;
          const unitId = ids.at(tick());
          const unitKey = unitDesignator(unitName);
          add('units', [unitId, id, buildingId, unitName, unitKey, iso(clock)]);
          for (let floor = 2; floor <= shape.top; floor++) {
            for (let door = 1; door <= shape.doors; door++) {
              const roll = registryRandom.next();
              const status =
                placed >= state.residentTarget
                  ? 'vacant'
                  : roll < 0.78
                    ? 'occupied'
                    : roll < 0.82
                      ? 'renovating'
                      : 'vacant';
              const number = `${floor}${String(door).padStart(2, '0')}`;
              const area =
                Math.round((door % 2 === 1 ? 128 : 89) * (0.95 + registryRandom.next() * 0.1) * 100) / 100;
              const roomId = ids.at(tick());
              const roomAt = iso(clock);
              add('rooms', [
                roomId,
                id,
                buildingId,
                unitId,
                number,
                floor,
                area,
                status,
                buildingKey,
                unitKey,
                roomAt,
                1,
              ]);
              const roomIndex = state.roomIds.length;
              state.roomIds.push(roomId);
              state.roomBuilding.push(state.buildings.length - 1);
              if (status === 'vacant') continue;
              for (const member of household(peopleRandom, person, status)) {
                if (placed >= state.residentTarget) break;
                placed++;
                const residentId = ids.at(tick());
                const at = iso(clock);
                const phones = Array.from({ length: member.phones }, nextPhone);
                let keys = keyCache.get(member.name);
                if (!keys) {
                  keys = nameSearchKeys(member.name);
                  keyCache.set(member.name, keys);
                }
                add('residents', [
                  residentId,
                  id,
                  roomId,
                  member.name,
                  phones[0]!,
                  phones[0]!.slice(-4),
                  member.salutation,
                  member.kind,
                  null,
                  keys.initials,
                  keys.pinyin,
                  member.care.length ? JSON.stringify(member.care) : null,
                  null,
                  null,
                  null,
                  at,
                  at,
                  1,
                ]);
                phones.forEach((phone, sort) => {
                  add('resident_phones', [residentId, id, phone, phone.slice(-4), sort]);
                });
                add('resident_rooms', [residentId, roomId, id, member.kind, null, null, at]);
                state.residentIds.push(residentId);
                state.residentRoom.push(roomIndex);
                state.residentCare.push(member.care.length > 0);
                if (residentSeq++ % sampleEvery === 0 || (c === 0 && state.residentIds.length % 7 === 1)) {
                  result.samples.push({
                    communityIndex: c,
                    communityId: id,
                    residentId,
                    name: member.name,
                    phone: phones[0]!,
                    roomCode: `${buildingKey}-${unitKey}-${number}`,
                  });
                }
              }
            }
          }
        }
        await sink.maybeFlush();
      }
      if ((c + 1) % 10 === 0 || c + 1 === o.communities) {
        const s = (performance.now() - registryStarted) / 1000;
        say(
          `  registry: ${c + 1}/${o.communities} communities, ${(counts.residents ?? 0).toLocaleString()} residents (${s.toFixed(0)} s)`,
        );
      }
    }
    // company level: a manager per few communities, and quality staff who see them all
    const first = communities[0]!;
    for (let m = 0; m * COMMUNITIES_PER_MANAGER < communities.length; m++) {
      const group = communities.slice(m * COMMUNITIES_PER_MANAGER, (m + 1) * COMMUNITIES_PER_MANAGER);
      users({
        username: `${group[0]!.code.toLowerCase()}.manager`,
        employeeNo: `${group[0]!.code}-M`,
        person: person(),
        roles: ['manager'],
        communityIds: group.map((g) => g.id),
        codes: group.map((g) => g.code),
        communityIndex: m === 0 ? 0 : -1,
      });
    }
    for (let q = 1; q <= 2; q++) {
      users({
        username: `${first.code.toLowerCase()}.quality${q}`,
        employeeNo: `${first.code}-Q${q}`,
        person: person(),
        roles: ['quality'],
        communityIds: [],
        all: true,
        codes: 'all',
        communityIndex: null,
      });
    }
    await sink.maybeFlush();

    // ---- requests, day by day ---------------------------------------------------------------
    const ticketRandom = new Random(o.seed ^ 0x0badf00d);
    const ticketIds = new IdMaker(new Random(o.seed ^ 0x5eed1e55 ^ idSalt));
    const openTotal = Math.round(o.tickets * o.openShare);
    const finalTotal = o.tickets - openTotal;
    const hourShare = (hours: number) => {
      let s = 0;
      for (let h = 0; h < 24; h++) s += HOUR_WEIGHTS[h]! * Math.min(1, Math.max(0, hours - h));
      return s / HOUR_WEIGHTS.reduce((a, b) => a + b, 0);
    };
    const elapsedToday = hourShare((nowMs - todayStart) / HOUR);
    const finalWeights: number[] = [];
    for (let d = 0; d < spanDays; d++) {
      const dayStart = firstDay + d * DAY;
      const weekday = new Date(dayStart + SHANGHAI_OFFSET).getUTCDay();
      const today = d === spanDays - 1 ? elapsedToday : 1;
      // a growing company (half as many requests two years ago), quieter weekends
      finalWeights.push((0.65 + (0.35 * d) / spanDays) * (weekday === 0 || weekday === 6 ? 0.8 : 1) * today);
    }
    const finalPerDay = apportion(finalTotal, finalWeights);
    // the open ones: a status each, received as long ago as requests of that status wait
    const openByDay = new Map<number, { at: number; status: TicketStatus }[]>();
    for (let k = 0; k < openTotal; k++) {
      const status = OPEN_STATUS_MIX.pick(ticketRandom);
      const age = Math.min(OPEN_MAX_AGE, ticketRandom.exp(OPEN_MEAN_AGE[status]!));
      const at = Math.max(firstDay, Math.floor(nowMs - MINUTE - age));
      const day = Math.min(spanDays - 1, Math.floor((at - firstDay) / DAY));
      const list = openByDay.get(day);
      if (list) list.push({ at, status });
      else openByDay.set(day, [{ at, status }]);
    }
    const communityPick = new Weighted(
      communities,
      communities.map((c) => c.ticketWeight),
    );
    const typePick = weighted(TYPE_WEIGHTS);
    const channelPick = Object.fromEntries(
      Object.entries(CHANNELS_BY_TYPE).map(([type, pairs]) => [type, weighted(pairs)]),
    ) as Record<TicketType, Weighted<TicketChannel>>;
    const hourPick = new Weighted(
      HOUR_WEIGHTS.map((_, h) => h),
      HOUR_WEIGHTS,
    );
    const turns = new Map<string, string>();
    const ticketsStarted = performance.now();
    let made = 0;
    let lastReport = 0;

    for (let d = 0; d < spanDays; d++) {
      const opened = openByDay.get(d) ?? [];
      const n = finalPerDay[d]! + opened.length;
      if (n === 0) continue;
      const dayStart = firstDay + d * DAY;
      const dayLimit = Math.min(dayStart + DAY, nowMs - MINUTE);
      // the day's requests in order of arrival; null: finished by now (closed or cancelled)
      const day: { at: number; status: TicketStatus | null }[] = opened;
      for (let k = 0; k < finalPerDay[d]!; k++) {
        let at = 0;
        for (let attempt = 0; attempt < 20; attempt++) {
          at = dayStart + hourPick.pick(ticketRandom) * HOUR + Math.floor(ticketRandom.next() * HOUR);
          if (at < dayLimit) break;
          at = dayStart + Math.floor(ticketRandom.next() * Math.max(1, dayLimit - dayStart));
        }
        day.push({ at, status: null });
      }
      day.sort((a, b) => a.at - b.at);
      const local = new Date(dayStart + SHANGHAI_OFFSET);
      const prefix = `GD${local.getUTCFullYear()}${String(local.getUTCMonth() + 1).padStart(2, '0')}${String(local.getUTCDate()).padStart(2, '0')}`;
      const counter = `ticket:${prefix}`;
      let sequence = counters.get(counter) ?? 0;
      for (const { at, status: open } of day) {
        const community = communityPick.pick(ticketRandom);
        const status = open ?? (ticketRandom.chance(o.cancelShare) ? 'cancelled' : 'closed');
        writeTicket({
          sink: { add, bump },
          random: ticketRandom,
          ids: ticketIds,
          community,
          createdAt: at,
          number: `${prefix}-${String(++sequence).padStart(4, '0')}`,
          status,
          typePick,
          channelPick,
          nowMs,
          policies,
          calendar,
          parentOf,
          visitPolicies,
          turns,
          distributions: result.distributions,
          phoneSeed: o.seed,
        });
        made++;
      }
      counters.set(counter, sequence);
      await sink.maybeFlush();
      const elapsed = (performance.now() - ticketsStarted) / 1000;
      if (elapsed - lastReport >= 10 || d === spanDays - 1) {
        lastReport = elapsed;
        say(
          `  requests: ${made.toLocaleString()}/${o.tickets.toLocaleString()} (${elapsed.toFixed(0)} s, ${Math.round(made / Math.max(elapsed, 0.001)).toLocaleString()}/s)`,
        );
      }
    }
    for (const [userId, at] of turns) add('return_visit_turns', [userId, at]);

    say('  writing what is left, rebuilding indexes, ANALYZE…');
    const loadEnded = performance.now();
    const finished = await sink.finish();
    result.loadSeconds = (loadEnded - started) / 1000;
    result.indexSeconds = finished.indexSeconds;
    result.analyzeSeconds = finished.analyzeSeconds;
  } catch (error) {
    await sink.abort().catch(() => {});
    throw error;
  }

  // the daily ticket numbers go on from here (TicketsService.create takes the next one)
  await db.transaction().execute(async (trx) => {
    for (const [name, value] of counters) {
      await trx
        .insertInto('counters')
        .values({ name, value })
        .onConflict((oc) => oc.column('name').doUpdateSet({ value }))
        .execute();
    }
  });
  bump('counters', counters.size);

  result.tables = sink.stats().map((s) => ({
    ...s,
    rowsPerSecond: s.rows / Math.max(0.001, s.insertSeconds + s.indexSeconds),
  }));
  result.totalSeconds = (performance.now() - started) / 1000;
  return result;
}

function checkOptions(o: BulkOptions) {
  const whole = (name: keyof BulkOptions, min: number, max: number) => {
    const value = o[name];
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max)
      throw new RangeError(`bulk option ${name} must be a whole number from ${min} to ${max}`);
  };
  whole('communities', 1, 9_999);
  whole('residents', o.communities, 100_000_000);
  whole('tickets', 0, 1_000_000_000);
  whole('samples', 0, 1_000_000);
  if (!(o.years > 0 && o.years <= 20)) throw new RangeError('bulk option years must be within (0, 20]');
  if (!(o.openShare >= 0 && o.openShare <= 1)) throw new RangeError('bulk option openShare must be 0..1');
  if (!(o.cancelShare >= 0 && o.cancelShare <= 1))
    throw new RangeError('bulk option cancelShare must be 0..1');
  if (Number.isNaN(o.now.getTime())) throw new RangeError('bulk option now must be a date');
}

// ---- households -----------------------------------------------------------------------------

interface Member extends Person {
  kind: 'owner' | 'tenant' | 'family';
  phones: number;
  care: string[];
}

/** An owner with family, or tenants; a room being renovated has only its owner on file. */
function household(random: Random, person: (surname?: string) => Person, status: string): Member[] {
  const member = (kind: Member['kind'], surname?: string): Member => ({
    ...person(surname),
    kind,
    phones: 1,
    care: [],
  });
  if (status === 'renovating') return [member('owner')];
  if (random.chance(0.15)) {
    const tenants = [member('tenant')];
    if (random.chance(0.3)) tenants.push(member('tenant'));
    return tenants;
  }
  const owner = member('owner');
  if (random.chance(0.1)) owner.phones = 2;
  const family = random.chance(0.3) ? 0 : random.chance(0.55) ? 1 : 2;
  const care = random.next();
  if (care < 0.04) owner.care = family === 0 ? ['elderly', 'living_alone'] : ['elderly'];
  else if (care < 0.05) owner.care = ['disabled'];
  const members = [owner];
  for (let i = 0; i < family; i++)
    members.push(member('family', random.chance(0.5) ? owner.name[0] : undefined));
  return members;
}

// ---- one request ----------------------------------------------------------------------------

interface TicketInput {
  sink: { add: (table: string, row: Value[]) => void; bump: (table: string, n?: number) => void };
  random: Random;
  ids: IdMaker;
  community: CommunityState;
  createdAt: number;
  number: string;
  status: TicketStatus;
  typePick: Weighted<TicketType>;
  channelPick: Record<TicketType, Weighted<TicketChannel>>;
  nowMs: number;
  policies: readonly SlaPolicy[];
  calendar: BusinessCalendar;
  parentOf: Map<string, string | null>;
  visitPolicies: Map<string, VisitPolicy>;
  turns: Map<string, string>;
  distributions: BulkResult['distributions'];
  phoneSeed: number;
}

const ANSWERABLE = new Set<TicketType>(['inquiry', 'praise', 'suggestion']);
const CARE_NOTE = '住户需特别关怀，优先级已调高';
const PAYMENTS = ['wechat', 'alipay', 'cash', 'card'] as const;
const CHARGES = [30, 50, 80, 120, 150, 200, 260];

/** Writes one request: its row, its timeline, and (still open) its clocks. */
function writeTicket(x: TicketInput) {
  const { random, community: c, createdAt } = x;
  // inquiries, praise and suggestions are answered at once: one still open waits for its answer
  let type = x.typePick.pick(random);
  while (ANSWERABLE.has(type) && !['received', 'closed', 'cancelled'].includes(x.status))
    type = x.typePick.pick(random);
  const channel = x.channelPick[type].pick(random);
  const patrol = channel === 'patrol';
  const template: Template = random.pick(patrol ? PATROL_TEMPLATES : TEMPLATES[type]);
  const agent = random.pick(c.agents);

  // who reports it, and where
  let residentIndex = -1;
  let caller: { name: string; phone: string } | null = null;
  if (patrol) caller = c.patrollers.length ? random.pick(c.patrollers) : null;
  else if (c.residentIds.length && !random.chance(0.04))
    residentIndex = random.int(0, c.residentIds.length - 1);
  // someone who is not on file (a visitor, a neighbour's guest): name and number as taken
  else
    caller = {
      name: `${random.pick(SURNAMES)}${random.chance(0.5) ? '先生' : '女士'}`,
      phone: mobileNumber(random.int(0, 3_000_000_000), x.phoneSeed),
    };
  const roomIndex = residentIndex >= 0 ? c.residentRoom[residentIndex]! : -1;
  const areaName = template.area ?? (residentIndex < 0 ? PUBLIC_AREAS[0] : null);
  const roomId = areaName === null ? c.roomIds[roomIndex]! : null;
  const publicAreaId = areaName === null ? null : c.areas.get(areaName)!;
  const building = roomIndex >= 0 ? c.buildings[c.roomBuilding[roomIndex]!]! : '1栋';

  // priority as TicketsService.create sets it (R5 care, R16 emergencies)
  const requested: TicketPriority =
    type === 'emergency'
      ? 'urgent'
      : type === 'complaint' || type === 'help'
        ? random.chance(0.5)
          ? 'high'
          : 'normal'
        : type === 'suggestion' || type === 'praise'
          ? 'low'
          : type === 'repair'
            ? random.chance(0.06) && /^cat-(leak|no_power|no_water)$/.test(template.category)
              ? 'urgent'
              : random.chance(0.2)
                ? 'high'
                : 'normal'
            : 'normal';
  const care = residentIndex >= 0 && c.residentCare[residentIndex]!;
  const raisedForCare = care && (requested === 'normal' || requested === 'low');
  const priority: TicketPriority = raisedForCare ? 'high' : requested;
  const hotline = channel === 'hotline';
  const content =
    (hotline ? '【12345市民热线转办】' : '') +
    template.content.replaceAll('{b}', building).replaceAll('{f}', String(random.int(2, 18)));
  const repairScope = type === 'repair' ? (roomId ? 'indoor' : 'public') : null;
  const paid = type === 'repair' && roomId !== null && random.chance(0.12);
  const categoryId = template.category;
  const parentCategoryId = x.parentOf.get(categoryId) ?? null;
  const teamKind = TEAM_OF_CATEGORY[parentCategoryId ?? categoryId] ?? 'service';
  const team = c.teams.get(teamKind) ?? c.teams.get('service')!;

  x.ids.restart();
  const ticketId = x.ids.at(createdAt);
  const facts: SlaTicket = {
    communityId: c.id,
    type,
    priority,
    channel,
    categoryId,
    parentCategoryId,
    emergencyKind: null,
    parentId: null,
  };
  const status = x.status;
  const final = status === 'closed' || status === 'cancelled';
  const timeline = new TicketTimeline(x.ids, ticketId, facts, x.policies, x.calendar, !final, createdAt);
  timeline.step('created', createdAt, {
    actorId: agent,
    note: raisedForCare ? CARE_NOTE : null,
    data: { channel, type, priority, raisedForCare },
  });

  // the steps to reach `status`, with their delays
  type Plan = { action: string; delay: number };
  const plan: Plan[] = [];
  const m = (mean: number) => Math.max(MINUTE / 2, random.exp(mean));
  const arriveMean =
    priority === 'urgent'
      ? 12 * MINUTE
      : priority === 'high'
        ? 25 * MINUTE
        : priority === 'low'
          ? DAY
          : 70 * MINUTE;
  const workMean = teamKind === 'repair' ? 80 * MINUTE : type === 'complaint' ? 8 * HOUR : 3 * HOUR;
  if (ANSWERABLE.has(type)) {
    if (status === 'closed') plan.push({ action: 'answer', delay: m(6 * MINUTE) });
    else if (status === 'cancelled') plan.push({ action: 'cancel', delay: m(30 * MINUTE) });
  } else {
    const work: Plan[] = [
      { action: 'dispatch', delay: m(priority === 'urgent' ? 3 * MINUTE : 12 * MINUTE) },
      { action: 'accept', delay: m(8 * MINUTE) },
    ];
    if (status !== 'accepted' && random.chance(0.85)) work.push({ action: 'arrive', delay: m(arriveMean) });
    if (status === 'in_progress' || random.chance(0.3)) work.push({ action: 'start', delay: m(5 * MINUTE) });
    // completing takes being on site or at work (on_site / in_progress)
    if ((status === 'done' || status === 'closed') && work.length === 2)
      work.push({ action: 'arrive', delay: m(arriveMean) });
    const through = (last: string) => work.slice(0, work.findIndex((s) => s.action === last) + 1);
    switch (status) {
      case 'received':
        break;
      case 'dispatched':
        plan.push(work[0]!);
        break;
      case 'accepted':
        plan.push(...through('accept'));
        break;
      case 'on_site':
        if (!work.some((s) => s.action === 'arrive'))
          work.splice(2, 0, { action: 'arrive', delay: m(arriveMean) });
        plan.push(...through('arrive'));
        break;
      case 'in_progress':
        plan.push(...work);
        break;
      case 'pending':
        plan.push(...work, { action: 'pend', delay: m(30 * MINUTE) });
        break;
      case 'done':
        plan.push(...work, { action: 'complete', delay: m(workMean) });
        break;
      case 'closed':
        plan.push(...work, { action: 'complete', delay: m(workMean) });
        if (paid) plan.push({ action: 'settle', delay: m(20 * MINUTE) });
        plan.push({ action: 'close', delay: m(1.5 * DAY) });
        break;
      case 'cancelled':
        plan.push(...work.slice(0, random.int(0, 2)), { action: 'cancel', delay: m(40 * MINUTE) });
        break;
    }
  }
  // a request of the last hours cannot have lived longer than until now: squeeze its steps
  const total = plan.reduce((s, p) => s + p.delay, 0);
  const room = x.nowMs - MINUTE - createdAt;
  const squeeze = total > room ? Math.max(0, room) / total : 1;

  // the row, as each step leaves it
  let teamId: string | null = null;
  let assigneeId: string | null = null;
  let pending: { from: string; reason: string; nextStep: string; eta: string } | null = null;
  let completion: string | null = null;
  let chargeAmount: number | null = null;
  let chargeSettledAt: string | null = null;
  let dispatchedAt: string | null = null;
  let handedOverAt: string | null = null;
  let doneAt: string | null = null;
  let closedAt: string | null = null;
  let completedAt = 0;
  let at = createdAt;
  let current: TicketStatus = 'received';
  for (const p of plan) {
    at = Math.max(at + 1, Math.floor(at + p.delay * squeeze));
    const from = current;
    switch (p.action) {
      case 'dispatch': {
        const pool = team.members.length === 0 || random.chance(0.2);
        teamId = team.id;
        assigneeId = pool ? null : random.pick(team.members);
        dispatchedAt = iso(at);
        handedOverAt = iso(at);
        current = 'dispatched';
        timeline.step('dispatch', at, {
          actorId: random.pick(c.desk),
          data: { teamId, assigneeId, pool, from, to: current },
          status: current,
          updates: true,
        });
        break;
      }
      case 'accept': {
        current = 'accepted';
        if (assigneeId === null) {
          assigneeId = team.members.length ? random.pick(team.members) : agent;
          timeline.step('grab', at, {
            actorId: assigneeId,
            data: { assigneeId, from, to: current },
            status: current,
            updates: true,
          });
        } else {
          timeline.step('accept', at, {
            actorId: assigneeId,
            data: { from, to: current },
            status: current,
            updates: true,
          });
        }
        break;
      }
      case 'arrive':
        current = 'on_site';
        timeline.step('arrive', at, {
          actorId: assigneeId,
          data: { from, to: current },
          status: current,
          updates: true,
        });
        break;
      case 'start':
        current = 'in_progress';
        timeline.step('start', at, {
          actorId: assigneeId,
          data: { from, to: current },
          status: current,
          updates: true,
        });
        break;
      case 'pend': {
        const hold = random.pick(HOLDS);
        const eta = iso(at + random.int(1, 5) * DAY);
        pending = { from, reason: hold.reason, nextStep: hold.nextStep, eta };
        current = 'pending';
        timeline.step('pend', at, {
          actorId: assigneeId,
          note: hold.reason,
          data: {
            reason: hold.reason,
            nextStep: hold.nextStep,
            eta,
            ...(hold.pauseReason ? { pauseReason: hold.pauseReason } : {}),
            from,
            to: current,
          },
          status: current,
          updates: true,
        });
        break;
      }
      case 'complete': {
        const r = random.pick(REPORTS[teamKind] ?? REPORTS.service!);
        chargeAmount = paid ? random.pick(CHARGES) : null;
        const report = {
          cause: r.cause,
          work: r.work,
          parts: r.parts,
          charge: chargeAmount,
          advice: random.pick(ADVICE),
        };
        completion = JSON.stringify(report);
        doneAt = iso(at);
        completedAt = at;
        current = 'done';
        timeline.step('complete', at, {
          actorId: assigneeId,
          data: { report, onBehalf: false, from, to: current },
          status: current,
          updates: true,
        });
        break;
      }
      case 'settle': {
        chargeSettledAt = iso(at);
        timeline.step('settle', at, {
          actorId: agent,
          data: {
            amount: chargeAmount,
            method: random.pick(PAYMENTS),
            receiptNo: `SK${String(random.int(10_000_000, 99_999_999))}`,
          },
          updates: true,
        });
        break;
      }
      case 'close':
        closedAt = iso(at);
        current = 'closed';
        timeline.step('close', at, {
          actorId: agent,
          data: { from, to: current },
          status: current,
          updates: true,
        });
        break;
      case 'answer':
        closedAt = iso(at);
        current = 'closed';
        timeline.step('answer', at, {
          actorId: agent,
          note: random.pick(ANSWERS[type] ?? ANSWERS.inquiry!),
          data: { from, to: current },
          status: current,
          updates: true,
        });
        break;
      case 'cancel':
        current = 'cancelled';
        timeline.step('cancel', at, {
          actorId: agent,
          note: random.pick(CANCEL_REASONS),
          data: { from, to: current },
          status: current,
          updates: true,
        });
        break;
    }
  }

  // a finished job is owed a return visit by its policy, or the visit is skipped (R33)
  if (current === 'done') {
    const kind = visitKindOf({ type, repairScope });
    const policy = x.visitPolicies.get(kind);
    if (needsVisit(policy, ticketId)) {
      const due = timeline.returnVisitDue() ?? completedAt + 3 * DAY;
      const assignee = c.agents.length ? c.agents[c.visitTurn++ % c.agents.length]! : null;
      if (assignee) x.turns.set(assignee, iso(completedAt));
      const visitId = x.ids.at(completedAt);
      const visitAt = iso(completedAt);
      x.sink.add('return_visits', [
        visitId,
        ticketId,
        c.id,
        ticketId,
        policy!.kind,
        policy!.mode,
        'open',
        assignee,
        visitAt,
        iso(due),
        0,
        null,
        null,
        null,
        null,
        null,
        null,
        1,
        visitAt,
        visitAt,
        null,
      ]);
    } else {
      timeline.step('return_visit_skipped', completedAt, {
        actorId: null,
        data: {
          kind,
          mode: policy?.mode ?? 'none',
          samplePercent: policy?.samplePercent ?? 0,
          bucket: sampleBucket(ticketId),
        },
      });
    }
  }
  if (!final) timeline.fireUntil(x.nowMs);

  const createdIso = iso(createdAt);
  x.sink.add('tickets', [
    ticketId,
    x.number,
    c.id,
    type,
    channel,
    priority,
    current,
    roomId,
    publicAreaId,
    residentIndex >= 0 ? c.residentIds[residentIndex]! : null,
    caller?.name ?? null,
    caller?.phone ?? null,
    categoryId,
    content,
    agent,
    null,
    createdIso,
    iso(timeline.updatedAt),
    1 + timeline.updates,
    teamId,
    assigneeId,
    current === 'pending' ? pending!.from : null,
    current === 'pending' ? pending!.reason : null,
    current === 'pending' ? pending!.nextStep : null,
    current === 'pending' ? pending!.eta : null,
    timeline.escalationLevel,
    0,
    paid ? 1 : 0,
    chargeAmount,
    chargeSettledAt,
    completion,
    dispatchedAt,
    doneAt,
    closedAt,
    null,
    repairScope,
    null,
    null,
    hotline ? `12345-${random.int(10_000_000, 99_999_999)}` : null,
    null,
    agent,
    handedOverAt,
    null,
    null,
  ]);
  for (const e of timeline.events) {
    x.sink.add('ticket_events', [e.id, ticketId, c.id, e.type, iso(e.at), e.actorId, e.note, e.data]);
  }
  for (const k of timeline.clocks) {
    x.sink.add('sla_clocks', [
      k.id,
      ticketId,
      c.id,
      k.target,
      k.policyId,
      k.policy,
      iso(k.startedAt),
      iso(k.dueAt),
      iso(k.warnAt),
      k.pausedAt === null ? null : iso(k.pausedAt),
      k.pauseReason,
      k.pausedMs,
      k.status,
      k.warnedAt === null ? null : iso(k.warnedAt),
      k.breachedAt === null ? null : iso(k.breachedAt),
      k.metAt === null ? null : iso(k.metAt),
      k.endedAt === null ? null : iso(k.endedAt),
      k.nextFireAt === null ? null : iso(k.nextFireAt),
      iso(k.startedAt),
      x.number,
    ]);
  }
  for (const e of timeline.clockEvents) {
    x.sink.add('sla_clock_events', [e.id, e.clockId, ticketId, e.type, iso(e.at), e.data]);
  }
  const d = x.distributions;
  d.status[current] = (d.status[current] ?? 0) + 1;
  d.type[type] = (d.type[type] ?? 0) + 1;
  d.channel[channel] = (d.channel[channel] ?? 0) + 1;
  d.priority[priority] = (d.priority[priority] ?? 0) + 1;
}
