import type { Kysely, Selectable } from 'kysely';
import { type Scope, withinScope } from '../../platform/context.js';
import type { DialectName } from '../../platform/db/database.js';
import type { DB, Timestamp } from '../../platform/db/schema.js';

/** The tables of quality spot checks (migration 20261201090000-quality). */
export type QaSheetsTable = {
  id: string;
  name: string;
  /** JSON array of { key, name, maxPoints, deductions } */
  items: string;
  version: number;
  current: number;
  created_by: string | null;
  created_at: Timestamp;
};

export type QaSamplesTable = {
  id: string;
  week: string;
  subject_type: string;
  subject_id: string;
  subject_at: Timestamp;
  agent_user_id: string | null;
  community_id: string;
  reason: string;
  status: string;
  drawn_by: string | null;
  created_at: Timestamp;
};

export type QaChecksTable = {
  id: string;
  sample_id: string;
  sheet_id: string;
  /** JSON object: item key → points */
  scores: string;
  total: number;
  comment: string | null;
  checked_by: string;
  checked_at: Timestamp;
  seen_at: Timestamp | null;
};

/** The columns of the service-language overrides (another module's table, §6 R37) this module reads. */
type LanguageOverridesRead = {
  id: string;
  user_id: string;
  community_id: string | null;
  created_at: Timestamp;
};

export type QaTables = {
  qa_sheets: QaSheetsTable;
  qa_samples: QaSamplesTable;
  qa_checks: QaChecksTable;
  language_overrides: LanguageOverridesRead;
};

export type SheetRow = Selectable<QaSheetsTable>;
export type CheckRow = Selectable<QaChecksTable>;

export interface SampleRecord extends Selectable<QaSamplesTable> {
  community_name: string;
  agent_name: string | null;
  agent_employee_no: string | null;
  ticket_number: string | null;
  check_id: string | null;
}

export interface CandidateRow {
  subject_type: 'ticket' | 'call';
  subject_id: string;
  at: string;
  agent: string | null;
}

/** Ids per IN list: well within SQLite's bound-variable limit. */
const CHUNK = 500;
function chunks<T>(list: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += CHUNK) out.push(list.slice(i, i + CHUNK));
  return out;
}

/** Quality spot checks (R39): sheets, samples and checks. */
export class QualityRepository {
  private readonly db: Kysely<DB & QaTables>;
  constructor(
    db: Kysely<DB>,
    private readonly dialect: DialectName,
  ) {
    this.db = db.withTables<QaTables>();
  }

  with(db: Kysely<DB>) {
    return new QualityRepository(db, this.dialect);
  }

  // ---- sheets ----

  currentSheet() {
    return this.db.selectFrom('qa_sheets').selectAll().where('current', '=', 1).executeTakeFirstOrThrow();
  }

  sheets(ids: readonly string[]) {
    if (!ids.length) return Promise.resolve([] as SheetRow[]);
    return this.db
      .selectFrom('qa_sheets')
      .selectAll()
      .where('id', 'in', [...ids])
      .execute();
  }

  async replaceSheet(row: SheetRow, previousId: string) {
    const done = await this.db
      .updateTable('qa_sheets')
      .set({ current: 0 })
      .where('id', '=', previousId)
      .where('current', '=', 1)
      .executeTakeFirst();
    if (Number(done.numUpdatedRows) !== 1) return false;
    await this.db.insertInto('qa_sheets').values(row).execute();
    return true;
  }

  // ---- samples ----

  private samples(scope: Scope | null) {
    const q = this.db
      .selectFrom('qa_samples')
      .innerJoin('communities', 'communities.id', 'qa_samples.community_id')
      .leftJoin('users', 'users.id', 'qa_samples.agent_user_id')
      .leftJoin('tickets', (j) =>
        j.onRef('tickets.id', '=', 'qa_samples.subject_id').on('qa_samples.subject_type', '=', 'ticket'),
      )
      .leftJoin('qa_checks', 'qa_checks.sample_id', 'qa_samples.id')
      .selectAll('qa_samples')
      .select([
        'communities.name as community_name',
        'users.name as agent_name',
        'users.employee_no as agent_employee_no',
        'tickets.number as ticket_number',
        'qa_checks.id as check_id',
      ]);
    return scope ? withinScope(q, 'qa_samples.community_id', scope) : q;
  }

  /** One sample within the scope (null: whatever its community, for its own agent). */
  getSample(scope: Scope | null, id: string): Promise<SampleRecord | undefined> {
    return this.samples(scope).where('qa_samples.id', '=', id).executeTakeFirst();
  }

  list(
    scope: Scope,
    q: {
      week?: string;
      status?: string;
      agentId?: string;
      communityId?: string;
      before?: string;
      limit: number;
    },
  ): Promise<SampleRecord[]> {
    let query = this.samples(scope);
    if (q.week) query = query.where('qa_samples.week', '=', q.week);
    if (q.status) query = query.where('qa_samples.status', '=', q.status);
    if (q.agentId) query = query.where('qa_samples.agent_user_id', '=', q.agentId);
    if (q.communityId) query = query.where('qa_samples.community_id', '=', q.communityId);
    if (q.before) query = query.where('qa_samples.id', '<', q.before);
    return query.orderBy('qa_samples.id', 'desc').limit(q.limit).execute();
  }

  /** The checked samples of one agent, newest first (their own results, whatever the community). */
  /** One's own scored results, in the caller's communities (a token acts for its maker there only). */
  mine(userId: string, scope: Scope, q: { before?: string; limit: number }): Promise<SampleRecord[]> {
    let query = this.samples(scope)
      .where('qa_samples.agent_user_id', '=', userId)
      .where('qa_samples.status', '=', 'scored');
    if (q.before) query = query.where('qa_samples.id', '<', q.before);
    return query.orderBy('qa_samples.id', 'desc').limit(q.limit).execute();
  }

  ofWeek(communityId: string, week: string): Promise<SampleRecord[]> {
    return this.samples(null)
      .where('qa_samples.community_id', '=', communityId)
      .where('qa_samples.week', '=', week)
      .orderBy('qa_samples.id')
      .execute();
  }

  async sampledSubjects(ids: readonly string[]): Promise<Set<string>> {
    const out = new Set<string>();
    for (const part of chunks(ids)) {
      const rows = await this.db
        .selectFrom('qa_samples')
        .select(['subject_type', 'subject_id'])
        .where('subject_id', 'in', part)
        .execute();
      for (const r of rows) out.add(`${r.subject_type}:${r.subject_id}`);
    }
    return out;
  }

  insertSamples(rows: Selectable<QaSamplesTable>[]) {
    return Promise.all(chunks(rows).map((part) => this.db.insertInto('qa_samples').values(part).execute()));
  }

  async markScored(id: string) {
    const r = await this.db
      .updateTable('qa_samples')
      .set({ status: 'scored' })
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  // ---- candidates of a week (R39) ----

  timeZone(communityId: string) {
    return this.db
      .selectFrom('communities')
      .select('time_zone')
      .where('id', '=', communityId)
      .executeTakeFirst()
      .then((r) => r?.time_zone);
  }

  /** Requests logged and answered calls of the community in [lo, hi), with who handled each. */
  async candidates(communityId: string, lo: string, hi: string): Promise<CandidateRow[]> {
    const tickets = await this.db
      .selectFrom('tickets')
      .select((eb) => [
        'id as subject_id',
        'created_at as at',
        eb.fn.coalesce('first_owner_id', 'created_by').as('agent'),
      ])
      .where('community_id', '=', communityId)
      .where('created_at', '>=', lo)
      .where('created_at', '<', hi)
      .execute();
    const calls = await this.db
      .selectFrom('calls')
      .select(['id as subject_id', 'ringing_at as at', 'agent_user_id as agent'])
      // a call of no known community belongs to the community of the requests it led to
      .where((eb) =>
        eb.or([
          eb('community_id', '=', communityId),
          eb.and([
            eb('community_id', 'is', null),
            eb(
              'id',
              'in',
              eb
                .selectFrom('call_tickets')
                .innerJoin('tickets', 'tickets.id', 'call_tickets.ticket_id')
                .select('call_tickets.call_id')
                .where('tickets.community_id', '=', communityId),
            ),
          ]),
        ]),
      )
      .where('ringing_at', '>=', lo)
      .where('ringing_at', '<', hi)
      .where('answered_at', 'is not', null)
      .execute();
    return [
      ...tickets.map((t) => ({ ...t, subject_type: 'ticket' as const })),
      ...calls.map((c) => ({ ...c, subject_type: 'call' as const })),
    ];
  }

  /** All the text of each request: its content and every note and reply on its timeline. */
  async ticketTexts(ids: readonly string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    const add = (id: string, text: string | null) => {
      if (text) out.set(id, `${out.get(id) ?? ''}\n${text}`);
    };
    for (const part of chunks(ids)) {
      for (const r of await this.db
        .selectFrom('tickets')
        .select(['id', 'content'])
        .where('id', 'in', part)
        .execute())
        add(r.id, r.content);
      for (const r of await this.db
        .selectFrom('ticket_events')
        .select(['ticket_id', 'note'])
        .where('ticket_id', 'in', part)
        .where('note', 'is not', null)
        .execute())
        add(r.ticket_id, r.note);
    }
    return out;
  }

  /** The requests each call created or was attached to (a call's text is theirs). */
  async callTickets(callIds: readonly string[]): Promise<{ call_id: string; ticket_id: string }[]> {
    const out: { call_id: string; ticket_id: string }[] = [];
    for (const part of chunks(callIds))
      out.push(
        ...(await this.db
          .selectFrom('call_tickets')
          .select(['call_id', 'ticket_id'])
          .where('call_id', 'in', part)
          .execute()),
      );
    return out;
  }

  async users(ids: readonly string[]) {
    const out: { id: string; name: string; employee_no: string; created_at: string }[] = [];
    for (const part of chunks(ids))
      out.push(
        ...(await this.db
          .selectFrom('users')
          .select(['id', 'name', 'employee_no', 'created_at'])
          .where('id', 'in', part)
          .execute()),
      );
    return out;
  }

  // ---- checks ----

  insertCheck(row: CheckRow) {
    return this.db.insertInto('qa_checks').values(row).execute();
  }

  checks(sampleIds: readonly string[]) {
    if (!sampleIds.length)
      return Promise.resolve([] as (CheckRow & { checker_name: string; checker_no: string })[]);
    return this.db
      .selectFrom('qa_checks')
      .innerJoin('users', 'users.id', 'qa_checks.checked_by')
      .selectAll('qa_checks')
      .select(['users.name as checker_name', 'users.employee_no as checker_no'])
      .where('sample_id', 'in', [...sampleIds])
      .execute();
  }

  checkOf(id: string) {
    return this.db
      .selectFrom('qa_checks')
      .innerJoin('qa_samples', 'qa_samples.id', 'qa_checks.sample_id')
      .select([
        'qa_checks.id',
        'qa_checks.seen_at',
        'qa_samples.id as sample_id',
        'qa_samples.agent_user_id',
        'qa_samples.community_id',
      ])
      .where('qa_checks.id', '=', id)
      .executeTakeFirst();
  }

  markSeen(id: string, at: string) {
    return this.db
      .updateTable('qa_checks')
      .set({ seen_at: at })
      .where('id', '=', id)
      .where('seen_at', 'is', null)
      .execute();
  }

  // ---- report ----

  communities(scope: Scope, communityId?: string) {
    let q = withinScope(
      this.db.selectFrom('communities').select(['id', 'time_zone']),
      'communities.id',
      scope,
    );
    if (communityId) q = q.where('id', '=', communityId);
    return q.execute();
  }

  /** Samples of the communities whose subject falls in [lo, hi), with their check (if any). */
  reportSamples(communityIds: readonly string[], lo: string, hi: string) {
    if (!communityIds.length) return Promise.resolve([]);
    return this.db
      .selectFrom('qa_samples')
      .leftJoin('qa_checks', 'qa_checks.sample_id', 'qa_samples.id')
      .select([
        'qa_samples.id',
        'qa_samples.agent_user_id',
        'qa_samples.community_id',
        'qa_samples.subject_at',
        'qa_checks.sheet_id',
        'qa_checks.scores',
        'qa_checks.total',
      ])
      .where('qa_samples.community_id', 'in', [...communityIds])
      .where('qa_samples.subject_at', '>=', lo)
      .where('qa_samples.subject_at', '<', hi)
      .where('qa_samples.agent_user_id', 'is not', null)
      .execute();
  }

  /** Forbidden-phrase overrides (R37) in [lo, hi) of the communities (and, seeing all, of none). */
  private overridesTable: boolean | undefined;
  /** Whether the service-language overrides (migration 20261201070000-language) are installed. */
  async hasOverrides(): Promise<boolean> {
    if (this.overridesTable) return true;
    const tables = await this.db.introspection.getTables();
    this.overridesTable = tables.some((t) => t.name === 'language_overrides');
    return this.overridesTable;
  }

  async overrides(communityIds: readonly string[], withoutCommunity: boolean, lo: string, hi: string) {
    if ((!communityIds.length && !withoutCommunity) || !(await this.hasOverrides())) return [];
    return this.db
      .selectFrom('language_overrides')
      .select(['user_id', 'community_id', 'created_at'])
      .where('created_at', '>=', lo)
      .where('created_at', '<', hi)
      .where((eb) =>
        eb.or([
          ...(communityIds.length ? [eb('community_id', 'in', [...communityIds])] : []),
          ...(withoutCommunity ? [eb('community_id', 'is', null)] : []),
        ]),
      )
      .execute();
  }
}
