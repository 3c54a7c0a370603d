import { createHmac } from 'node:crypto';
import type { Config } from '../../platform/config.js';

/** One message to one resident or member of staff, as a channel sends it (and as the webhook's JSON body). */
export interface OutgoingNotification {
  id: string;
  /** null: an alert of no request (a callback's, R30). */
  ticketId: string | null;
  /** '' when there is no request. */
  ticketNumber: string;
  /** The callback a staff alert is about (R30), else null. */
  callbackId?: string | null;
  /** The step that caused it: created, dispatch, accept, pend, complete, reply … */
  event: string;
  /** resident: a step the resident is told of (R14); staff: an alert to a member of staff (R26). */
  audience: 'resident' | 'staff';
  recipient: { name: string | null; phone: string | null };
  text: string;
  createdAt: string;
}

/**
 * A way of reaching residents. `send` resolves once the message is handed over, and throws when
 * it was not: the dispatcher then tries again later, unless the error is an UndeliverableError.
 * SMS, WeChat or email adapters implement this and are registered in `notificationChannels`.
 */
export interface NotificationChannel {
  readonly name: string;
  send(message: OutgoingNotification): Promise<void>;
}

/** The channel refused this message for good (e.g. the gateway answered 4xx): trying again is pointless. */
export class UndeliverableError extends Error {
  override name = 'UndeliverableError';
}

/**
 * In-app (站内): the message is recorded for the staff console and the resident app, which read it
 * from the outbox. Delivering it is marking it sent. Always available.
 */
export class InAppChannel implements NotificationChannel {
  readonly name = 'in_app';
  async send(_message: OutgoingNotification): Promise<void> {
    // the outbox row is the message: nothing leaves the server
  }
}

export const SIGNATURE_HEADER = 'x-estatedesk-signature';

/** `sha256=<hex>` of the HMAC-SHA256 of the exact body bytes with the shared secret. */
export function signBody(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

/** Statuses that say "not now" rather than "never": the message is tried again. */
const RETRYABLE_STATUSES = new Set([408, 425, 429]);

/**
 * POSTs every message as JSON to an operator's gateway (an SMS or WeChat service), signed with
 * HMAC-SHA256 when a secret is set. A 2xx answer is delivery; a 4xx answer (except 408, 425,
 * 429) is a refusal for good; anything else, a network error or no answer within the timeout is
 * tried again. Delivery is at least once: the gateway should ignore an `id` it has seen.
 */
export class WebhookChannel implements NotificationChannel {
  readonly name = 'webhook';
  constructor(
    private readonly url: string,
    private readonly secret: string | null,
    private readonly timeoutMs = 10_000,
  ) {}

  async send(message: OutgoingNotification): Promise<void> {
    const body = JSON.stringify(message);
    const headers: Record<string, string> = {
      'content-type': 'application/json; charset=utf-8',
      'x-estatedesk-notification-id': message.id,
    };
    if (this.secret) headers[SIGNATURE_HEADER] = signBody(body, this.secret);
    let response: Response;
    try {
      response = await fetch(this.url, {
        method: 'POST',
        headers,
        body,
        // a redirected POST would arrive as a GET elsewhere: treat it as a failure instead
        redirect: 'manual',
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      const reason =
        error instanceof Error && error.name === 'TimeoutError'
          ? `no answer within ${this.timeoutMs} ms`
          : error instanceof Error
            ? `${error.message}${error.cause instanceof Error ? `: ${error.cause.message}` : ''}`
            : String(error);
      throw new Error(`webhook: ${reason}`);
    }
    const answer = (await response.text().catch(() => '')).slice(0, 200);
    if (response.status >= 200 && response.status < 300) return;
    const problem = `webhook answered ${response.status}${answer ? `: ${answer}` : ''}`;
    if (response.status >= 400 && response.status < 500 && !RETRYABLE_STATUSES.has(response.status)) {
      throw new UndeliverableError(problem);
    }
    throw new Error(problem);
  }
}

/**
 * The channels this server can deliver through, and the one new messages go out on: the
 * webhook when NOTIFY_WEBHOOK_URL is set, otherwise in-app. In-app stays registered either way,
 * so messages queued before a webhook was configured are still delivered.
 */
export function notificationChannels(
  config: Pick<Config, 'notifyWebhookUrl' | 'notifyWebhookSecret'>,
  options: { webhookTimeoutMs?: number } = {},
): { channels: Map<string, NotificationChannel>; outbound: string } {
  const channels = new Map<string, NotificationChannel>();
  const inApp = new InAppChannel();
  channels.set(inApp.name, inApp);
  if (config.notifyWebhookUrl) {
    const webhook = new WebhookChannel(
      config.notifyWebhookUrl,
      config.notifyWebhookSecret,
      options.webhookTimeoutMs,
    );
    channels.set(webhook.name, webhook);
    return { channels, outbound: webhook.name };
  }
  return { channels, outbound: inApp.name };
}
