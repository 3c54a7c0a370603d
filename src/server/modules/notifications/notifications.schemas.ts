import { Type } from '@sinclair/typebox';
import { Nullable, StringEnum } from '../../platform/schemas.js';
import { NOTIFICATION_STATUSES } from './notifications.repository.js';

/** One message to a resident (R14) as the staff see it: what was said, to whom, and how it went. */
export const Notification = Type.Object(
  {
    id: Type.String(),
    ticketId: Nullable(Type.String({ description: 'null: an alert of no request (R30 callbacks)' })),
    event: Type.String({
      description:
        'The step that caused it: created, dispatch, reassign, grab, accept, pend, resume, complete, close, reopen, cancel, answer, reply',
    }),
    channel: Type.String({ description: 'in_app (站内), or webhook (an SMS / WeChat gateway)' }),
    recipient: Type.Object({
      name: Nullable(Type.String()),
      phone: Nullable(Type.String({ description: 'Masked (R4)' })),
      residentId: Nullable(
        Type.String({ description: 'The registered resident; null for a caller as taken' }),
      ),
    }),
    text: Type.String({ description: 'The text the resident receives' }),
    status: StringEnum(NOTIFICATION_STATUSES, {
      description:
        'queued (waiting for its turn or for a retry), sending (claimed), sent, failed (gave up after the last attempt), undeliverable (refused by the gateway)',
    }),
    attempts: Type.Integer({ description: 'Delivery attempts so far' }),
    nextAttemptAt: Nullable(
      Type.String({
        format: 'date-time',
        description: 'queued: when it is tried next; sending: when the claim lapses',
      }),
    ),
    lastError: Nullable(Type.String()),
    createdAt: Type.String({ format: 'date-time' }),
    sentAt: Nullable(Type.String({ format: 'date-time' })),
  },
  { description: 'A message to a resident (R14)' },
);

/** An alert to the member of staff reading it: an escalation that reached their level (R26). */
export const StaffAlert = Type.Object(
  {
    id: Type.String(),
    ticketId: Nullable(Type.String({ description: 'null: about a callback (R30), not a request' })),
    ticketNumber: Nullable(Type.String()),
    ticketStatus: Nullable(Type.String({ description: 'The request’s status now' })),
    callbackId: Nullable(Type.String({ description: 'The callback (回电, R30) it is about, else null' })),
    communityId: Type.String(),
    event: Type.String({
      description: 'What caused it: escalate; callback_message, callback_warn, callback_breach (R30)',
    }),
    text: Type.String(),
    createdAt: Type.String({ format: 'date-time' }),
    readAt: Nullable(Type.String({ format: 'date-time' })),
  },
  { description: 'An alert to a member of staff (R26 逐级负责制)' },
);

export const MyAlerts = Type.Object({
  unread: Type.Integer({ description: 'How many of the caller’s alerts are unread' }),
  items: Type.Array(StaffAlert),
});

export const MyAlertsQuery = Type.Object(
  {
    unread: Type.Optional(Type.Boolean({ description: 'Only the unread ones' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
  },
  { additionalProperties: false },
);

export const MarkedRead = Type.Object({
  marked: Type.Integer({ description: 'Alerts marked read by this call' }),
  unread: Type.Integer({ description: 'Unread alerts left' }),
});
