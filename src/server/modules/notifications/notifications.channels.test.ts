import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../platform/config.js';
import {
  notificationChannels,
  type OutgoingNotification,
  UndeliverableError,
  WebhookChannel,
} from './notifications.channels.js';

const message: OutgoingNotification = {
  id: 'n1',
  ticketId: 't1',
  ticketNumber: 'GD20261130-0001',
  event: 'created',
  audience: 'resident',
  recipient: { name: '王建国', phone: '13800138000' },
  text: '【物业】王先生，您好！…',
  createdAt: '2026-11-30T02:00:00.000Z',
};

describe('R14: the notification settings', () => {
  it('R14: in-app by default; the webhook when NOTIFY_WEBHOOK_URL is set, in-app still registered', () => {
    const plain = loadConfig({});
    expect(plain).toMatchObject({ notifyWebhookUrl: null, notifyWebhookSecret: null });
    const inApp = notificationChannels(plain);
    expect(inApp.outbound).toBe('in_app');
    expect([...inApp.channels.keys()]).toEqual(['in_app']);
    const hooked = notificationChannels(
      loadConfig({
        NOTIFY_WEBHOOK_URL: 'https://sms.example.com/hook',
        NOTIFY_WEBHOOK_SECRET: 'x'.repeat(16),
      }),
    );
    expect(hooked.outbound).toBe('webhook');
    expect([...hooked.channels.keys()].sort()).toEqual(['in_app', 'webhook']);
  });

  it('refuses a bad URL, a short secret, and a secret without a URL, with one clear line', () => {
    expect(() => loadConfig({ NOTIFY_WEBHOOK_URL: 'not a url' })).toThrow(
      new ConfigError('NOTIFY_WEBHOOK_URL is not a valid URL'),
    );
    expect(() => loadConfig({ NOTIFY_WEBHOOK_URL: 'ftp://x.example.com' })).toThrow(
      'NOTIFY_WEBHOOK_URL must start with http:// or https://',
    );
    expect(() => loadConfig({ NOTIFY_WEBHOOK_SECRET: 'x'.repeat(20) })).toThrow(
      'NOTIFY_WEBHOOK_SECRET is set but NOTIFY_WEBHOOK_URL is not',
    );
    expect(() =>
      loadConfig({ NOTIFY_WEBHOOK_URL: 'https://sms.example.com/hook', NOTIFY_WEBHOOK_SECRET: 'short' }),
    ).toThrow('NOTIFY_WEBHOOK_SECRET must be at least 16 characters');
  });
});

describe('R14: the webhook channel against a real HTTP server', () => {
  let server: Server;
  let base: string;
  const okHeaders: IncomingHttpHeaders[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/hang') return; // never answers
      if (req.url === '/ok') okHeaders.push(req.headers);
      if (req.url === '/moved') {
        res.writeHead(302, { location: '/elsewhere' });
        return res.end();
      }
      if (req.url === '/busy') {
        res.writeHead(429);
        return res.end('slow down');
      }
      res.writeHead(204);
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('R14: delivered on any 2xx answer, sent without a signature when no secret is set', async () => {
    await expect(new WebhookChannel(`${base}/ok`, null).send(message)).resolves.toBeUndefined();
    expect(okHeaders).toHaveLength(1);
    expect(okHeaders[0]!['x-estatedesk-notification-id']).toBe('n1');
    expect(okHeaders[0]!['x-estatedesk-signature']).toBeUndefined();
  });

  it('R14: no answer within the timeout is a failure to retry, not a hang', async () => {
    const error = await new WebhookChannel(`${base}/hang`, null, 200).send(message).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(UndeliverableError);
    expect((error as Error).message).toBe('webhook: no answer within 200 ms');
  });

  it('R14: a redirect or 429 is retried later; a closed port too', async () => {
    for (const path of ['/moved', '/busy']) {
      const error = await new WebhookChannel(`${base}${path}`, null).send(message).catch((e: Error) => e);
      expect(error, path).toBeInstanceOf(Error);
      expect(error, path).not.toBeInstanceOf(UndeliverableError);
    }
    // a port that was just free again: nothing listens there
    const gone = createServer();
    await new Promise<void>((resolve) => gone.listen(0, '127.0.0.1', resolve));
    const port = (gone.address() as AddressInfo).port;
    await new Promise((resolve) => gone.close(resolve));
    const closed = await new WebhookChannel(`http://127.0.0.1:${port}/hook`, null, 2000)
      .send(message)
      .catch((e: Error) => e);
    expect((closed as Error).message).toMatch(/^webhook: fetch failed: .*ECONNREFUSED/);
  });
});
