import type { Kysely } from 'kysely';
import { changesOf, writeAudit } from '../../platform/audit.js';
import type { Clock } from '../../platform/clock.js';
import type { RequestContext } from '../../platform/context.js';
import type { DB } from '../../platform/db/schema.js';
import { errors } from '../../platform/errors.js';
import type { ReportCommunity, ReportsRepository } from './reports.repository.js';
import { type GroupBy, REPORT_MAX_DAYS } from './reports.schemas.js';
import {
  assignmentAt,
  daysInclusive,
  latestPerRequest,
  localDate,
  monthsOf,
  rate,
  type Stats,
  stats,
  utcBounds,
} from './reports.stats.js';
import { returnVisitsWorkbook, satisfactionWorkbook } from './reports.xlsx.js';

export interface PeriodQuery {
  from: string;
  to: string;
  communityId?: string;
}

export type SatisfactionGroup = { key: string | null; name: string | null } & Stats;

export interface SatisfactionResult {
  from: string;
  to: string;
  communityId: string | null;
  groupBy: GroupBy;
  totals: Stats;
  groups: SatisfactionGroup[];
  months: ({ month: string } & Stats)[];
}

export interface FollowupLine {
  id: string;
  ticketId: string;
  ticketNumber: string;
  communityId: string;
  communityName: string;
  createdAt: string;
  reason: string[];
  source: 'link' | 'visit';
  overall: number;
  speed: number;
  attitude: number;
  quality: number;
  comment: string | null;
  status: 'open' | 'closed';
  outcome: string | null;
  closedBy: string | null;
  closedAt: string | null;
}

export interface ReturnVisitsResult {
  from: string;
  to: string;
  communityId: string | null;
  visits: {
    due: number;
    onTime: number;
    late: number;
    open: number;
    overdue: number;
    unreachable: number;
    refused: number;
    rated: number;
    cancelled: number;
    onTimeRate: number | null;
  };
  reopen: { completed: number; reopened: number; rate: number | null };
  followups: { opened: number; closed: number; open: number; items: FollowupLine[] };
}

/**
 * Satisfaction and return-visit reports (§5 R33 R34), for supervisors, managers, 品质部 and
 * administrators, over their own communities. A period is local days (each community's own time
 * zone), at most a year; the rows are read by indexed ranges and counted here.
 */
export class ReportsService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly repo: ReportsRepository,
    private readonly clock: Clock,
  ) {}

  /** The period checked, and the communities asked about (a community outside the scope: 404). */
  private async scope(ctx: RequestContext, q: PeriodQuery) {
    const days = daysInclusive(q.from, q.to);
    if (!Number.isFinite(days) || days < 1 || days > REPORT_MAX_DAYS)
      throw errors.field('to', 'validation.reportRange', { days: REPORT_MAX_DAYS });
    const communities = await this.repo.communities(ctx.principal.scope, q.communityId);
    if (q.communityId !== undefined && !communities.length) throw errors.notFound();
    const zones = new Map(communities.map((c) => [c.id, c]));
    const inPeriod = (at: string, communityId: string) => {
      const day = localDate(at, zones.get(communityId)!.time_zone);
      return day >= q.from && day <= q.to;
    };
    return { communities, zones, inPeriod, ...utcBounds(q.from, q.to) };
  }

  async satisfaction(
    ctx: RequestContext,
    q: PeriodQuery & { groupBy?: GroupBy },
  ): Promise<SatisfactionResult> {
    const groupBy = q.groupBy ?? 'community';
    const { communities, zones, inPeriod, lo, hi } = await this.scope(ctx, q);
    const rows = await this.repo.ratings(
      communities.map((c) => c.id),
      lo.toISOString(),
      hi.toISOString(),
    );
    // each request once: its latest rating of the period, on that rating's local day
    const latest = latestPerRequest(rows.filter((r) => inPeriod(r.created_at, r.community_id)));
    // the team and worker: who had it when it was completed (before the rating), not who has it now
    const steps = new Map<string, { type: string; at: string; data: string | null }[]>();
    if (groupBy === 'team' || groupBy === 'worker') {
      for (const step of await this.repo.assignmentSteps(latest.map((r) => r.ticket_id))) {
        const list = steps.get(step.ticket_id) ?? [];
        list.push(step);
        steps.set(step.ticket_id, list);
      }
    }
    const rated = latest.map((r) => {
      const did = assignmentAt(steps.get(r.ticket_id) ?? [], r.created_at);
      return {
        ...r,
        team_id: did ? did.teamId : r.team_id,
        worker_id: did ? did.workerId : r.worker_id,
        month: localDate(r.created_at, zones.get(r.community_id)!.time_zone).slice(0, 7),
      };
    });
    const teamNames =
      groupBy === 'team' ? await this.repo.teamNames(unique(rated.map((r) => r.team_id))) : new Map();
    const workerNames =
      groupBy === 'worker' ? await this.repo.userNames(unique(rated.map((r) => r.worker_id))) : new Map();

    const keyOf = (r: (typeof rated)[number]): { key: string | null; name: string | null } => {
      switch (groupBy) {
        case 'community':
          return { key: r.community_id, name: zones.get(r.community_id)!.name };
        case 'team':
          return { key: r.team_id, name: r.team_id ? (teamNames.get(r.team_id) ?? null) : null };
        case 'worker':
          return { key: r.worker_id, name: r.worker_id ? (workerNames.get(r.worker_id) ?? null) : null };
        case 'category':
          return { key: r.category_id, name: r.category_name };
        case 'month':
          return { key: r.month, name: r.month };
      }
    };
    const buckets = new Map<string, { key: string | null; name: string | null; rows: typeof rated }>();
    for (const r of rated) {
      const group = keyOf(r);
      const id = group.key ?? '';
      const bucket = buckets.get(id) ?? { ...group, rows: [] };
      bucket.rows.push(r);
      buckets.set(id, bucket);
    }
    const groups = [...buckets.values()].map((b) => ({ key: b.key, name: b.name, ...stats(b.rows) }));
    if (groupBy === 'month') groups.sort((a, b) => a.key!.localeCompare(b.key!));
    else
      groups.sort(
        (a, b) =>
          Number(a.key === null) - Number(b.key === null) ||
          b.count - a.count ||
          (a.name ?? '').localeCompare(b.name ?? '', 'zh-CN'),
      );
    const months = monthsOf(q.from, q.to).map((month) => ({
      month,
      ...stats(rated.filter((r) => r.month === month)),
    }));
    return {
      from: q.from,
      to: q.to,
      communityId: q.communityId ?? null,
      groupBy,
      totals: stats(rated),
      groups,
      months,
    };
  }

  async returnVisits(ctx: RequestContext, q: PeriodQuery): Promise<ReturnVisitsResult> {
    const { communities, zones, inPeriod, lo, hi } = await this.scope(ctx, q);
    const ids = communities.map((c) => c.id);
    const now = this.clock.now().toISOString();

    const visits = (await this.repo.visitsDue(ids, lo.toISOString(), hi.toISOString())).filter((v) =>
      inPeriod(v.due_at, v.community_id),
    );
    const v = {
      due: visits.length,
      onTime: 0,
      late: 0,
      open: 0,
      overdue: 0,
      unreachable: 0,
      refused: 0,
      rated: 0,
      cancelled: 0,
    };
    for (const visit of visits) {
      if (visit.status === 'open' || visit.status === 'reached') {
        v.open++;
        if (visit.due_at < now) v.overdue++;
      } else if (visit.status === 'done' || visit.close_reason === 'rated') {
        if (visit.done_at && visit.done_at <= visit.due_at) v.onTime++;
        else v.late++;
        if (visit.close_reason === 'rated') v.rated++;
      } else if (visit.close_reason === 'unreachable') v.unreachable++;
      else if (visit.close_reason === 'refused') v.refused++;
      else v.cancelled++;
    }

    // requests completed in the period (first completion in it), and whether reopened after it
    const completed = new Map<string, string>();
    for (const e of await this.repo.completions(ids, lo, hi.toISOString())) {
      if (inPeriod(e.at, e.community_id) && !completed.has(e.ticket_id)) completed.set(e.ticket_id, e.at);
    }
    const reopened = new Set<string>();
    for (const e of await this.repo.reopens([...completed.keys()])) {
      if (e.at > completed.get(e.ticket_id)!) reopened.add(e.ticket_id);
    }

    const items: FollowupLine[] = (await this.repo.followups(ids, lo, hi.toISOString()))
      .filter((f) => inPeriod(f.created_at, f.community_id))
      .map((f) => ({
        id: f.id,
        ticketId: f.ticket_id,
        ticketNumber: f.ticket_number,
        communityId: f.community_id,
        communityName: zones.get(f.community_id)!.name,
        createdAt: f.created_at,
        reason: f.reason.split(',').filter(Boolean),
        source: f.source as 'link' | 'visit',
        overall: f.overall,
        speed: f.speed,
        attitude: f.attitude,
        quality: f.quality,
        comment: f.comment,
        status: f.status as 'open' | 'closed',
        outcome: f.outcome,
        closedBy: f.closer_name,
        closedAt: f.closed_at,
      }));
    const closed = items.filter((f) => f.status === 'closed').length;
    return {
      from: q.from,
      to: q.to,
      communityId: q.communityId ?? null,
      // open visits not yet due may still be on time: they count once done or overdue
      visits: { ...v, onTimeRate: rate(v.onTime, v.due - v.cancelled - (v.open - v.overdue)) },
      reopen: {
        completed: completed.size,
        reopened: reopened.size,
        rate: rate(reopened.size, completed.size),
      },
      followups: { opened: items.length, closed, open: items.length - closed, items },
    };
  }

  async satisfactionXlsx(ctx: RequestContext, q: PeriodQuery & { groupBy?: GroupBy }) {
    const report = await this.satisfaction(ctx, q);
    const communities = await this.repo.communities(ctx.principal.scope, q.communityId);
    const buffer = await satisfactionWorkbook(report, scopeName(communities, q.communityId));
    await this.audit(ctx, 'satisfaction', q, { groupBy: report.groupBy, rows: report.groups.length });
    return { buffer, fileName: `满意度报表-${q.from}至${q.to}.xlsx` };
  }

  async returnVisitsXlsx(ctx: RequestContext, q: PeriodQuery) {
    const report = await this.returnVisits(ctx, q);
    const communities = await this.repo.communities(ctx.principal.scope, q.communityId);
    const zones = new Map(communities.map((c) => [c.id, c.time_zone]));
    const buffer = await returnVisitsWorkbook(
      report,
      scopeName(communities, q.communityId),
      (id) => zones.get(id) ?? 'Asia/Shanghai',
    );
    await this.audit(ctx, 'return-visits', q, { rows: report.followups.items.length });
    return { buffer, fileName: `回访报表-${q.from}至${q.to}.xlsx` };
  }

  /** Every export is audited, as the registry's is (R61): who took which figures out. */
  private async audit(ctx: RequestContext, report: string, q: PeriodQuery, extra: Record<string, unknown>) {
    await writeAudit(
      this.db,
      ctx,
      {
        action: 'report.exported',
        entityType: 'report',
        entityId: report,
        communityId: q.communityId ?? null,
        changes: changesOf(null, { from: q.from, to: q.to, format: 'xlsx', ...extra }),
      },
      this.clock.now(),
    );
  }
}

function unique(ids: (string | null)[]): string[] {
  return [...new Set(ids.filter((id): id is string => id !== null))];
}

function scopeName(communities: ReportCommunity[], communityId: string | undefined): string {
  if (communityId) return communities[0]?.name ?? '';
  return communities.map((c) => c.name).join('、');
}
