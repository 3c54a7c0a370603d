import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { STAFF_ROLES } from '../../../domain/roles.js';
import { ctxOf } from '../../platform/access.js';
import { SESSION_COOKIE } from '../../platform/auth/sessions.js';
import { errors } from '../../platform/errors.js';
import { errorResponses } from '../../platform/schemas.js';
import type { StaffRecord, StaffRepository } from '../staff/staff.repository.js';
import { ChangePasswordBody, LoginBody, LoginReply, Me, UpdateMeBody } from './auth.schemas.js';
import type { AuthService } from './auth.service.js';

export interface AuthRoutesOptions {
  auth: AuthService;
  staff: StaffRepository;
  secureCookies: boolean;
}

const meAccess = { roles: STAFF_ROLES, duringPasswordChange: true } as const;

function toMe(user: StaffRecord, csrfToken: string) {
  const { id, username, employeeNo, name, phone, roles, communityIds, allCommunities, mustChangePassword } =
    user;
  const locale =
    user.locale === 'zh-CN' || user.locale === 'zh-TW' || user.locale === 'en' ? user.locale : null;
  return {
    id,
    username,
    employeeNo,
    name,
    phone,
    roles,
    communityIds,
    allCommunities,
    locale,
    mustChangePassword,
    csrfToken,
  };
}

export const authRoutes: FastifyPluginAsyncTypebox<AuthRoutesOptions> = async (app, opts) => {
  const { auth, staff } = opts;

  app.post(
    '/auth/login',
    {
      config: { access: { public: true } },
      schema: {
        tags: ['auth'],
        summary: 'Log in with username or 工号 and password; sets the session cookie',
        body: LoginBody,
        response: {
          200: LoginReply,
          400: Type.Ref('ErrorBody'),
          401: Type.Ref('ErrorBody'),
          403: Type.Ref('ErrorBody'),
          423: Type.Ref('ErrorBody'),
          429: Type.Ref('ErrorBody'),
        },
      },
    },
    async (request, reply) => {
      const { user, token, csrfToken } = await auth.login(
        request.body.login,
        request.body.password,
        request.ip,
        request.headers['user-agent'] ?? null,
        request.id,
      );
      // no session fixation: the login always gets a new session, and a session cookie the
      // browser presented (whoever planted it) ends here, so it cannot ride along
      const presented = request.cookies[SESSION_COOKIE];
      if (presented) await auth.endPresentedSession(presented);
      reply.setCookie(SESSION_COOKIE, token, {
        path: '/',
        httpOnly: true,
        sameSite: 'lax',
        secure: opts.secureCookies,
        // a browser-session cookie: the server alone decides when an idle session ends
      });
      return { user: toMe(user, csrfToken), csrfToken };
    },
  );

  app.post(
    '/auth/logout',
    {
      config: { access: meAccess },
      schema: {
        tags: ['auth'],
        summary: 'End this session',
        response: { 204: Type.Null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      if (request.session) await auth.logout(request.session, ctxOf(request));
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/me',
    {
      config: { access: meAccess },
      schema: {
        tags: ['auth'],
        summary: 'Who I am, my roles and communities',
        response: { 200: Me, ...errorResponses },
      },
    },
    async (request) => {
      const session = request.session;
      if (!session) throw errors.forbidden(); // API tokens have no user profile
      const user = await staff.get(session.principal.userId);
      if (!user) throw errors.unauthenticated();
      return toMe(user, session.csrfToken);
    },
  );

  app.patch(
    '/me',
    {
      config: { access: meAccess },
      schema: {
        tags: ['auth'],
        summary: 'Change my settings (language)',
        body: UpdateMeBody,
        response: { 200: Me, ...errorResponses },
      },
    },
    async (request) => {
      const session = request.session;
      if (!session) throw errors.forbidden();
      await auth.setLocale(ctxOf(request), request.body.locale);
      const user = await staff.get(session.principal.userId);
      if (!user) throw errors.unauthenticated();
      return toMe(user, session.csrfToken);
    },
  );

  app.put(
    '/me/password',
    {
      config: { access: meAccess },
      schema: {
        tags: ['auth'],
        summary: 'Change my password; my other sessions end',
        body: ChangePasswordBody,
        response: { 204: Type.Null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      if (!request.session) throw errors.forbidden();
      await auth.changePassword(
        ctxOf(request),
        request.session.sessionId,
        request.body.currentPassword,
        request.body.newPassword,
      );
      return reply.status(204).send(null);
    },
  );
};
