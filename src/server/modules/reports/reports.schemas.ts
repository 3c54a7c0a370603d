import { Type } from '@sinclair/typebox';
import { Nullable, StringEnum } from '../../platform/schemas.js';

/** The most days one report covers: a year, leap day included. */
export const REPORT_MAX_DAYS = 366;

export const GROUP_BYS = ['community', 'team', 'worker', 'category', 'month'] as const;
export type GroupBy = (typeof GROUP_BYS)[number];

const LocalDate = (description: string) =>
  Type.String({ format: 'date', description: `${description} (YYYY-MM-DD, inclusive)` });

const periodFields = {
  from: LocalDate('First day of the period, in each community’s own time zone'),
  to: LocalDate(`Last day of the period; at most ${REPORT_MAX_DAYS} days after the first`),
  communityId: Type.Optional(
    Type.String({
      maxLength: 64,
      description: 'One community; none: every community the caller may see. Outside the caller’s: 404',
    }),
  ),
};

export const ReportQuery = Type.Object(periodFields, { additionalProperties: false });

export const SatisfactionQuery = Type.Object(
  {
    ...periodFields,
    groupBy: Type.Optional(
      StringEnum(GROUP_BYS, {
        default: 'community',
        description:
          'community; team and worker (who had the request when it was rated); category; month (in the request’s community’s time zone)',
      }),
    ),
  },
  { additionalProperties: false },
);

const Stats = {
  count: Type.Integer({ description: 'Rated requests (each request once, see the rule)' }),
  overall: Nullable(Type.Number({ description: 'Average overall score, one decimal; null without ratings' })),
  speed: Nullable(Type.Number()),
  attitude: Nullable(Type.Number()),
  quality: Nullable(Type.Number()),
  satisfied: Type.Integer({ description: 'Rated 4 or 5 overall' }),
  satisfiedRate: Nullable(Type.Number({ description: 'satisfied / count, 0–1 to three decimals' })),
};

export const SatisfactionReport = Type.Object(
  {
    from: Type.String({ format: 'date' }),
    to: Type.String({ format: 'date' }),
    communityId: Nullable(Type.String()),
    groupBy: StringEnum(GROUP_BYS),
    totals: Type.Object(Stats),
    groups: Type.Array(
      Type.Object({
        key: Nullable(
          Type.String({ description: 'The id, or YYYY-MM; null: none (no team, worker or category)' }),
        ),
        name: Nullable(Type.String({ description: 'What the console shows; null when key is null' })),
        ...Stats,
      }),
    ),
    months: Type.Array(Type.Object({ month: Type.String({ description: 'YYYY-MM' }), ...Stats }), {
      description: 'Every month of the period, in order, empty ones included (for the trend line)',
    }),
  },
  {
    description:
      'Satisfaction (R34) from the ratings of requests — the resident’s link and the return visit alike. A request rated more than once counts once, with its latest rating in the period (by time, then id); it falls on the day that rating was given in its community’s time zone.',
  },
);

const Rate = Nullable(Type.Number({ description: '0–1 to three decimals; null when nothing to divide' }));

export const FollowupLine = Type.Object({
  id: Type.String(),
  ticketId: Type.String(),
  ticketNumber: Type.String(),
  communityId: Type.String(),
  communityName: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  reason: Type.Array(Type.String(), { description: 'The dimensions scored 2 or less' }),
  source: StringEnum(['link', 'visit'] as const),
  overall: Type.Integer(),
  speed: Type.Integer(),
  attitude: Type.Integer(),
  quality: Type.Integer(),
  comment: Nullable(Type.String({ description: 'The resident’s comment with the rating' })),
  status: StringEnum(['open', 'closed'] as const),
  outcome: Nullable(Type.String({ description: 'What was done for the resident' })),
  closedBy: Nullable(Type.String()),
  closedAt: Nullable(Type.String({ format: 'date-time' })),
});

export const ReturnVisitsReport = Type.Object(
  {
    from: Type.String({ format: 'date' }),
    to: Type.String({ format: 'date' }),
    communityId: Nullable(Type.String()),
    visits: Type.Object(
      {
        due: Type.Integer({ description: 'Return visits due in the period (R24: 3 days after completion)' }),
        onTime: Type.Integer({ description: 'Done (or answered by the resident’s rating) by the due time' }),
        late: Type.Integer({ description: 'Done after the due time' }),
        open: Type.Integer({ description: 'Still to call (or reached, result not yet recorded)' }),
        overdue: Type.Integer({ description: 'Of the open ones, past their due time now' }),
        unreachable: Type.Integer({ description: 'Closed after three attempts without reaching anyone' }),
        refused: Type.Integer(),
        rated: Type.Integer({ description: 'Of on time and late: closed by the resident’s own rating' }),
        cancelled: Type.Integer({ description: 'Moot: the request was reopened before the visit' }),
        onTimeRate: Rate,
      },
      { description: 'onTimeRate = onTime / (due − cancelled − open visits not yet due)' },
    ),
    reopen: Type.Object(
      {
        completed: Type.Integer({ description: 'Requests completed in the period' }),
        reopened: Type.Integer({ description: 'Of those, reopened after that completion (by now)' }),
        rate: Rate,
      },
      { description: 'Reopen rate (R13): from the requests’ complete and reopen steps' },
    ),
    followups: Type.Object({
      opened: Type.Integer({ description: 'Complaint follow-ups opened in the period (R34)' }),
      closed: Type.Integer({ description: 'Of those, closed by now (with their outcome)' }),
      open: Type.Integer(),
      items: Type.Array(FollowupLine, { description: 'Every follow-up opened in the period, oldest first' }),
    }),
  },
  { description: 'Return-visit completion on time, reopen rate and complaint follow-ups (R33 R34)' },
);

export const XlsxResponse = {
  description: 'An .xlsx workbook (Content-Disposition: attachment)',
  content: {
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': {
      schema: { type: 'string', format: 'binary' },
    },
  },
};
