import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { LIFT_LOG_ENTRIES, MAX_DURATION_MINUTES } from '../../../domain/emergency.js';
import { DESK_ROLES, type Role } from '../../../domain/roles.js';
import { ctxOf } from '../../platform/access.js';
import { errorResponses, IdParams, StringEnum as literals, Text } from '../../platform/schemas.js';
import type { TicketEmergencyService } from './tickets.emergency.js';

/** The desk, and the security guards and technicians sent to the lift (on their own jobs only). */
const PLAYBOOK_ROLES: readonly Role[] = [...DESK_ROLES, 'security', 'technician'];

const Version = Type.Integer({ minimum: 1 });

export const EmergencyLogBody = Type.Object(
  {
    version: Version,
    entry: literals(LIFT_LOG_ENTRIES, {
      description:
        'contractor_called 通知维保单位 · onsite_notified 通知保安/工程到场 · reassurance_call 安抚被困人员 (repeat until release) · rescuers_arrived 救援人员到场 · released 解救 · lift_checked 电梯停用检查',
    }),
    note: Type.Optional(Type.String({ maxLength: 500 })),
    at: Type.Optional(
      Type.String({
        format: 'date-time',
        description: 'When it happened, if earlier than now; never in the future',
      }),
    ),
    contractor: Type.Optional(
      Type.Object(
        { name: Text(100), phone: Type.Optional(Type.String({ maxLength: 30 })) },
        { additionalProperties: false, description: 'contractor_called only: the 维保单位 called' },
      ),
    ),
    injuries: Type.Optional(
      Type.Boolean({ description: 'released only, and required there: was anyone hurt' }),
    ),
  },
  { additionalProperties: false },
);

export const IncidentReportBody = Type.Object(
  {
    version: Version,
    cause: Text(1000),
    duration: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: MAX_DURATION_MINUTES,
        description: 'Minutes trapped; by default from the report to the release',
      }),
    ),
    actions: Text(2000),
    injuries: Text(1000, { description: 'Who was hurt and how they were cared for, or 无' }),
    followUp: Text(1000),
  },
  { additionalProperties: false },
);

export const ticketsEmergencyRoutes: FastifyPluginAsyncTypebox<{
  emergency: TicketEmergencyService;
}> = async (app, { emergency }) => {
  app.post(
    '/tickets/:id/emergency-log',
    {
      config: { access: { roles: PLAYBOOK_ROLES } },
      schema: {
        tags: ['tickets'],
        summary:
          'Log a step of the emergency playbook (R16, 电梯困人): contractor called, staff sent, reassurance call, rescuers on site, release, lift check',
        description:
          'Steps are refused out of order with a 409: a release needs the contractor called and the rescuers on site; nothing of the trapped time after the release; once-only steps once.',
        params: IdParams,
        body: EmergencyLogBody,
        response: { 200: Type.Ref('TicketDetail'), ...errorResponses },
      },
    },
    async (request) => emergency.log(ctxOf(request), request.params.id, request.body),
  );

  app.post(
    '/tickets/:id/incident-report',
    {
      config: { access: { roles: PLAYBOOK_ROLES } },
      schema: {
        tags: ['tickets'],
        summary:
          'File the incident report of an emergency (R16): cause, duration, actions, injuries, follow-up; only after the release',
        params: IdParams,
        body: IncidentReportBody,
        response: { 200: Type.Ref('TicketDetail'), ...errorResponses },
      },
    },
    async (request) => emergency.report(ctxOf(request), request.params.id, request.body),
  );
};
