/** Where a background loop reports a failed pass (pino's logger fits). */
export interface Log {
  error(obj: object, msg: string): void;
}

/**
 * A pass run over and over in the background until `stop()`: the outbox dispatcher and the
 * SLA and callback schedulers. Each pass answers how long to wait before the next (0: at once).
 * A failed pass is logged and the loop goes on after `retryMs()`. The timer does not keep the
 * process alive, and `stop()` waits for the pass in hand, so shutdown never cuts one short.
 */
export class BackgroundLoop {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;
  private stopped = false;

  constructor(
    private readonly pass: () => Promise<number>,
    private readonly failure: string,
    private readonly retryMs: () => number,
  ) {}

  start(log?: Log): void {
    if (this.timer || this.running || this.stopped) return;
    const tick = async () => {
      this.timer = null;
      let delay = this.retryMs();
      const run = this.pass()
        .then((ms) => {
          delay = ms;
        })
        .catch((error: unknown) => log?.error({ err: error }, this.failure));
      this.running = run;
      await run;
      this.running = null;
      if (this.stopped) return;
      this.timer = setTimeout(tick, delay);
      this.timer.unref();
    };
    this.timer = setTimeout(tick, 0);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }
}
