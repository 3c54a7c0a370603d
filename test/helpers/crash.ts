/**
 * Crash durability (issue 10 §1, R62 "nothing is lost"): the real server as a child process, a
 * handful of desk agents and technicians writing to it at once through the API — tickets and
 * every step of their lifecycle, internal notes, messages (留言) — and SIGKILL at a random
 * moment, again and again on the same database. Each client keeps a ledger of what the server
 * acknowledged (a 2xx fully received) and what was in flight when it died. After each restart
 * the database is read through a connection of its own and checked against the ledger and
 * against itself: every acknowledged write present exactly once and in order, every ticket's
 * status, version, timeline, audit trail and SLA clocks telling the same story, nothing orphaned.
 *
 * The kill moments and the clients' choices come from a seeded PRNG: the seed is printed, and
 * CRASH_SEED=<seed> replays the same choices (timings on a busy machine still differ).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Kysely, sql } from 'kysely';
import {
  clockEffect,
  covers,
  policyFor,
  SLA_TARGETS,
  type SlaPolicy,
  type SlaTarget,
  type SlaTicket,
  targetApplies,
} from '../../src/domain/sla.js';
import { TICKET_ACTIONS } from '../../src/domain/ticket-lifecycle.js';
import { type DialectName, openDatabase } from '../../src/server/platform/db/database.js';
import type { DB } from '../../src/server/platform/db/schema.js';

const root = join(import.meta.dirname, '..', '..');

interface ServerProcess {
  url: string;
  child: ChildProcess;
  output: () => string;
  kill9(): Promise<void>;
  terminate(): Promise<number | null>;
}

/**
 * The real entry point (src/server/main.ts) in a child process, as server-process.ts starts it,
 * but patient with a loaded machine (a start may take a while when every core is busy) and
 * never leaving a half-started server behind: one that does not listen in time is killed.
 */
async function startServer(env: Record<string, string>, timeoutMs = 120_000): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'src/server/main.ts')], {
    cwd: root,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', WEB_DIR: '/nonexistent', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const onData = (chunk: Buffer) => {
    output += chunk.toString();
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the server did not listen within ${timeoutMs / 1000} s:\n${output}`));
    }, timeoutMs);
    const look = () => {
      const match = /"address":"(http:\/\/[^"]+)"/.exec(output);
      if (match) {
        clearTimeout(timer);
        child.stdout!.off('data', look);
        resolve(match[1]!);
      }
    };
    child.stdout!.on('data', look);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the server exited with ${code} before listening:\n${output}`));
    });
  });
  return {
    url,
    child,
    output: () => output,
    async kill9() {
      child.kill('SIGKILL');
      await exited;
    },
    async terminate() {
      child.kill('SIGTERM');
      return exited;
    },
  };
}

export interface CrashOptions {
  dialect: DialectName;
  /** The server's DATA_DIR (the SQLite file lives there). */
  dataDir: string;
  /** PostgreSQL: the database the server uses (fresh, created by the caller); null on SQLite. */
  databaseUrl: string | null;
  kills: number;
  seed: number;
  agents?: number;
  technicians?: number;
  /** How long the clients write before each kill, in ms: drawn between the two. */
  roundMs?: [number, number];
  /**
   * PostgreSQL only: in this round (1-based), take the database away while the app keeps
   * running — `restart` runs a command (a real PostgreSQL restart), `terminate` ends every
   * connection to this database and refuses new ones for `outageMs` — then show the app
   * recovers by itself before the round's kill.
   */
  databaseOutage?: { round: number } & (
    | { kind: 'restart'; command: string[] }
    | { kind: 'terminate'; adminUrl: string; outageMs: number }
  );
  log?: (line: string) => void;
}

export interface OutageReport {
  kind: 'restart' | 'terminate';
  /** From the first failed /readyz to the first good one after it. */
  unavailableMs: number;
  readyzStatuses: Record<string, number>;
  /** What the clients got while the database was away: HTTP status (or "no response") → count. */
  clientStatuses: Record<string, number>;
  /** Error codes in the bodies of those answers. */
  clientErrorCodes: Record<string, number>;
  /** What the server logged as the cause of the failed requests (error code or message) → count. */
  serverErrors: Record<string, number>;
  serverStayedUp: boolean;
  /** A staff alert queued after the recovery was picked up by the outbox dispatcher. */
  backgroundLoopsAlive: boolean;
  acknowledgedDuring: number;
  verifiedAfter: boolean;
}

export interface CrashReport {
  dialect: DialectName;
  seed: number;
  kills: number;
  /** Server starts that passed every start-up check (the first start included). */
  cleanStarts: number;
  starts: number;
  /** Writes acknowledged (2xx received): creates, steps, notes, messages, create retries. */
  acknowledged: number;
  /** Writes sent whose answer never came because the server was killed. */
  inFlightAtKill: number;
  /** Writes refused at connect while the server was down (never reached it). */
  refusedWhileDown: number;
  /** Refused by the rules (409: stale version, step not allowed any more). */
  conflicts: number;
  /** Records compared with the ledger and with each other, summed over every verification. */
  recordsVerified: number;
  verifications: number;
  ticketsCreated: number;
  messagesTaken: number;
  /** In-flight creates retried after a restart with their Idempotency-Key. */
  createRetries: number;
  /** …of which the first attempt had committed and the retry returned that same ticket. */
  createRetriesReplayed: number;
  durationMs: number;
  problems: string[];
  outage?: OutageReport;
}

/** mulberry32: small, fast, and the same sequence for the same seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Json = Record<string, unknown>;
export type Outcome = 'ack' | 'rejected' | 'uncertain' | 'refused';

interface Reply {
  outcome: Outcome;
  status: number | null;
  body: Json | null;
  error?: string;
}

const PASSWORD = 'Crash2026safe';

/** Why a fetch got no answer: the connection was refused (never sent) or lost (unknown fate). */
function errorCode(error: unknown): string {
  let e: unknown = error;
  for (let depth = 0; depth < 4 && e && typeof e === 'object'; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    e = (e as { cause?: unknown }).cause;
  }
  return error instanceof Error ? error.name : 'UNKNOWN';
}

/** One logged-in member of staff: the session cookie and CSRF token of the console. */
class Session {
  constructor(
    private readonly base: () => string,
    private readonly cookie: string,
    private readonly csrf: string,
    readonly userId: string,
  ) {}

  static async login(base: () => string, login: string, password: string): Promise<Session> {
    const res = await fetch(`${base()}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ login, password }),
    });
    const text = await res.text();
    if (res.status !== 200) throw new Error(`login as ${login} failed: ${res.status} ${text}`);
    const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]!;
    const body = JSON.parse(text) as { csrfToken: string; user?: { id: string }; id?: string };
    const me = new Session(base, cookie, body.csrfToken, '');
    const who = await me.send('GET', '/api/v1/me');
    if (who.outcome !== 'ack') throw new Error(`GET /me as ${login} failed: ${who.status}`);
    return new Session(base, cookie, body.csrfToken, String(who.body!.id));
  }

  async send(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    let res: Response;
    try {
      res = await fetch(`${this.base()}${path}`, {
        method,
        headers: {
          cookie: this.cookie,
          'x-csrf-token': this.csrf,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...headers,
        },
        body: body === undefined ? null : JSON.stringify(body),
        signal: AbortSignal.timeout(20_000),
      });
    } catch (error) {
      const code = errorCode(error);
      return {
        outcome: code === 'ECONNREFUSED' ? 'refused' : 'uncertain',
        status: null,
        body: null,
        error: code,
      } satisfies Reply as Reply;
    }
    let text: string;
    try {
      text = await res.text();
    } catch (error) {
      // the status line came but the body was cut off: the write may well have committed
      return { outcome: 'uncertain', status: res.status, body: null, error: errorCode(error) } as Reply;
    }
    let json: Json | null = null;
    try {
      json = text ? (JSON.parse(text) as Json) : null;
    } catch {
      json = { raw: text.slice(0, 200) };
    }
    const outcome: Outcome = res.ok ? 'ack' : res.status >= 500 ? 'uncertain' : 'rejected';
    return { outcome, status: res.status, body: json } as Reply;
  }
}

/** What the harness believes of a ticket: the last acknowledged state, re-read after each restart. */
interface TicketModel {
  id: string;
  number: string;
  marker: string;
  type: string;
  status: string;
  version: number;
  assigneeId: string | null;
  pendingFrom: string | null;
  escalationLevel: number;
  /** A status step is in flight: one at a time per ticket, as a console would. */
  busy: boolean;
  /** A step's fate is unknown (5xx, no answer) and could not be looked up: left alone until the next check. */
  stale: boolean;
}

export interface LedgerEntry {
  round: number;
  client: string;
  userId: string;
  kind: 'create' | 'step' | 'note' | 'message';
  ticketId: string | null;
  action: string;
  marker: string | null;
  /** Logical times: an entry whose answer came before another was sent happened before it. */
  sentTick: number;
  doneTick: number;
  outcome: Outcome | 'pending';
  status: number | null;
  /** The status this step leads to (what the state machine says, known before sending). */
  expectStatus: string | null;
  eventId: string | null;
  callbackId: string | null;
  number: string | null;
  content: string | null;
  /** A retried create: the entry whose answer never came. */
  retryOf: LedgerEntry | null;
  /** During a database outage: 5xx answers are expected then. */
  duringOutage: boolean;
}

interface Client {
  name: string;
  role: 'agent' | 'technician';
  session: Session;
  random: () => number;
  count: number;
  active: boolean;
}

/** Clients wait at the gate while the server is down or the database is being checked. */
class Gate {
  private isOpen = false;
  private waiters: (() => void)[] = [];
  open() {
    this.isOpen = true;
    for (const w of this.waiters.splice(0)) w();
  }
  close() {
    this.isOpen = false;
  }
  wait(): Promise<void> {
    return this.isOpen ? Promise.resolve() : new Promise((resolve) => this.waiters.push(resolve));
  }
}

/** The status each step leads to; resume returns to where it was held; escalate changes none. */
const STEP_STATUS: Record<string, string> = {
  created: 'received',
  dispatch: 'dispatched',
  grab: 'accepted',
  accept: 'accepted',
  decline: 'received',
  arrive: 'on_site',
  start: 'in_progress',
  complete: 'done',
  pend: 'pending',
  reassign: 'dispatched',
  answer: 'closed',
  close: 'closed',
  reopen: 'received',
  cancel: 'cancelled',
};
const VERSIONED_STEPS = new Set<string>(TICKET_ACTIONS);
/** Timeline entries written with their audit record by recordStep (TicketActionsService). */
const AUDITED_STEPS = new Set<string>([...TICKET_ACTIONS, 'note', 'reply', 'return_visit_skipped']);
const FINAL = new Set(['closed', 'cancelled']);
const MARKER = /CR-\d+-[a-z]+\d+-\d+/;

export async function runCrashRounds(options: CrashOptions): Promise<CrashReport> {
  const run = new CrashRun(options);
  return run.run();
}

class CrashRun {
  private readonly log: (line: string) => void;
  private readonly random: () => number;
  private readonly gate = new Gate();
  private server: ServerProcess | null = null;
  private url = '';
  private tick = 0;
  private round = 0;
  private finished = false;
  private killing = false;
  /** The server died by itself: the run stops writing, restarts it once and checks. */
  private crashed = false;
  private outage = false;
  private readonly clients: Client[] = [];
  private readonly tickets = new Map<string, TicketModel>();
  private readonly ledger: LedgerEntry[] = [];
  private readonly claimedEvents = new Set<string>();
  private retryCreates: { client: Client; entry: LedgerEntry; body: Json; key: string }[] = [];
  /** Markers of tickets found in the last verification: a retried create must return that ticket. */
  private knownMarkers = new Map<string, string>();
  private readonly problems: string[] = [];
  private world!: { communityId: string; roomIds: string[]; teamId: string; technicianIds: string[] };
  private readonly report: CrashReport;
  private outageStatuses: Record<string, number> = {};
  /** How far into the current server's output errors were looked for. */
  private errorsSeenUpTo = 0;
  private outageCodes: Record<string, number> = {};

  constructor(private readonly options: CrashOptions) {
    this.log = options.log ?? (() => {});
    this.random = seededRandom(options.seed);
    this.report = {
      dialect: options.dialect,
      seed: options.seed,
      kills: 0,
      cleanStarts: 0,
      starts: 0,
      acknowledged: 0,
      inFlightAtKill: 0,
      refusedWhileDown: 0,
      conflicts: 0,
      recordsVerified: 0,
      verifications: 0,
      ticketsCreated: 0,
      messagesTaken: 0,
      createRetries: 0,
      createRetriesReplayed: 0,
      durationMs: 0,
      problems: this.problems,
    };
  }

  private problem(text: string) {
    if (this.problems.length < 200) this.problems.push(`round ${this.round}: ${text}`);
    this.log(`PROBLEM round ${this.round}: ${text}`);
  }

  private env(): Record<string, string> {
    return {
      DATA_DIR: this.options.dataDir,
      ESTATEDESK_ADMIN_PASSWORD: PASSWORD,
      ...(this.options.databaseUrl ? { DATABASE_URL: this.options.databaseUrl } : {}),
    };
  }

  async run(): Promise<CrashReport> {
    const started = performance.now();
    this.log(
      `crash run on ${this.options.dialect}: seed ${this.options.seed} (replay with CRASH_SEED=${this.options.seed}), ${this.options.kills} kills`,
    );
    await this.start(true);
    try {
      await this.setUp();
      const loops = this.clients.map((c) => this.clientLoop(c));
      for (this.round = 1; this.round <= this.options.kills && !this.crashed; this.round++) {
        await this.retryUncertainCreates();
        this.gate.open();
        const [min, max] = this.options.roundMs ?? [1500, 4000];
        const outage = this.options.databaseOutage;
        if (outage && outage.round === this.round) await this.databaseOutage(outage);
        await sleep(min + Math.floor(this.random() * (max - min)));
        if (this.crashed) break;
        await this.kill();
        await this.start(false);
        await this.verify();
        this.log(
          `round ${this.round}/${this.options.kills}: ${this.report.acknowledged} acknowledged, ${this.report.inFlightAtKill} in flight at kills, ${this.report.recordsVerified} records verified, ${this.problems.length} problems`,
        );
      }
      if (this.crashed) {
        // it died by itself (reported): start it once more and check what it left behind
        this.gate.close();
        while (this.clients.some((c) => c.active)) await sleep(20);
        this.crashed = false;
        await this.start(false);
      }
      // the last round's in-flight creates, retried and checked once more
      await this.retryUncertainCreates();
      await this.verify();
      this.finished = true;
      this.gate.open();
      await Promise.all(loops);
    } finally {
      this.finished = true;
      this.gate.open();
      if (this.server) {
        this.scanErrors();
        const code = await this.server.terminate();
        if (code !== 0) this.problem(`the server did not stop cleanly on SIGTERM (exit code ${code})`);
      }
    }
    this.report.durationMs = Math.round(performance.now() - started);
    return this.report;
  }

  // ---- the server ----

  private async start(first: boolean) {
    this.report.starts++;
    let server: ServerProcess;
    try {
      server = await startServer(this.env());
    } catch (error) {
      this.problem(`the server did not start: ${String(error).slice(0, 2000)}`);
      throw error;
    }
    this.server = server;
    this.url = server.url;
    this.errorsSeenUpTo = 0;
    server.child.on('exit', (code, signal) => {
      if (!this.killing && !this.finished && this.server === server) {
        this.crashed = true;
        this.gate.close();
        this.server = null;
        this.problem(
          `the server exited by itself (code ${code}, signal ${signal}):\n${server.output().slice(-3000)}`,
        );
      }
    });
    // started cleanly: it listens, it migrated nothing after the first start, it logged no error,
    // and it answers ready
    const output = server.output();
    let clean = /EstateDesk listening/.test(output);
    if (!clean) this.problem('no "listening" line in the start-up log');
    if (!first && /database migrated/.test(output)) {
      clean = false;
      this.problem(`a restart applied migrations:\n${output.slice(0, 2000)}`);
    }
    const errors = output.split('\n').filter((line) => /"level":(50|60)/.test(line));
    if (errors.length) {
      clean = false;
      this.problem(`errors logged at start-up:\n${errors.join('\n').slice(0, 2000)}`);
    }
    const ready = await fetch(`${this.url}/readyz`);
    if (ready.status !== 200) {
      clean = false;
      this.problem(`/readyz answered ${ready.status} after start`);
    }
    if (clean) this.report.cleanStarts++;
  }

  /**
   * What the server logged as an error since the last look (a request that failed, a background
   * pass): none is expected, except while the database is away (skipped by databaseOutage).
   */
  private scanErrors() {
    const output = this.server?.output() ?? '';
    const errors = output
      .slice(this.errorsSeenUpTo)
      .split('\n')
      .filter((line) => /"level":(50|60)/.test(line));
    this.errorsSeenUpTo = output.length;
    if (errors.length)
      this.problem(`the server logged errors:\n${errors.slice(0, 5).join('\n').slice(0, 3000)}`);
  }

  private async kill() {
    this.killing = true;
    this.scanErrors();
    // no new request starts from now on; the ones already sent are in flight at the kill
    this.gate.close();
    const killed = this.server!;
    await killed.kill9();
    if (killed.child.signalCode !== 'SIGKILL')
      this.problem(
        `the server ended with ${killed.child.exitCode ?? killed.child.signalCode}, not by the SIGKILL`,
      );
    this.server = null;
    this.report.kills++;
    // every client's request in hand fails now; wait until they are all parked at the gate
    const deadline = Date.now() + 30_000;
    while (this.clients.some((c) => c.active)) {
      if (Date.now() > deadline) {
        this.problem('a client was still waiting for an answer 30 s after the kill');
        break;
      }
      await sleep(20);
    }
    this.killing = false;
  }

  // ---- the world and the clients ----

  private async setUp() {
    const base = () => this.url;
    const admin = await Session.login(base, 'admin', PASSWORD);
    const must = async (what: string, reply: Promise<Reply>) => {
      const r = await reply;
      if (r.outcome !== 'ack') throw new Error(`${what}: ${r.status} ${JSON.stringify(r.body)}`);
      return r.body!;
    };
    const community = await must(
      'community',
      admin.send('POST', '/api/v1/communities', { name: '阳光花园', code: 'YGHY' }),
    );
    const building = await must(
      'building',
      admin.send('POST', '/api/v1/buildings', { communityId: community.id, name: '3栋' }),
    );
    const unit = await must(
      'unit',
      admin.send('POST', '/api/v1/units', { buildingId: building.id, name: '2单元' }),
    );
    const roomIds: string[] = [];
    for (const number of ['1501', '1502', '1601', '1602']) {
      const room = await must('room', admin.send('POST', '/api/v1/rooms', { unitId: unit.id, number }));
      roomIds.push(String(room.id));
    }
    const people: { name: string; role: 'agent' | 'technician' }[] = [
      ...Array.from({ length: this.options.agents ?? 4 }, (_, i) => ({
        name: `agent${i + 1}`,
        role: 'agent' as const,
      })),
      ...Array.from({ length: this.options.technicians ?? 2 }, (_, i) => ({
        name: `tech${i + 1}`,
        role: 'technician' as const,
      })),
    ];
    let employeeNo = 9000;
    for (const person of people) {
      await must(
        `staff ${person.name}`,
        admin.send('POST', '/api/v1/staff', {
          username: person.name,
          employeeNo: String(employeeNo++),
          name: `压测${person.name}`,
          roles: [person.role],
          communityIds: [community.id],
          password: `${PASSWORD}0`,
        }),
      );
      // a new member of staff must set a password of their own at first login
      const first = await Session.login(base, person.name, `${PASSWORD}0`);
      await must(
        `password ${person.name}`,
        first.send('PUT', '/api/v1/me/password', { currentPassword: `${PASSWORD}0`, newPassword: PASSWORD }),
      );
      this.clients.push({
        name: person.name,
        role: person.role,
        session: first,
        random: seededRandom(this.options.seed + employeeNo),
        count: 0,
        active: false,
      });
    }
    const technicianIds = this.clients.filter((c) => c.role === 'technician').map((c) => c.session.userId);
    const team = await must(
      'team',
      admin.send('POST', '/api/v1/teams', {
        communityId: community.id,
        name: '维修组',
        kind: 'repair',
        userIds: technicianIds,
      }),
    );
    this.world = { communityId: String(community.id), roomIds, teamId: String(team.id), technicianIds };
  }

  private async clientLoop(client: Client) {
    while (!this.finished) {
      await this.gate.wait();
      if (this.finished) return;
      client.active = true;
      try {
        const acted =
          client.role === 'agent' ? await this.agentStep(client) : await this.technicianStep(client);
        // nothing to do, or the database is away: do not spin
        if (!acted || this.outage) await sleep(this.outage ? 50 : 15);
      } catch (error) {
        this.problem(`client ${client.name} failed: ${String(error)}`);
      } finally {
        client.active = false;
      }
    }
  }

  private pick<T>(client: Client, items: readonly T[]): T | undefined {
    return items.length ? items[Math.floor(client.random() * items.length)] : undefined;
  }

  private open(filter: (t: TicketModel) => boolean) {
    return [...this.tickets.values()].filter((t) => !t.busy && !t.stale && !FINAL.has(t.status) && filter(t));
  }

  /** A desk agent: takes requests and messages, dispatches, closes, escalates, cancels, notes. */
  private async agentStep(client: Client): Promise<boolean> {
    const r = client.random();
    const openCount = [...this.tickets.values()].filter((t) => !FINAL.has(t.status)).length;
    if (r < (openCount < 12 ? 0.3 : 0.1)) return this.create(client);
    if (r < 0.45) {
      const t = this.pick(
        client,
        this.open((t) => t.status === 'received'),
      );
      if (t) {
        const tech = this.pick(client, this.world.technicianIds)!;
        return this.stepOn(client, t, 'dispatch', { teamId: this.world.teamId, assigneeId: tech });
      }
    }
    if (r < 0.6) {
      const t = this.pick(
        client,
        this.open((t) => t.status === 'done'),
      );
      if (t) return this.stepOn(client, t, 'close', { note: '回访满意' });
    }
    if (r < 0.7) return this.note(client);
    if (r < 0.8) return this.message(client);
    if (r < 0.85) {
      const t = this.pick(
        client,
        this.open((t) => t.escalationLevel < 3),
      );
      if (t) return this.stepOn(client, t, 'escalate', { reason: '住户多次来电催促' });
    }
    if (r < 0.88) {
      const t = this.pick(
        client,
        this.open((t) => ['received', 'dispatched'].includes(t.status)),
      );
      if (t) return this.stepOn(client, t, 'cancel', { reason: '住户来电说明问题已自行解决' });
    }
    if (r < 0.92) {
      const t = this.pick(
        client,
        this.open((t) => t.status === 'pending'),
      );
      if (t) return this.stepOn(client, t, 'resume', {});
    }
    return false;
  }

  /** A technician: works the jobs dispatched to them, step by step. */
  private async technicianStep(client: Client): Promise<boolean> {
    const mine = this.open((t) => t.assigneeId === client.session.userId);
    const t = this.pick(client, mine);
    if (!t) return false;
    const r = client.random();
    switch (t.status) {
      case 'dispatched':
        return this.stepOn(client, t, 'accept', {});
      case 'accepted':
        return this.stepOn(client, t, r < 0.7 ? 'arrive' : 'start', {});
      case 'on_site':
        return this.stepOn(client, t, 'start', {});
      case 'in_progress':
        if (r < 0.25) {
          return this.stepOn(client, t, 'pend', {
            reason: '等待配件',
            nextStep: '配件到货后上门更换',
            eta: new Date(Date.now() + 86_400_000).toISOString(),
            ...(r < 0.18 ? { pauseReason: 'waiting_parts' } : {}),
          });
        }
        return this.stepOn(client, t, 'complete', {
          report: { cause: '水管接头老化', work: '更换接头并试压', parts: '接头 x1', advice: '定期检查' },
        });
      case 'pending':
        return this.stepOn(client, t, 'resume', {});
      default:
        return false;
    }
  }

  private begin(client: Client, fields: Partial<LedgerEntry> & Pick<LedgerEntry, 'kind' | 'action'>) {
    const entry: LedgerEntry = {
      round: this.round,
      client: client.name,
      userId: client.session.userId,
      ticketId: null,
      marker: null,
      sentTick: ++this.tick,
      doneTick: 0,
      outcome: 'pending',
      status: null,
      expectStatus: null,
      eventId: null,
      callbackId: null,
      number: null,
      content: null,
      retryOf: null,
      duringOutage: this.outage,
      ...fields,
    };
    this.ledger.push(entry);
    return entry;
  }

  private finish(entry: LedgerEntry, reply: Reply) {
    entry.doneTick = ++this.tick;
    entry.outcome = reply.outcome;
    entry.status = reply.status;
    entry.duringOutage ||= this.outage;
    if (reply.outcome === 'ack') this.report.acknowledged++;
    else if (reply.outcome === 'refused') this.report.refusedWhileDown++;
    else if (reply.outcome === 'uncertain' && reply.status === null) this.report.inFlightAtKill++;
    else if (reply.status === 409) this.report.conflicts++;
    if (this.outage && reply.outcome !== 'ack') {
      const key = reply.status === null ? `no response (${reply.error})` : String(reply.status);
      this.outageStatuses[key] = (this.outageStatuses[key] ?? 0) + 1;
      const code = typeof reply.body?.code === 'string' ? reply.body.code : null;
      if (code) this.outageCodes[code] = (this.outageCodes[code] ?? 0) + 1;
    }
    const unexpected =
      (reply.outcome === 'rejected' && reply.status !== 409) ||
      (reply.outcome === 'uncertain' && reply.status !== null && !entry.duringOutage) ||
      ((reply.outcome === 'uncertain' || reply.outcome === 'refused') &&
        reply.status === null &&
        !this.killing &&
        !this.outage &&
        !this.crashed);
    if (unexpected) {
      this.problem(
        `${entry.client} ${entry.kind} ${entry.action}${entry.ticketId ? ` on ${entry.ticketId}` : ''}: ${reply.status ?? reply.error} ${JSON.stringify(reply.body)?.slice(0, 300)}`,
      );
    }
  }

  private createBody(client: Client, marker: string): Json {
    const type = client.random() < 0.5 ? 'repair' : 'complaint';
    return {
      communityId: this.world.communityId,
      roomId: this.pick(client, this.world.roomIds),
      callerName: '王先生',
      callerPhone: '13800138000',
      type,
      channel: 'phone',
      content: `${type === 'repair' ? '卫生间漏水，楼下已渗水' : '楼上装修噪音太大'} ${marker}`,
    };
  }

  private async create(client: Client): Promise<boolean> {
    const marker = `CR-${this.options.seed}-${client.name}-${++client.count}`;
    const body = this.createBody(client, marker);
    const key = `crash-${marker}`;
    const entry = this.begin(client, {
      kind: 'create',
      action: 'created',
      marker,
      content: String(body.content),
      expectStatus: 'received',
    });
    const reply = await client.session.send('POST', '/api/v1/tickets', body, { 'idempotency-key': key });
    this.finish(entry, reply);
    if (reply.outcome === 'ack') this.created(entry, reply.body!, marker, String(body.type));
    else if (reply.outcome === 'uncertain' || reply.outcome === 'refused')
      this.retryCreates.push({ client, entry, body, key });
    return true;
  }

  private created(entry: LedgerEntry, body: Json, marker: string, type: string) {
    entry.ticketId = String(body.id);
    entry.number = String(body.number);
    const events = body.events as { id: string; type: string }[];
    entry.eventId = events.find((e) => e.type === 'created')?.id ?? null;
    if (entry.eventId) this.claimedEvents.add(entry.eventId);
    if (!this.tickets.has(entry.ticketId)) {
      this.report.ticketsCreated++;
      this.tickets.set(entry.ticketId, {
        id: entry.ticketId,
        number: entry.number,
        marker,
        type,
        ...stateOf(body),
        pendingFrom: null,
        busy: false,
        stale: false,
      });
    }
  }

  /**
   * After a restart: a create whose answer never came is sent again with the same
   * Idempotency-Key. If the first one committed, the server must answer with that ticket.
   */
  private async retryUncertainCreates() {
    const pending = this.retryCreates.splice(0);
    for (const { client, entry, body, key } of pending) {
      this.report.createRetries++;
      const retry = this.begin(client, {
        kind: 'create',
        action: 'created',
        marker: entry.marker,
        content: entry.content,
        expectStatus: 'received',
        retryOf: entry,
      });
      const reply = await client.session.send('POST', '/api/v1/tickets', body, { 'idempotency-key': key });
      this.finish(retry, reply);
      if (reply.outcome !== 'ack') {
        this.problem(`retrying create ${entry.marker} failed: ${reply.status ?? reply.error}`);
        continue;
      }
      const committed = this.knownMarkers.get(entry.marker!);
      if (committed) {
        this.report.createRetriesReplayed++;
        if (committed !== reply.body!.id)
          this.problem(
            `create ${entry.marker} had committed as ${committed}, but its retry with the same Idempotency-Key made ${String(reply.body!.id)}`,
          );
      }
      this.created(retry, reply.body!, entry.marker!, String(body.type));
    }
  }

  /** One lifecycle step on a ticket, against the version last seen (R12). */
  private async stepOn(client: Client, t: TicketModel, action: string, extra: Json): Promise<boolean> {
    t.busy = true;
    try {
      const expectStatus =
        action === 'resume' ? t.pendingFrom : action === 'escalate' ? t.status : STEP_STATUS[action]!;
      const entry = this.begin(client, { kind: 'step', action, ticketId: t.id, expectStatus });
      const reply = await client.session.send('POST', `/api/v1/tickets/${t.id}/${action}`, {
        version: t.version,
        ...extra,
      });
      this.finish(entry, reply);
      if (reply.outcome === 'ack') {
        const before = t.status;
        Object.assign(t, stateOf(reply.body!));
        t.pendingFrom = t.status === 'pending' ? (action === 'pend' ? before : t.pendingFrom) : null;
        entry.eventId = this.claimEvent(reply.body!, action, client.session.userId);
        if (!entry.eventId)
          this.problem(`the answer to ${action} on ${t.number} has no ${action} event of its own`);
      } else if (reply.status === 409 || reply.outcome === 'uncertain') {
        // someone (the SLA scheduler's escalation, another agent) changed it first, or this step
        // may or may not have happened: look again
        const fresh = await client.session.send('GET', `/api/v1/tickets/${t.id}`);
        if (fresh.outcome === 'ack') {
          Object.assign(t, stateOf(fresh.body!));
          if (t.status !== 'pending') t.pendingFrom = null;
          // held by a step whose answer was lost: where it returns to is read at the next check
          else if (t.pendingFrom === null) t.stale = true;
        } else t.stale = true;
      }
    } finally {
      t.busy = false;
    }
    return true;
  }

  /** An internal note: append-only, no version, may run beside a step on the same ticket. */
  private async note(client: Client): Promise<boolean> {
    const t = this.pick(
      client,
      [...this.tickets.values()].filter((t) => !FINAL.has(t.status)),
    );
    if (!t) return false;
    const entry = this.begin(client, { kind: 'note', action: 'note', ticketId: t.id });
    const reply = await client.session.send('POST', `/api/v1/tickets/${t.id}/notes`, {
      text: `已电话联系住户，约定下午上门 ${t.marker}`,
      visibility: 'internal',
    });
    this.finish(entry, reply);
    if (reply.outcome === 'ack') {
      entry.eventId = this.claimEvent(reply.body!, 'note', client.session.userId);
      if (!entry.eventId) this.problem(`the answer to a note on ${t.number} has no note event of its own`);
    }
    return true;
  }

  /** A message (留言) for a technician, read back to the caller (R30 [002]). */
  private async message(client: Client): Promise<boolean> {
    const marker = `CR-${this.options.seed}-${client.name}-${++client.count}`;
    const content = `想请维修师傅回个电话约上门时间 ${marker}`;
    const entry = this.begin(client, { kind: 'message', action: 'message', marker, content });
    const reply = await client.session.send('POST', '/api/v1/callbacks/messages', {
      communityId: this.world.communityId,
      callerName: '李女士',
      phone: '13900139000',
      roomId: this.pick(client, this.world.roomIds),
      content,
      forUserId: this.pick(client, this.world.technicianIds),
      readBack: true,
    });
    this.finish(entry, reply);
    if (reply.outcome === 'ack') {
      entry.callbackId = String(reply.body!.id);
      this.report.messagesTaken++;
    }
    return true;
  }

  /** The event this request added: of its type, by this actor, the newest not claimed already. */
  private claimEvent(body: Json, type: string, userId: string): string | null {
    const events = (body.events as { id: string; type: string; actor: { id: string } | null }[]) ?? [];
    const mine = events
      .filter((e) => e.type === type && e.actor?.id === userId && !this.claimedEvents.has(e.id))
      .map((e) => e.id)
      .sort();
    const id = mine.at(-1) ?? null;
    if (id) this.claimedEvents.add(id);
    return id;
  }

  // ---- a database outage while the app runs (PostgreSQL) ----

  private async databaseOutage(outage: NonNullable<CrashOptions['databaseOutage']>) {
    const before = this.report.acknowledged;
    await sleep(1000);
    this.scanErrors();
    const logMark = this.server?.output().length ?? 0;
    this.outage = true;
    this.outageStatuses = {};
    this.outageCodes = {};
    const readyz: Record<string, number> = {};
    let firstDown: number | null = null;
    let backUp: number | null = null;
    let polling = true;
    const poller = (async () => {
      while (polling) {
        const at = performance.now();
        let status: string;
        try {
          status = String((await fetch(`${this.url}/readyz`, { signal: AbortSignal.timeout(5000) })).status);
        } catch (error) {
          status = `no response (${errorCode(error)})`;
        }
        readyz[status] = (readyz[status] ?? 0) + 1;
        if (status !== '200' && firstDown === null) firstDown = at;
        if (status === '200' && firstDown !== null && backUp === null) backUp = at;
        await sleep(200);
      }
    })();
    this.log(`round ${this.round}: taking the database away (${outage.kind}) while the clients write`);
    if (outage.kind === 'restart') {
      const [command, ...args] = outage.command;
      const code = await new Promise<number | null>((resolve) => {
        const child = spawn(command!, args, { stdio: 'inherit' });
        child.on('exit', resolve);
        child.on('error', () => resolve(-1));
      });
      if (code !== 0) this.problem(`${outage.command.join(' ')} exited with ${code}`);
    } else {
      await terminateConnections(outage.adminUrl, this.options.databaseUrl!, outage.outageMs);
    }
    // the app must come back by itself: /readyz 200 again within a minute
    const deadline = Date.now() + 60_000;
    while (backUp === null && Date.now() < deadline) await sleep(100);
    if (firstDown === null) this.problem('/readyz never reported the database away');
    else if (backUp === null)
      this.problem('/readyz did not answer 200 within 60 s of the database coming back');
    // let the clients write on the recovered database for a moment, then check everything
    await sleep(1500);
    this.outage = false;
    polling = false;
    await poller;
    const serverStayedUp =
      this.server !== null && this.server.child.exitCode === null && this.server.child.signalCode === null;
    if (!serverStayedUp) this.problem('the server process died while the database was away');
    this.gate.close();
    while (this.clients.some((c) => c.active)) await sleep(20);
    const problemsBefore = this.problems.length;
    let backgroundLoopsAlive = false;
    if (serverStayedUp) {
      await this.verify();
      backgroundLoopsAlive = await this.alertIsDelivered();
      if (!backgroundLoopsAlive)
        this.problem('the outbox dispatcher did not pick up an alert queued after the outage');
    }
    const serverErrors: Record<string, number> = {};
    for (const line of (this.server?.output() ?? '').slice(logMark).split('\n')) {
      if (!/"level":(50|60)/.test(line)) continue;
      try {
        const entry = JSON.parse(line) as { msg?: string; err?: { code?: string; message?: string } };
        const cause = `${entry.msg}: ${entry.err?.code ?? entry.err?.message?.slice(0, 80) ?? '?'}`;
        serverErrors[cause] = (serverErrors[cause] ?? 0) + 1;
      } catch {
        serverErrors[line.slice(0, 80)] = (serverErrors[line.slice(0, 80)] ?? 0) + 1;
      }
    }
    // errors logged while the database was away are expected: counted here, not problems
    this.errorsSeenUpTo = this.server?.output().length ?? 0;
    this.report.outage = {
      kind: outage.kind,
      serverErrors,
      unavailableMs: firstDown !== null && backUp !== null ? Math.round(backUp - firstDown) : -1,
      readyzStatuses: readyz,
      clientStatuses: this.outageStatuses,
      clientErrorCodes: this.outageCodes,
      serverStayedUp,
      backgroundLoopsAlive,
      acknowledgedDuring: this.report.acknowledged - before,
      verifiedAfter: serverStayedUp && this.problems.length === problemsBefore,
    };
    this.log(`round ${this.round}: database outage ${JSON.stringify(this.report.outage)}`);
    if (serverStayedUp) this.gate.open();
  }

  /** A message taken now alerts its technician through the outbox: the dispatcher loop must claim it. */
  private async alertIsDelivered(): Promise<boolean> {
    const agent = this.clients.find((c) => c.role === 'agent')!;
    await this.message(agent);
    const entry = this.ledger.at(-1)!;
    if (entry.outcome !== 'ack' || !entry.callbackId) return false;
    const database = openDatabase({
      databaseUrl: this.options.databaseUrl,
      dataDir: this.options.dataDir,
      poolSize: 1,
    });
    try {
      const deadline = Date.now() + 20_000;
      while (Date.now() < deadline) {
        const rows = await database.db
          .selectFrom('notifications')
          .select(['attempts'])
          .where('callback_id', '=', entry.callbackId)
          .execute();
        if (rows.length && rows.every((r) => Number(r.attempts) >= 1)) return true;
        await sleep(250);
      }
      return false;
    } finally {
      await database.close();
    }
  }

  // ---- verification ----

  private async verify() {
    this.report.verifications++;
    const database = openDatabase({
      databaseUrl: this.options.databaseUrl,
      dataDir: this.options.dataDir,
      poolSize: 1,
      onIdleError: () => {},
    });
    try {
      const snapshot = await readSnapshot(database.db, this.options.dialect);
      if (database.sqlite) {
        const integrity = database.sqlite.pragma('integrity_check') as { integrity_check: string }[];
        if (integrity[0]?.integrity_check !== 'ok')
          this.problem(`SQLite integrity_check: ${JSON.stringify(integrity).slice(0, 500)}`);
        const foreign = database.sqlite.pragma('foreign_key_check') as unknown[];
        if (foreign.length)
          this.problem(`SQLite foreign_key_check: ${JSON.stringify(foreign).slice(0, 500)}`);
      }
      const checked = checkSnapshot(snapshot, this.ledger, (p) => this.problem(p));
      this.report.recordsVerified += checked;
      this.sync(snapshot);
    } finally {
      await database.close();
    }
  }

  /** After a restart the clients go on from what the database holds (their in-flight steps resolved). */
  private sync(snapshot: Snapshot) {
    this.knownMarkers = new Map();
    for (const row of snapshot.tickets) {
      const marker = MARKER.exec(row.content)?.[0];
      if (marker) this.knownMarkers.set(marker, row.id);
      const model = this.tickets.get(row.id);
      if (!model) continue;
      Object.assign(model, {
        status: row.status,
        version: Number(row.version),
        assigneeId: row.assignee_id,
        pendingFrom: row.pending_from,
        escalationLevel: Number(row.escalation_level),
        busy: false,
        stale: false,
      });
    }
  }
}

/** The model's view of a ticket from an answer (the status a hold returns to is tracked apart). */
function stateOf(body: Json) {
  const assignee = body.assignee as { id: string } | null;
  return {
    status: String(body.status),
    version: Number(body.version),
    assigneeId: assignee?.id ?? null,
    escalationLevel: Number(body.escalationLevel ?? 0),
  };
}

/** Ends every connection to the test's database and refuses new ones for a while (its own outage). */
async function terminateConnections(adminUrl: string, databaseUrl: string, outageMs: number) {
  const { default: pg } = await import('pg');
  const name = new URL(databaseUrl).pathname.slice(1);
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`alter database ${name} allow_connections false`);
    await admin.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = $1', [name]);
    await sleep(outageMs);
  } finally {
    await admin.query(`alter database ${name} allow_connections true`);
    await admin.end();
  }
}

// ---- reading the database and checking it ----

export interface Snapshot {
  tickets: {
    id: string;
    number: string;
    status: string;
    version: number;
    type: string;
    priority: string;
    channel: string;
    community_id: string;
    category_id: string | null;
    parent_id: string | null;
    assignee_id: string | null;
    pending_from: string | null;
    escalation_level: number;
    content: string;
  }[];
  events: {
    id: string;
    ticket_id: string;
    type: string;
    at: string;
    actor_id: string | null;
    data: string | null;
  }[];
  audit: { action: string; entity_type: string; entity_id: string | null; at: string }[];
  clocks: { id: string; ticket_id: string; target: string; status: string; ended_at: string | null }[];
  policies: SlaPolicy[];
  callbacks: { id: string; kind: string; content: string | null }[];
  notifications: { id: string; callback_id: string | null }[];
  orphans: Record<string, number>;
}

/** Rows that point at nothing: each count must be 0. */
const ORPHAN_QUERIES: Record<string, string> = {
  'ticket events without their ticket':
    'select count(*) as n from ticket_events e where not exists (select 1 from tickets t where t.id = e.ticket_id)',
  'SLA clocks without their ticket':
    'select count(*) as n from sla_clocks c where not exists (select 1 from tickets t where t.id = c.ticket_id)',
  'SLA clock events without their clock':
    'select count(*) as n from sla_clock_events e where not exists (select 1 from sla_clocks c where c.id = e.clock_id)',
  'notifications of a missing ticket':
    'select count(*) as n from notifications m where m.ticket_id is not null and not exists (select 1 from tickets t where t.id = m.ticket_id)',
  'notifications of a missing callback':
    'select count(*) as n from notifications m where m.callback_id is not null and not exists (select 1 from callbacks c where c.id = m.callback_id)',
  'return visits of a missing ticket':
    'select count(*) as n from return_visits v where not exists (select 1 from tickets t where t.id = v.ticket_id)',
  'ticket audit records of a missing ticket':
    "select count(*) as n from audit_log a where a.entity_type = 'ticket' and not exists (select 1 from tickets t where t.id = a.entity_id)",
  'tickets without their creation event':
    "select count(*) as n from tickets t where not exists (select 1 from ticket_events e where e.ticket_id = t.id and e.type = 'created')",
  'SLA clocks without their start event':
    "select count(*) as n from sla_clocks c where not exists (select 1 from sla_clock_events e where e.clock_id = c.id and e.type = 'start')",
  'messages without their audit record':
    "select count(*) as n from callbacks c where c.kind = 'message' and not exists (select 1 from audit_log a where a.entity_id = c.id and a.action = 'callback.message')",
};

/** Everything at one moment: one read transaction (repeatable read on PostgreSQL). */
export async function readSnapshot(db: Kysely<DB>, dialect: DialectName): Promise<Snapshot> {
  const read = async (trx: Kysely<DB>): Promise<Snapshot> => {
    const tickets = await trx
      .selectFrom('tickets')
      .select([
        'id',
        'number',
        'status',
        'version',
        'type',
        'priority',
        'channel',
        'community_id',
        'category_id',
        'parent_id',
        'assignee_id',
        'pending_from',
        'escalation_level',
        'content',
      ])
      .orderBy('id')
      .execute();
    const events = await trx
      .selectFrom('ticket_events')
      .select(['id', 'ticket_id', 'type', 'at', 'actor_id', 'data'])
      .orderBy('id')
      .execute();
    const audit = await trx
      .selectFrom('audit_log')
      .select(['action', 'entity_type', 'entity_id', 'at'])
      .where('entity_type', 'in', ['ticket', 'callback'])
      .execute();
    const clocks = await trx
      .selectFrom('sla_clocks')
      .select(['id', 'ticket_id', 'target', 'status', 'ended_at'])
      .orderBy('id')
      .execute();
    const policyRows = await trx.selectFrom('sla_policies').selectAll().execute();
    const callbacks = await trx.selectFrom('callbacks').select(['id', 'kind', 'content']).execute();
    const notifications = await trx.selectFrom('notifications').select(['id', 'callback_id']).execute();
    const orphans: Record<string, number> = {};
    for (const [what, query] of Object.entries(ORPHAN_QUERIES)) {
      const result = await sql<{ n: number }>`${sql.raw(query)}`.execute(trx);
      orphans[what] = Number(result.rows[0]?.n ?? 0);
    }
    return {
      tickets,
      events,
      audit,
      clocks,
      policies: policyRows.map((p) => ({
        id: p.id,
        communityId: p.community_id,
        ticketType: p.ticket_type,
        priority: p.priority,
        categoryId: p.category_id,
        target: p.target as SlaTarget,
        minutes: p.minutes,
        businessHours: Number(p.business_hours) === 1,
        warnPercent: p.warn_percent,
      })),
      callbacks,
      notifications,
      orphans,
    };
  };
  if (dialect === 'postgres') return db.transaction().setIsolationLevel('repeatable read').execute(read);
  return db.transaction().execute(read);
}

/**
 * Checks the database against the ledger and against itself; reports each problem, returns how
 * many records it checked.
 */
export function checkSnapshot(
  snapshot: Snapshot,
  ledger: readonly LedgerEntry[],
  problem: (p: string) => void,
) {
  let records = 0;
  for (const [what, n] of Object.entries(snapshot.orphans)) {
    if (n !== 0) problem(`${n} ${what}`);
  }

  const tickets = new Map(snapshot.tickets.map((t) => [t.id, t]));
  const byMarker = new Map<string, string[]>();
  for (const t of snapshot.tickets) {
    const marker = MARKER.exec(t.content)?.[0];
    if (marker) byMarker.set(marker, [...(byMarker.get(marker) ?? []), t.id]);
  }
  const eventsOf = new Map<string, Snapshot['events']>();
  for (const e of snapshot.events) eventsOf.set(e.ticket_id, [...(eventsOf.get(e.ticket_id) ?? []), e]);
  const eventById = new Map(snapshot.events.map((e) => [e.id, e]));
  const auditCount = new Map<string, number>();
  for (const a of snapshot.audit) {
    const key = `${a.entity_id}|${a.action}|${a.at}`;
    auditCount.set(key, (auditCount.get(key) ?? 0) + 1);
  }

  // 1. every acknowledged create is there, once; an unanswered one is there at most once
  for (const entry of ledger.filter((e) => e.kind === 'create')) {
    const found = byMarker.get(entry.marker!) ?? [];
    if (found.length > 1) problem(`create ${entry.marker} is there ${found.length} times`);
    if (entry.outcome !== 'ack') continue;
    records++;
    const row = tickets.get(entry.ticketId!);
    if (!row) {
      problem(`acknowledged ticket ${entry.number} (${entry.marker}) is missing`);
      continue;
    }
    if (row.number !== entry.number || row.content !== entry.content)
      problem(`ticket ${entry.number} differs from what was acknowledged: ${row.number} ${row.content}`);
    if (found.length !== 1 || found[0] !== entry.ticketId)
      problem(`create ${entry.marker} acknowledged as ${entry.ticketId} but found as ${found.join(', ')}`);
  }

  // 2. every acknowledged step and note: its event, exactly once, in order, with its audit record
  const ackedOn = new Map<string, LedgerEntry[]>();
  for (const entry of ledger) {
    if (entry.ticketId && (entry.kind === 'step' || entry.kind === 'note' || entry.kind === 'create'))
      ackedOn.set(entry.ticketId, [...(ackedOn.get(entry.ticketId) ?? []), entry]);
  }
  for (const [ticketId, entries] of ackedOn) {
    const timeline = eventsOf.get(ticketId) ?? [];
    const position = new Map(timeline.map((e, i) => [e.id, i]));
    const acked = entries.filter((e) => e.outcome === 'ack' && e.eventId);
    for (const entry of acked) {
      records++;
      const event = eventById.get(entry.eventId!);
      if (!event || event.ticket_id !== ticketId || event.type !== entry.action) {
        problem(
          `acknowledged ${entry.action} on ${ticketId} (event ${entry.eventId}) is missing from its timeline`,
        );
      }
    }
    for (const a of acked) {
      for (const b of acked) {
        if (a.doneTick < b.sentTick && (position.get(a.eventId!) ?? -1) > (position.get(b.eventId!) ?? -1))
          problem(`on ${ticketId}, ${b.action} (sent after ${a.action} was acknowledged) comes before it`);
      }
    }
    // exactly once: per step type and actor, no more than acknowledged + unanswered
    const groups = new Map<string, { acked: number; uncertain: number }>();
    for (const e of entries) {
      if (e.kind === 'create') continue;
      const key = `${e.action}|${e.userId}`;
      const g = groups.get(key) ?? { acked: 0, uncertain: 0 };
      if (e.outcome === 'ack') g.acked++;
      else if (e.outcome === 'uncertain') g.uncertain++;
      groups.set(key, g);
    }
    for (const [key, g] of groups) {
      const [type, userId] = key.split('|');
      const n = timeline.filter((e) => e.type === type && e.actor_id === userId).length;
      if (n < g.acked || n > g.acked + g.uncertain)
        problem(
          `on ${ticketId}, ${n} ${type} events by ${userId}: ${g.acked} acknowledged, ${g.uncertain} unanswered`,
        );
    }
    // the status: that of the last acknowledged step, or of a step sent after it and unanswered
    const statusful = entries.filter(
      (e) => (e.kind === 'step' || e.kind === 'create') && (e.outcome === 'ack' || e.outcome === 'uncertain'),
    );
    const lastAck = statusful
      .filter((e) => e.outcome === 'ack')
      .sort((a, b) => a.doneTick - b.doneTick)
      .at(-1);
    const row = tickets.get(ticketId);
    if (lastAck && row) {
      const allowed = new Set([
        lastAck.expectStatus,
        ...statusful
          .filter((e) => e.outcome === 'uncertain' && e.sentTick > lastAck.doneTick)
          .map((e) => e.expectStatus),
      ]);
      if (!allowed.has(row.status))
        problem(
          `ticket ${row.number} is ${row.status}; acknowledged or in flight: ${[...allowed].join(' / ')}`,
        );
    }
  }

  // 3. messages: each acknowledged one there once, with its audit record and its alert
  const callbacks = new Map(snapshot.callbacks.map((c) => [c.id, c]));
  const alerts = new Map<string, number>();
  for (const n of snapshot.notifications) {
    if (n.callback_id) alerts.set(n.callback_id, (alerts.get(n.callback_id) ?? 0) + 1);
  }
  const messagesByMarker = new Map<string, string[]>();
  for (const c of snapshot.callbacks) {
    const marker = c.content ? MARKER.exec(c.content)?.[0] : undefined;
    if (marker) messagesByMarker.set(marker, [...(messagesByMarker.get(marker) ?? []), c.id]);
    if (c.kind === 'message' && !alerts.get(c.id)) problem(`message ${c.id} has no alert for its addressee`);
  }
  for (const entry of ledger.filter((e) => e.kind === 'message')) {
    const found = messagesByMarker.get(entry.marker!) ?? [];
    if (found.length > 1) problem(`message ${entry.marker} is there ${found.length} times`);
    if (entry.outcome !== 'ack') continue;
    records++;
    const row = callbacks.get(entry.callbackId!);
    if (!row || row.content !== entry.content) problem(`acknowledged message ${entry.marker} is missing`);
    if (row && !snapshot.audit.some((a) => a.entity_id === row.id && a.action === 'callback.message'))
      problem(`acknowledged message ${entry.marker} has no audit record`);
  }

  // 4. each ticket against itself: timeline ↔ status and version ↔ audit trail ↔ SLA clocks
  const clocksOf = new Map<string, Snapshot['clocks']>();
  for (const c of snapshot.clocks) clocksOf.set(c.ticket_id, [...(clocksOf.get(c.ticket_id) ?? []), c]);
  for (const ticket of snapshot.tickets) {
    records++;
    const timeline = eventsOf.get(ticket.id) ?? [];
    if (timeline[0]?.type !== 'created') problem(`ticket ${ticket.number} does not begin with its creation`);
    let status = 'received';
    let pendingFrom: string | null = null;
    let version = 1;
    for (const event of timeline) {
      const data = event.data ? (JSON.parse(event.data) as Json) : {};
      if (event.type === 'pend') pendingFrom = status;
      if (event.type === 'resume') status = pendingFrom ?? status;
      else if (event.type !== 'created' && STEP_STATUS[event.type]) status = STEP_STATUS[event.type]!;
      if (VERSIONED_STEPS.has(event.type) && !(event.type === 'dispatch' && data.automatic === true))
        version++;
      // a step is in the audit trail with it, in its own transaction
      const action = event.type === 'created' ? 'ticket.created' : `ticket.${event.type}`;
      if (event.type === 'created' || AUDITED_STEPS.has(event.type)) {
        records++;
        if (!auditCount.get(`${ticket.id}|${action}|${event.at}`))
          problem(`ticket ${ticket.number}: ${event.type} at ${event.at} has no audit record`);
      }
    }
    if (status !== ticket.status)
      problem(`ticket ${ticket.number} is ${ticket.status} but its timeline leads to ${status}`);
    if (version !== Number(ticket.version))
      problem(
        `ticket ${ticket.number} is at version ${ticket.version} but its timeline has ${version - 1} changes`,
      );
    // every audit record of a ticket step has its step on the timeline
    const stepAudits = snapshot.audit.filter((a) => a.entity_type === 'ticket' && a.entity_id === ticket.id);
    for (const a of stepAudits) {
      const type = a.action.replace(/^ticket\./, '');
      if (!timeline.some((e) => e.type === type && e.at === a.at))
        problem(`ticket ${ticket.number}: audit ${a.action} at ${a.at} has no step on the timeline`);
    }
    records += checkClocks(ticket, timeline, clocksOf.get(ticket.id) ?? [], snapshot.policies, problem);
  }
  return records;
}

/**
 * The SLA clocks a ticket's timeline implies (the step table in domain/sla, replayed) against the
 * clocks it has: as many of each target, the open ones open (paused where a typed hold paused
 * them), the others ended. A clock the scheduler breached counts as running or paused.
 */
function checkClocks(
  ticket: Snapshot['tickets'][number],
  timeline: Snapshot['events'],
  clocks: Snapshot['clocks'],
  policies: SlaPolicy[],
  problem: (p: string) => void,
): number {
  const facts: SlaTicket = {
    communityId: ticket.community_id,
    type: ticket.type,
    priority: ticket.priority,
    channel: ticket.channel,
    categoryId: ticket.category_id,
    parentCategoryId: null,
    emergencyKind: null,
    parentId: ticket.parent_id,
  };
  const expected: { target: SlaTarget; state: 'running' | 'paused' | 'ended' }[] = [];
  for (const event of timeline) {
    const data = event.data ? (JSON.parse(event.data) as Json) : {};
    const effect = clockEffect(event.type, data, facts);
    const open = expected.filter((c) => c.state !== 'ended');
    for (const clock of open) {
      if (
        effect.cancel === 'all' ||
        effect.cancel.includes(clock.target) ||
        effect.restart.includes(clock.target) ||
        covers(effect.meet, clock.target)
      )
        clock.state = 'ended';
      else if (effect.pause && clock.state === 'running') clock.state = 'paused';
      else if (effect.resume && clock.state === 'paused') clock.state = 'running';
    }
    const stillOpen = new Set(expected.filter((c) => c.state !== 'ended').map((c) => c.target));
    const toStart = [...effect.restart, ...effect.start].filter(
      (target, i, all) => all.indexOf(target) === i && !stillOpen.has(target) && targetApplies(target, facts),
    );
    for (const target of SLA_TARGETS.filter((t) => toStart.includes(t))) {
      if (policyFor(policies, facts, target)) expected.push({ target, state: 'running' });
    }
  }
  let records = 0;
  for (const target of SLA_TARGETS) {
    const want = expected.filter((c) => c.target === target);
    const have = clocks.filter((c) => c.target === target);
    if (want.length !== have.length) {
      problem(
        `ticket ${ticket.number}: ${have.length} ${target} clocks, its timeline started ${want.length}`,
      );
      continue;
    }
    want.forEach((w, i) => {
      records++;
      const h = have[i]!;
      const ok =
        w.state === 'ended'
          ? h.ended_at !== null && ['met', 'breached', 'cancelled'].includes(h.status)
          : h.ended_at === null && (h.status === w.state || h.status === 'breached');
      if (!ok)
        problem(
          `ticket ${ticket.number} (${ticket.status}): ${target} clock is ${h.status}${h.ended_at ? ', ended' : ''}, its timeline says ${w.state}`,
        );
    });
  }
  // what the status implies, whatever the history: nothing runs on a finished request, and a
  // request on a typed hold has no clock running
  const open = clocks.filter((c) => c.ended_at === null);
  if (ticket.status === 'cancelled' && open.length)
    problem(`cancelled ticket ${ticket.number} has open clocks`);
  if (['done', 'closed'].includes(ticket.status) && open.some((c) => c.target !== 'return_visit'))
    problem(`${ticket.status} ticket ${ticket.number} has open clocks other than its return visit`);
  return records;
}
