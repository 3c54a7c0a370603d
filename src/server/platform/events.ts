import { EventEmitter } from 'node:events';
import pg from 'pg';

/** A change of a request: open consoles in its community refresh what it touches. */
export interface TicketChangedEvent {
  type: 'ticket.changed';
  communityId: string;
  ticketId: string;
  status: string;
  version: number;
  /** What happened: created, dispatch, accept … note, reply. */
  action: string;
}

/**
 * A call the PBX reported (§4): ringing pops the caller's card on the consoles of `userIds` only
 * (the answering agent, or the desk agents on duty for the caller's community). Ids only: the
 * console fetches the card with its own permissions, and a NOTIFY stays far below 8000 bytes.
 */
export interface CallEvent {
  type: 'call.ringing' | 'call.answered' | 'call.ended';
  /** Who is told; nobody else's stream carries it. At most CALL_EVENT_MAX_USERS per event. */
  userIds: string[];
  communityId: string | null;
  callId: string;
  status: string;
  direction: string;
  /** The agent on the call once answered. */
  agentUserId: string | null;
}

/** A call event names at most this many users (≈ 3.8 kB); more are told in several events. */
export const CALL_EVENT_MAX_USERS = 100;

/** A new alert for members of staff (R26 escalations, R30 messages): their bells refresh. */
export interface AlertEvent {
  type: 'alert.created';
  userIds: string[];
  communityId: string | null;
  alertId: string;
}

/** A change others may want to see at once. */
export type ChangeEvent = TicketChangedEvent | CallEvent | AlertEvent;

export interface EventBus {
  /** Call after the change has committed: listeners in every server process hear it. */
  publish(event: ChangeEvent): Promise<void>;
  subscribe(listener: (event: ChangeEvent) => void): () => void;
  close(): Promise<void>;
}

const CHANNEL = 'estatedesk_events';
/** Events sent in one NOTIFY statement at most (each payload stays under 8000 bytes). */
const NOTIFY_BATCH = 200;

/** One process: events stay in it (SQLite runs as one server). */
export class LocalEventBus implements EventBus {
  protected readonly emitter = new EventEmitter().setMaxListeners(0);

  async publish(event: ChangeEvent) {
    this.emitter.emit('event', event);
  }

  subscribe(listener: (event: ChangeEvent) => void) {
    this.emitter.on('event', listener);
    return () => {
      this.emitter.off('event', listener);
    };
  }

  async close() {
    this.emitter.removeAllListeners();
  }
}

/**
 * Many servers on one PostgreSQL: a change is announced with NOTIFY and every server LISTENs on
 * one dedicated connection, so a console connected to server B hears a change made through A.
 * The listening connection reconnects by itself if the database drops it.
 */
export class PostgresEventBus extends LocalEventBus {
  #client: pg.Client | null = null;
  #closed = false;
  #retry: NodeJS.Timeout | null = null;
  /** Events waiting for the NOTIFY on its way (publish), and whether one is. */
  #queue: { event: ChangeEvent; resolve: () => void; reject: (error: Error) => void }[] = [];
  #sending = false;

  constructor(
    private readonly connectionString: string,
    private readonly onError: (error: Error) => void = () => {},
  ) {
    super();
  }

  async start() {
    const client = new pg.Client({ connectionString: this.connectionString });
    client.on('error', (error) => {
      this.onError(error);
      this.#reconnect();
    });
    client.on('notification', (message) => {
      if (message.channel !== CHANNEL || !message.payload) return;
      try {
        this.emitter.emit('event', JSON.parse(message.payload) as ChangeEvent);
      } catch {
        // not ours
      }
    });
    await client.connect();
    await client.query(`listen ${CHANNEL}`);
    this.#client = client;
  }

  #reconnect() {
    if (this.#closed || this.#retry) return;
    this.#client = null;
    this.#retry = setTimeout(() => {
      this.#retry = null;
      this.start().catch((error: Error) => {
        this.onError(error);
        this.#reconnect();
      });
    }, 1000);
    this.#retry.unref();
  }

  /**
   * Events sent one after another on the listening connection: those published while a NOTIFY is
   * on its way go together in the next statement (one round trip for a burst of changes, and never
   * two queries at once on one client), in the order they were published. PostgreSQL delivers
   * identical payloads of one statement once: an event repeated in a burst is heard once.
   */
  override publish(event: ChangeEvent): Promise<void> {
    if (!this.#client) {
      // not listening right now: at least this process hears it
      return super.publish(event);
    }
    return new Promise<void>((resolve, reject) => {
      this.#queue.push({ event, resolve, reject });
      if (!this.#sending) void this.#send();
    });
  }

  async #send() {
    this.#sending = true;
    try {
      while (this.#queue.length) {
        const batch = this.#queue.splice(0, NOTIFY_BATCH);
        const client = this.#client;
        try {
          if (client)
            await client.query('select pg_notify($1, payload) from unnest($2::text[]) as payload', [
              CHANNEL,
              batch.map((item) => JSON.stringify(item.event)),
            ]);
          else for (const item of batch) await super.publish(item.event);
          for (const item of batch) item.resolve();
        } catch (error) {
          for (const item of batch) item.reject(error as Error);
        }
      }
    } finally {
      this.#sending = false;
    }
  }

  override async close() {
    this.#closed = true;
    if (this.#retry) clearTimeout(this.#retry);
    await this.#client?.end().catch(() => {});
    await super.close();
  }
}
