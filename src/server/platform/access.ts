import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Role } from '../../domain/roles.js';
import { CSRF_HEADER, SESSION_COOKIE, type SessionPrincipal, type SessionStore } from './auth/sessions.js';
import type { RequestContext } from './context.js';
import { hasRole } from './context.js';
import { errors } from './errors.js';
import { pickLocale } from './i18n/i18n.js';
import type { Locale } from './i18n/messages.js';

/**
 * Every route declares who may call it:
 * - `{ public: true }`: anyone (login, health checks);
 * - `{ roles: [...] }`: a logged-in user or API token holding one of these roles.
 * `duringPasswordChange` lets a user who must change their password still reach the route.
 * `queryToken` also takes an API token from `?token=` (for PBXes that can set a URL but no header,
 * as Zammad's CTI does; a token in a URL ends up in logs, so only the telephony webhook has it).
 */
export type Access =
  | { public: true }
  | { roles: readonly Role[]; duringPasswordChange?: boolean; queryToken?: boolean };

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
  interface FastifyInstance {
    /** Every API route with its declared access, for the table-driven access tests and docs. */
    routeAccess: { method: string; url: string; access: Access }[];
  }
  interface FastifyRequest {
    locale: Locale;
    session: SessionPrincipal | null;
    context: RequestContext | null;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The context of an authenticated request; routes that declare roles always have one. */
export function ctxOf(request: FastifyRequest): RequestContext {
  if (!request.context) throw errors.unauthenticated();
  return request.context;
}

/** Authentication, role checks and CSRF protection, driven by each route's `access` declaration. */
export function registerAccess(app: FastifyInstance, sessions: SessionStore) {
  app.decorateRequest('locale', 'zh-CN');
  app.decorateRequest('session', null);
  app.decorateRequest('context', null);

  app.decorate('routeAccess', []);
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api/')) return;
    const access = route.config?.access;
    if (!access) throw new Error(`route ${route.method} ${route.url} does not declare its access`);
    for (const method of [route.method].flat()) {
      if (method !== 'HEAD') app.routeAccess.push({ method, url: route.url, access });
    }
  });

  app.addHook('onRequest', async (request) => {
    request.locale = pickLocale(null, request.headers['accept-language']);
    const access = request.routeOptions.config?.access;
    if (!access || 'public' in access) return;

    const authorization = request.headers.authorization;
    const queryToken = access.queryToken
      ? (request.query as { token?: unknown } | undefined)?.token
      : undefined;
    if (authorization?.startsWith('Bearer ') || (typeof queryToken === 'string' && !authorization)) {
      const secret = authorization ? authorization.slice(7).trim() : String(queryToken);
      const principal = await sessions.resolveToken(secret);
      if (!principal) throw errors.unauthenticated();
      request.context = { principal, requestId: request.id, ip: request.ip, locale: request.locale };
    } else {
      const cookie = request.cookies[SESSION_COOKIE];
      const session = cookie ? await sessions.resolve(cookie) : null;
      if (!session) throw errors.unauthenticated();
      request.session = session;
      request.locale = pickLocale(session.locale, request.headers['accept-language']);
      request.context = {
        principal: session.principal,
        requestId: request.id,
        ip: request.ip,
        locale: request.locale,
      };
      // a cookie is sent by the browser on its own; a write must also prove it came from our page
      if (!SAFE_METHODS.has(request.method)) {
        const header = request.headers[CSRF_HEADER];
        if (typeof header !== 'string' || !sameSecret(header, session.csrfToken)) throw errors.csrf();
      }
      if (session.mustChangePassword && !access.duringPasswordChange) throw errors.passwordChangeRequired();
    }
    if (!hasRole(request.context.principal, access.roles)) throw errors.forbidden();
  });
}
