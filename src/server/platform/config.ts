import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  /** PostgreSQL connection string; when absent, SQLite in `dataDir` is used. */
  databaseUrl: string | null;
  logLevel: LogLevel;
  /** Where users reach the console; https makes the session cookie Secure. */
  publicUrl: string;
  /** Password for the `admin` user created on first start; random when absent. */
  adminPassword: string | null;
  /** A session that has not been used for this long ends. */
  sessionIdleMinutes: number;
  /** Failed logins in a row after which an account is locked, and for how long. */
  loginMaxFailures: number;
  loginLockMinutes: number;
  /** Where the built console lives. */
  webDir: string;
  /** Take the client address from X-Forwarded-For (only behind a proxy you run). */
  trustProxy: boolean;
  /** The largest photo or file one upload may carry, in MB (ATTACHMENT_MAX_MB). */
  attachmentMaxMb: number;
  /** R14: every message to a resident is POSTed here (an SMS / WeChat gateway); none = in-app only. */
  notifyWebhookUrl: string | null;
  /** Signs each webhook body (HMAC-SHA256) so the gateway can tell it came from us. */
  notifyWebhookSecret: string | null;
  /** §4: a call answered within this many seconds of ringing counts as "within three rings". */
  ctiAnswerThresholdSeconds: number;
  /** §4 click to call: the PBX's URL that originates a call from an agent's extension; none = off. */
  ctiOriginateUrl: string | null;
  /** Signs each originate request (HMAC-SHA256), like the notification webhook. */
  ctiOriginateSecret: string | null;
  /** §5 R34: how long a resident's rating link stays valid, in days (RATING_LINK_DAYS). */
  ratingLinkDays: number;
  /** Seconds between SQLite WAL checkpoints (SQLITE_CHECKPOINT_SECONDS). */
  sqliteCheckpointSeconds: number;
  /** §5: requests per minute one address may make to the public rating pages (RATING_RATE_LIMIT). */
  ratingRateLimit: number;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

type Source = Record<string, string | undefined>;

function int(source: Source, name: string, fallback: number, min: number, max: number): number {
  const raw = source[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw.trim())) throw new ConfigError(`${name} must be a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max)
    throw new ConfigError(`${name} must be between ${min} and ${max}, got ${value}`);
  return value;
}

function bool(source: Source, name: string, fallback: boolean): boolean {
  const raw = source[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes'].includes(raw)) return true;
  if (['0', 'false', 'no'].includes(raw)) return false;
  throw new ConfigError(`${name} must be true or false, got "${source[name]}"`);
}

function url(source: Source, name: string, protocols: string[]): string | null {
  const raw = source[name]?.trim();
  if (!raw) return null;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(`${name} is not a valid URL`);
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new ConfigError(`${name} must start with ${protocols.map((p) => `${p}//`).join(' or ')}`);
  }
  return raw;
}

/** The resident-notification webhook (R14): a URL, and optionally a secret of at least 16 characters. */
function notifyWebhook(source: Source) {
  const notifyWebhookUrl = url(source, 'NOTIFY_WEBHOOK_URL', ['http:', 'https:']);
  const notifyWebhookSecret = source.NOTIFY_WEBHOOK_SECRET?.trim() || null;
  if (notifyWebhookSecret && !notifyWebhookUrl) {
    throw new ConfigError('NOTIFY_WEBHOOK_SECRET is set but NOTIFY_WEBHOOK_URL is not');
  }
  if (notifyWebhookSecret && notifyWebhookSecret.length < 16) {
    throw new ConfigError('NOTIFY_WEBHOOK_SECRET must be at least 16 characters');
  }
  return { notifyWebhookUrl, notifyWebhookSecret };
}

/** Click to call (§4): the PBX's originate URL, and optionally a secret of at least 16 characters. */
function ctiOriginate(source: Source) {
  const ctiOriginateUrl = url(source, 'CTI_ORIGINATE_URL', ['http:', 'https:']);
  const ctiOriginateSecret = source.CTI_ORIGINATE_SECRET?.trim() || null;
  if (ctiOriginateSecret && !ctiOriginateUrl) {
    throw new ConfigError('CTI_ORIGINATE_SECRET is set but CTI_ORIGINATE_URL is not');
  }
  if (ctiOriginateSecret && ctiOriginateSecret.length < 16) {
    throw new ConfigError('CTI_ORIGINATE_SECRET must be at least 16 characters');
  }
  return { ctiOriginateUrl, ctiOriginateSecret };
}

/**
 * Reads the configuration from environment variables, optionally layered over a JSON file
 * named by ESTATEDESK_CONFIG (environment wins). Throws ConfigError with one clear line.
 */
export function loadConfig(env: Source = process.env, cwd = process.cwd()): Config {
  let source: Source = { ...env };
  const file = env.ESTATEDESK_CONFIG;
  if (file) {
    const path = resolve(cwd, file);
    if (!existsSync(path))
      throw new ConfigError(`ESTATEDESK_CONFIG names a file that does not exist: ${path}`);
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(path, 'utf8'));
    } catch {
      throw new ConfigError(`ESTATEDESK_CONFIG file is not valid JSON: ${path}`);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new ConfigError(`ESTATEDESK_CONFIG file must hold a JSON object of VARIABLE: value`);
    }
    const fromFile: Source = {};
    for (const [key, value] of Object.entries(parsed))
      fromFile[key] = value == null ? undefined : String(value);
    source = { ...fromFile, ...Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined)) };
  }

  const port = int(source, 'PORT', 3000, 0, 65535);
  const host = source.HOST?.trim() || '127.0.0.1';
  const logLevel = (source.LOG_LEVEL?.trim() || 'info') as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${source.LOG_LEVEL}"`);
  }
  const databaseUrl = url(source, 'DATABASE_URL', ['postgres:', 'postgresql:']);
  const publicUrl = url(source, 'PUBLIC_URL', ['http:', 'https:']) ?? `http://${host}:${port}`;
  const adminPassword = source.ESTATEDESK_ADMIN_PASSWORD ?? null;
  if (adminPassword !== null && adminPassword.length < 8) {
    throw new ConfigError('ESTATEDESK_ADMIN_PASSWORD must be at least 8 characters');
  }

  return {
    port,
    host,
    dataDir: resolve(cwd, source.DATA_DIR?.trim() || 'data'),
    databaseUrl,
    logLevel,
    publicUrl,
    adminPassword,
    sessionIdleMinutes: int(source, 'SESSION_IDLE_MINUTES', 480, 5, 60 * 24 * 30),
    loginMaxFailures: int(source, 'LOGIN_MAX_FAILURES', 5, 1, 100),
    loginLockMinutes: int(source, 'LOGIN_LOCK_MINUTES', 15, 1, 60 * 24),
    webDir: resolve(cwd, source.WEB_DIR?.trim() || 'dist/web'),
    trustProxy: bool(source, 'TRUST_PROXY', false),
    // an upload is held in memory while it is checked and thumbnailed: keep the ceiling modest
    attachmentMaxMb: int(source, 'ATTACHMENT_MAX_MB', 10, 1, 100),
    ...notifyWebhook(source),
    // three rings of about five seconds each [002]
    ctiAnswerThresholdSeconds: int(source, 'CTI_ANSWER_THRESHOLD_SECONDS', 15, 1, 300),
    ...ctiOriginate(source),
    ratingLinkDays: int(source, 'RATING_LINK_DAYS', 7, 1, 90),
    sqliteCheckpointSeconds: int(source, 'SQLITE_CHECKPOINT_SECONDS', 60, 1, 3600),
    ratingRateLimit: int(source, 'RATING_RATE_LIMIT', 30, 1, 10_000),
  };
}
