import { EventEmitter } from 'node:events';
import pg from 'pg';

/** A change others may want to see at once: open consoles refresh what it touches. */
export interface ChangeEvent {
  type: 'ticket.changed';
  communityId: string;
  ticketId: string;
  status: string;
  version: number;
  /** What happened: created, dispatch, accept … note, reply. */
  action: string;
}

export interface EventBus {
  /** Call after the change has committed: listeners in every server process hear it. */
  publish(event: ChangeEvent): Promise<void>;
  subscribe(listener: (event: ChangeEvent) => void): () => void;
  close(): Promise<void>;
}

const CHANNEL = 'estatedesk_events';

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

  override async publish(event: ChangeEvent) {
    const client = this.#client;
    if (!client) {
      // not listening right now: at least this process hears it
      await super.publish(event);
      return;
    }
    await client.query('select pg_notify($1, $2)', [CHANNEL, JSON.stringify(event)]);
  }

  override async close() {
    this.#closed = true;
    if (this.#retry) clearTimeout(this.#retry);
    await this.#client?.end().catch(() => {});
    await super.close();
  }
}
