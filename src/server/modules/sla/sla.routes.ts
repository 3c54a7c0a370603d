import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { FIELD_ROLES, READ_ROLES, type Role } from '../../../domain/roles.js';
import { ctxOf } from '../../platform/access.js';
import { errorResponses, IdParams } from '../../platform/schemas.js';
import {
  BoardQuery,
  CalendarBody,
  CalendarEntry,
  ClockList,
  CommunityParams,
  ComplianceQuery,
  ComplianceResult,
  CreatePolicyBody,
  PolicyQuery,
  ReapplyBody,
  ReapplyResult,
  SlaPolicy,
  UpdatePolicyBody,
} from './sla.schemas.js';
import type { SlaService } from './sla.service.js';

/** Who watches the clocks: the supervisors and above. */
const WATCH_ROLES: Role[] = ['supervisor', 'manager', 'quality', 'admin'];
/** Who sets the policies and calendars: a community's manager, or an admin (company-wide too). */
const SETTING_ROLES: Role[] = ['manager', 'admin'];

export const slaRoutes: FastifyPluginAsyncTypebox<{ sla: SlaService }> = async (app, { sla }) => {
  app.get(
    '/tickets/:id/sla',
    {
      config: { access: { roles: [...READ_ROLES, ...FIELD_ROLES] } },
      schema: {
        tags: ['sla'],
        summary: 'A request’s SLA clocks: each target, its due and warn times, status and time left',
        params: IdParams,
        response: { 200: ClockList, ...errorResponses },
      },
    },
    async (request) => sla.ticketClocks(ctxOf(request), request.params.id),
  );

  app.get(
    '/sla/board',
    {
      // the desk sees the countdowns on its own queue; the scope keeps it to its communities
      config: { access: { roles: READ_ROLES } },
      schema: {
        tags: ['sla'],
        summary: 'The supervisor’s board: running clocks, the one that breaches next first',
        querystring: BoardQuery,
        response: { 200: ClockList, ...errorResponses },
      },
    },
    async (request) => sla.board(ctxOf(request), request.query),
  );

  app.get(
    '/sla/overdue',
    {
      // the desk sees the countdowns on its own queue; the scope keeps it to its communities
      config: { access: { roles: READ_ROLES } },
      schema: {
        tags: ['sla'],
        summary: 'The overdue queue: breached clocks not yet met, longest overdue first',
        querystring: BoardQuery,
        response: { 200: ClockList, ...errorResponses },
      },
    },
    async (request) => sla.overdue(ctxOf(request), request.query),
  );

  app.get(
    '/sla/compliance',
    {
      config: { access: { roles: WATCH_ROLES } },
      schema: {
        tags: ['sla'],
        summary:
          'On-time rate of the clocks started in a period, per community, team, worker, type or target',
        querystring: ComplianceQuery,
        response: { 200: ComplianceResult, ...errorResponses },
      },
    },
    async (request) => sla.compliance(ctxOf(request), request.query),
  );

  app.get(
    '/sla/policies',
    {
      config: { access: { roles: WATCH_ROLES } },
      schema: {
        tags: ['sla'],
        summary: 'SLA policies: the company’s, and the overrides of the caller’s communities',
        querystring: PolicyQuery,
        response: { 200: Type.Array(SlaPolicy), ...errorResponses },
      },
    },
    async (request) => sla.listPolicies(ctxOf(request), request.query.communityId),
  );

  app.post(
    '/sla/policies',
    {
      config: { access: { roles: SETTING_ROLES } },
      schema: {
        tags: ['sla'],
        summary: 'Add a policy (company-wide: admin only); it applies to clocks started from now on',
        body: CreatePolicyBody,
        response: { 201: SlaPolicy, ...errorResponses },
      },
    },
    async (request, reply) => reply.status(201).send(await sla.createPolicy(ctxOf(request), request.body)),
  );

  app.patch(
    '/sla/policies/:id',
    {
      config: { access: { roles: SETTING_ROLES } },
      schema: {
        tags: ['sla'],
        summary: 'Change a policy; open clocks keep their terms until an admin re-applies',
        params: IdParams,
        body: UpdatePolicyBody,
        response: { 200: SlaPolicy, ...errorResponses },
      },
    },
    async (request) => sla.updatePolicy(ctxOf(request), request.params.id, request.body),
  );

  app.delete(
    '/sla/policies/:id',
    {
      config: { access: { roles: SETTING_ROLES } },
      schema: {
        tags: ['sla'],
        summary: 'Remove a policy',
        params: IdParams,
        response: { 204: Type.Null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      await sla.deletePolicy(ctxOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/sla/calendars',
    {
      config: { access: { roles: WATCH_ROLES } },
      schema: {
        tags: ['sla'],
        summary: 'Business calendars: the company’s and each of the caller’s communities’',
        response: { 200: Type.Array(CalendarEntry), ...errorResponses },
      },
    },
    async (request) => sla.listCalendars(ctxOf(request)),
  );

  app.put(
    '/sla/calendars/company',
    {
      config: { access: { roles: ['admin'] } },
      schema: {
        tags: ['sla'],
        summary: 'Set the company’s default business calendar',
        body: CalendarBody,
        response: { 200: CalendarEntry, ...errorResponses },
      },
    },
    async (request) => sla.putCalendar(ctxOf(request), null, request.body.calendar),
  );

  app.put(
    '/sla/calendars/communities/:id',
    {
      config: { access: { roles: SETTING_ROLES } },
      schema: {
        tags: ['sla'],
        summary: 'Set a community’s own business calendar (its time zone, hours, holidays, 调休)',
        params: CommunityParams,
        body: CalendarBody,
        response: { 200: CalendarEntry, ...errorResponses },
      },
    },
    async (request) => sla.putCalendar(ctxOf(request), request.params.id, request.body.calendar),
  );

  app.post(
    '/sla/reapply',
    {
      config: { access: { roles: ['admin'] } },
      schema: {
        tags: ['sla'],
        summary: 'Re-apply today’s policies to the open clocks of a community (recorded in the audit)',
        body: ReapplyBody,
        response: { 200: ReapplyResult, ...errorResponses },
      },
    },
    async (request) => sla.reapply(ctxOf(request), request.body.communityId),
  );
};
