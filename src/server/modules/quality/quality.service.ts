import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import {
  drawQaSample,
  parseWeek,
  type QaPick,
  type QaReason,
  type QaSubjectType,
} from '../../../domain/qa-sampling.js';
import { writeAudit } from '../../platform/audit.js';
import type { Clock } from '../../platform/clock.js';
import { inScope, type RequestContext } from '../../platform/context.js';
import type { DialectName } from '../../platform/db/database.js';
import { serialize } from '../../platform/db/dialect.js';
import type { DB } from '../../platform/db/schema.js';
import { AppError, errors, type FieldError } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { decodeCursor, encodeCursor } from '../../platform/schemas.js';
import { localDate, utcBounds } from '../reports/reports.stats.js';
import type { CheckRow, QualityRepository, SampleRecord, SheetRow } from './quality.repository.js';

export interface SheetItem {
  key: string;
  name: string;
  maxPoints: number;
  deductions: string;
}

export interface QualityOptions {
  /** Random picks per agent per week (new staff twice as many). */
  perAgent?: number;
  /** The seed of each draw; random unless a test fixes it. */
  seed?: () => string;
}

export const SHEET_LIMITS = { items: 20, name: 60, itemName: 30, deductions: 1000, maxPoints: 100 };
const COMMENT_MAX = 1000;
const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

const alreadyScored = () => new AppError(409, 'QA_ALREADY_SCORED', 'error.QA_ALREADY_SCORED');
const ownSample = () => new AppError(409, 'QA_OWN_SAMPLE', 'error.QA_OWN_SAMPLE');

function itemsOf(sheet: Pick<SheetRow, 'items'>): SheetItem[] {
  return JSON.parse(sheet.items) as SheetItem[];
}
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const halfPoints = (n: number) => Number.isFinite(n) && Math.round(n * 2) === n * 2;
const round1 = (n: number) => Math.round(n * 10) / 10;

/**
 * Quality spot checks (抽查, §6 R39). Supervisors, 品质部, managers and administrators draw a
 * week's sample per community (each agent's requests and answered calls at random, new staff
 * twice as many, and every one mentioning 投诉 / 赔偿 / 起诉); supervisors and 品质部 score them on
 * the score sheet; agents read and acknowledge their own results; a monthly report per agent
 * puts the scores beside the forbidden-phrase overrides (R37).
 */
export class QualityService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly dialect: DialectName,
    private readonly repo: QualityRepository,
    private readonly clock: Clock,
    private readonly options: QualityOptions = {},
  ) {}

  // ---- the score sheet ----

  private sheetView(row: SheetRow) {
    const items = itemsOf(row);
    return {
      id: row.id,
      name: row.name,
      version: row.version,
      current: row.current === 1,
      items,
      maxTotal: sum(items.map((i) => i.maxPoints)),
      createdAt: row.created_at,
    };
  }

  async sheet() {
    return this.sheetView(await this.repo.currentSheet());
  }

  /** A new version of the sheet; checks already made keep the version they were scored on. */
  async updateSheet(
    ctx: RequestContext,
    input: {
      version: number;
      name: string;
      items: { key?: string; name: string; maxPoints: number; deductions?: string }[];
    },
  ) {
    const fields: FieldError[] = [];
    const name = input.name.trim();
    if (!name || name.length > SHEET_LIMITS.name)
      fields.push({ field: 'name', key: 'validation.qaSheetName', params: { limit: SHEET_LIMITS.name } });
    if (input.items.length < 1 || input.items.length > SHEET_LIMITS.items)
      fields.push({
        field: 'items',
        key: 'validation.qaSheetItemCount',
        params: { max: SHEET_LIMITS.items },
      });
    const names = new Set<string>();
    const keys = new Set<string>();
    const items: SheetItem[] = [];
    input.items.forEach((item, i) => {
      const n = i + 1;
      const itemName = item.name.trim();
      if (!itemName || itemName.length > SHEET_LIMITS.itemName || names.has(itemName))
        fields.push({
          field: `items.${i}.name`,
          key: 'validation.qaSheetItemName',
          params: { n, limit: SHEET_LIMITS.itemName },
        });
      names.add(itemName);
      if (!(item.maxPoints > 0) || item.maxPoints > SHEET_LIMITS.maxPoints || !halfPoints(item.maxPoints))
        fields.push({
          field: `items.${i}.maxPoints`,
          key: 'validation.qaSheetItemPoints',
          params: { n, max: SHEET_LIMITS.maxPoints },
        });
      const deductions = (item.deductions ?? '').trim();
      if (deductions.length > SHEET_LIMITS.deductions)
        fields.push({
          field: `items.${i}.deductions`,
          key: 'validation.maxLength',
          params: { limit: SHEET_LIMITS.deductions },
        });
      let key = item.key?.trim() || `item${n}`;
      if (!/^[a-z0-9_]{1,40}$/.test(key))
        fields.push({ field: `items.${i}.key`, key: 'validation.qaSheetItemKey', params: { n } });
      while (keys.has(key)) key = `${key}_${n}`;
      keys.add(key);
      items.push({ key, name: itemName, maxPoints: item.maxPoints, deductions });
    });
    if (fields.length) throw errors.validation(fields);

    const now = this.clock.now();
    return this.db.transaction().execute(async (trx) => {
      const repo = this.repo.with(trx);
      const before = await repo.currentSheet();
      if (before.version !== input.version) throw errors.conflict();
      const row: SheetRow = {
        id: newId(now),
        name,
        items: JSON.stringify(items),
        version: before.version + 1,
        current: 1,
        created_by: ctx.principal.userId === 'system' ? null : ctx.principal.userId,
        created_at: now.toISOString(),
      };
      if (!(await repo.replaceSheet(row, before.id))) throw errors.conflict();
      await writeAudit(
        trx,
        ctx,
        {
          action: 'quality.sheet.update',
          entityType: 'qa_sheet',
          entityId: row.id,
          changes: {
            version: [before.version, row.version],
            name: [before.name, row.name],
            items: [itemsOf(before), items],
          },
        },
        now,
      );
      return this.sheetView(row);
    });
  }

  // ---- samples ----

  private async views(rows: SampleRecord[]) {
    const checks = await this.repo.checks(rows.filter((r) => r.check_id).map((r) => r.id));
    const sheets = new Map(
      (await this.repo.sheets([...new Set(checks.map((c) => c.sheet_id))])).map((s) => [s.id, s]),
    );
    const bySample = new Map(checks.map((c) => [c.sample_id, c]));
    return rows.map((r) => {
      const c = bySample.get(r.id);
      return {
        id: r.id,
        week: r.week,
        subjectType: r.subject_type as QaSubjectType,
        subjectId: r.subject_id,
        subjectNumber: r.ticket_number,
        subjectAt: r.subject_at,
        agent: r.agent_user_id
          ? { id: r.agent_user_id, name: r.agent_name ?? '', employeeNo: r.agent_employee_no ?? '' }
          : null,
        communityId: r.community_id,
        communityName: r.community_name,
        reason: r.reason as QaReason,
        status: r.status as 'pending' | 'scored',
        check: c ? this.checkView(c, sheets.get(c.sheet_id)!) : null,
        createdAt: r.created_at,
      };
    });
  }

  private checkView(c: CheckRow & { checker_name: string; checker_no: string }, sheet: SheetRow) {
    const scores = JSON.parse(c.scores) as Record<string, number>;
    const items = itemsOf(sheet);
    return {
      id: c.id,
      sheetId: sheet.id,
      sheetVersion: sheet.version,
      items: items.map((i) => ({ ...i, points: scores[i.key] ?? 0 })),
      total: Number(c.total),
      maxTotal: sum(items.map((i) => i.maxPoints)),
      comment: c.comment,
      checkedBy: { id: c.checked_by, name: c.checker_name, employeeNo: c.checker_no },
      checkedAt: c.checked_at,
      seenAt: c.seen_at,
    };
  }

  async list(
    ctx: RequestContext,
    q: {
      week?: string;
      status?: string;
      agentId?: string;
      communityId?: string;
      cursor?: string;
      limit?: number;
    },
  ) {
    let week: string | undefined;
    if (q.week) {
      const parsed = parseWeek(q.week);
      if (!parsed) throw errors.field('week', 'validation.qaWeek');
      week = parsed.label;
    }
    const limit = q.limit ?? 50;
    const rows = await this.repo.list(ctx.principal.scope, {
      ...q,
      week,
      before: decodeCursor(q.cursor),
      limit: limit + 1,
    });
    const page = rows.slice(0, limit);
    return {
      items: await this.views(page),
      nextCursor: rows.length > limit ? encodeCursor(page[page.length - 1]!.id) : null,
    };
  }

  /**
   * Draws the week's sample of a community (R39). Idempotent: what is drawn stays drawn, and
   * drawing again adds only what was not there before (a request of the week mentioning 投诉 that
   * came in since, an agent's first answered call …), never more random picks than the quota.
   */
  async draw(ctx: RequestContext, input: { week: string; communityId: string }) {
    const week = parseWeek(input.week.trim());
    if (!week) throw errors.field('week', 'validation.qaWeek');
    if (!inScope(ctx.principal.scope, input.communityId)) throw errors.notFound();
    const timeZone = await this.repo.timeZone(input.communityId);
    if (!timeZone) throw errors.notFound();
    const now = this.clock.now();
    const { lo, hi } = utcBounds(week.monday, week.sunday);
    const inWeek = (at: string) => {
      const day = localDate(at, timeZone);
      return day >= week.monday && day <= week.sunday;
    };

    const added = await this.db.transaction().execute(async (trx) => {
      await serialize(trx, this.dialect, `qa-draw:${input.communityId}:${week.label}`);
      const repo = this.repo.with(trx);
      const rows = (await repo.candidates(input.communityId, lo.toISOString(), hi.toISOString())).filter(
        (r) => inWeek(r.at),
      );
      // a call's text is that of the requests it created or was attached to
      const links = await repo.callTickets(
        rows.filter((r) => r.subject_type === 'call').map((r) => r.subject_id),
      );
      const texts = await repo.ticketTexts([
        ...new Set([
          ...rows.filter((r) => r.subject_type === 'ticket').map((r) => r.subject_id),
          ...links.map((l) => l.ticket_id),
        ]),
      ]);
      const callText = new Map<string, string>();
      for (const l of links)
        callText.set(l.call_id, `${callText.get(l.call_id) ?? ''}\n${texts.get(l.ticket_id) ?? ''}`);
      const candidates = rows.map((r) => ({
        subjectType: r.subject_type,
        subjectId: r.subject_id,
        agentUserId: r.agent,
        text: (r.subject_type === 'ticket' ? texts.get(r.subject_id) : callText.get(r.subject_id)) ?? '',
      }));
      const users = await repo.users([...new Set(rows.map((r) => r.agent).filter((a): a is string => !!a))]);
      const known = new Set(users.map((u) => u.id));
      const weekRows = await repo.ofWeek(input.communityId, week.label);
      const elsewhere = await repo.sampledSubjects(rows.map((r) => r.subject_id));
      const existing: QaPick[] = [
        ...weekRows.map((s) => ({
          subjectType: s.subject_type as QaSubjectType,
          subjectId: s.subject_id,
          agentUserId: s.agent_user_id,
          reason: s.reason as QaReason,
        })),
        // sampled in another week or community already (the zone changed since): never twice
        ...candidates
          .filter((c) => elsewhere.has(`${c.subjectType}:${c.subjectId}`))
          .map((c) => ({ ...c, reason: 'keyword' as const })),
      ];
      const picks = drawQaSample({
        candidates: candidates.map((c) => ({
          ...c,
          agentUserId: c.agentUserId && known.has(c.agentUserId) ? c.agentUserId : null,
        })),
        agents: users.map((u) => ({ id: u.id, createdAt: u.created_at })),
        weekEnd: new Date(Date.parse(`${week.sunday}T00:00:00Z`) + 24 * 60 * 60 * 1000),
        existing,
        seed: this.options.seed?.() ?? randomBytes(8).toString('hex'),
        ...(this.options.perAgent ? { perAgent: this.options.perAgent } : {}),
      });
      if (!picks.length) return 0;
      const at = new Map(rows.map((r) => [`${r.subject_type}:${r.subject_id}`, r.at]));
      const samples = picks.map((p) => ({
        id: newId(now),
        week: week.label,
        subject_type: p.subjectType,
        subject_id: p.subjectId,
        subject_at: at.get(`${p.subjectType}:${p.subjectId}`)!,
        agent_user_id: p.agentUserId,
        community_id: input.communityId,
        reason: p.reason,
        status: 'pending',
        drawn_by: ctx.principal.userId === 'system' ? null : ctx.principal.userId,
        created_at: now.toISOString(),
      }));
      await repo.insertSamples(samples);
      await writeAudit(
        trx,
        ctx,
        {
          action: 'quality.draw',
          entityType: 'qa_week',
          entityId: `${input.communityId}:${week.label}`,
          communityId: input.communityId,
          changes: {
            samples: [null, samples.map((s) => `${s.subject_type}:${s.subject_id}:${s.reason}`)],
          },
        },
        now,
      );
      return samples.length;
    });
    return {
      week: week.label,
      from: week.monday,
      to: week.sunday,
      added,
      items: await this.views(await this.repo.ofWeek(input.communityId, week.label)),
    };
  }

  // ---- scoring ----

  async check(
    ctx: RequestContext,
    sampleId: string,
    input: { scores: Record<string, number>; comment?: string | null },
  ) {
    const now = this.clock.now();
    const comment = input.comment?.trim() || null;
    await this.db.transaction().execute(async (trx) => {
      const repo = this.repo.with(trx);
      const sample = await repo.getSample(ctx.principal.scope, sampleId);
      if (!sample) throw errors.notFound();
      if (sample.status !== 'pending') throw alreadyScored();
      if (sample.agent_user_id && sample.agent_user_id === ctx.principal.userId) throw ownSample();
      const sheet = await repo.currentSheet();
      const items = itemsOf(sheet);
      const fields: FieldError[] = [];
      const known = new Set(items.map((i) => i.key));
      for (const key of Object.keys(input.scores))
        if (!known.has(key))
          fields.push({ field: `scores.${key}`, key: 'validation.qaScoreUnknown', params: { item: key } });
      for (const item of items) {
        const points = input.scores[item.key];
        if (points === undefined)
          fields.push({
            field: `scores.${item.key}`,
            key: 'validation.qaScoreMissing',
            params: { item: item.name },
          });
        else if (points < 0 || points > item.maxPoints || !halfPoints(points))
          fields.push({
            field: `scores.${item.key}`,
            key: 'validation.qaScoreRange',
            params: { item: item.name, max: item.maxPoints },
          });
      }
      if (comment && comment.length > COMMENT_MAX)
        fields.push({ field: 'comment', key: 'validation.maxLength', params: { limit: COMMENT_MAX } });
      if (fields.length) throw errors.validation(fields);
      const scores = Object.fromEntries(items.map((i) => [i.key, input.scores[i.key]!]));
      const total = sum(Object.values(scores));
      if (!(await repo.markScored(sample.id))) throw alreadyScored();
      const row: CheckRow = {
        id: newId(now),
        sample_id: sample.id,
        sheet_id: sheet.id,
        scores: JSON.stringify(scores),
        total,
        comment,
        checked_by: ctx.principal.userId,
        checked_at: now.toISOString(),
        seen_at: null,
      };
      await repo.insertCheck(row);
      await writeAudit(
        trx,
        ctx,
        {
          action: 'quality.check',
          entityType: 'qa_sample',
          entityId: sample.id,
          communityId: sample.community_id,
          changes: {
            status: ['pending', 'scored'],
            scores: [null, scores],
            total: [null, total],
            comment: [null, comment],
          },
        },
        now,
      );
    });
    const row = await this.repo.getSample(ctx.principal.scope, sampleId);
    return (await this.views([row!]))[0]!;
  }

  // ---- the agent's own results ----

  async myResults(ctx: RequestContext, q: { cursor?: string; limit?: number }) {
    const limit = q.limit ?? 50;
    const rows = await this.repo.mine(ctx.principal.userId, ctx.principal.scope, {
      before: decodeCursor(q.cursor),
      limit: limit + 1,
    });
    const page = rows.slice(0, limit);
    return {
      items: await this.views(page),
      nextCursor: rows.length > limit ? encodeCursor(page[page.length - 1]!.id) : null,
    };
  }

  /** The agent has read the result (已阅); only their own, once. */
  async acknowledge(ctx: RequestContext, checkId: string) {
    const now = this.clock.now();
    const sampleId = await this.db.transaction().execute(async (trx) => {
      const repo = this.repo.with(trx);
      const check = await repo.checkOf(checkId);
      if (
        !check ||
        check.agent_user_id !== ctx.principal.userId ||
        !inScope(ctx.principal.scope, check.community_id)
      )
        throw errors.notFound();
      if (!check.seen_at) {
        await repo.markSeen(check.id, now.toISOString());
        await writeAudit(
          trx,
          ctx,
          {
            action: 'quality.ack',
            entityType: 'qa_check',
            entityId: check.id,
            communityId: check.community_id,
            changes: { seenAt: [null, now.toISOString()] },
          },
          now,
        );
      }
      return check.sample_id;
    });
    const row = await this.repo.getSample(null, sampleId);
    return (await this.views([row!]))[0]!;
  }

  // ---- the monthly report ----

  async report(ctx: RequestContext, q: { month: string; communityId?: string }) {
    const m = MONTH.exec(q.month);
    if (!m) throw errors.field('month', 'validation.qaMonth');
    const communities = await this.repo.communities(ctx.principal.scope, q.communityId);
    if (q.communityId !== undefined && !communities.length) throw errors.notFound();
    const zones = new Map(communities.map((c) => [c.id, c.time_zone]));
    const first = `${q.month}-01`;
    const lastDay = new Date(Date.UTC(Number(m[1]), Number(m[2]), 0)).getUTCDate();
    const { lo, hi } = utcBounds(first, `${q.month}-${String(lastDay).padStart(2, '0')}`);
    const inMonth = (at: string, communityId: string | null) =>
      localDate(at, (communityId && zones.get(communityId)) || 'Asia/Shanghai').slice(0, 7) === q.month;

    const samples = (
      await this.repo.reportSamples([...zones.keys()], lo.toISOString(), hi.toISOString())
    ).filter((s) => inMonth(s.subject_at, s.community_id));
    const overrides = (
      await this.repo.overrides(
        [...zones.keys()],
        ctx.principal.scope.all && q.communityId === undefined,
        lo.toISOString(),
        hi.toISOString(),
      )
    ).filter((o) => inMonth(o.created_at, o.community_id));
    const sheets = new Map(
      (
        await this.repo.sheets([...new Set(samples.map((s) => s.sheet_id).filter((x): x is string => !!x))])
      ).map((s) => [s.id, itemsOf(s)]),
    );

    type Line = {
      samples: number;
      totals: number[];
      items: Map<string, { name: string; points: number; max: number; n: number }>;
      overrides: number;
    };
    const lines = new Map<string, Line>();
    const line = (id: string) => {
      let l = lines.get(id);
      if (!l) {
        l = { samples: 0, totals: [], items: new Map(), overrides: 0 };
        lines.set(id, l);
      }
      return l;
    };
    for (const s of samples) {
      const l = line(s.agent_user_id!);
      l.samples++;
      if (s.sheet_id && s.scores) {
        l.totals.push(Number(s.total));
        const scores = JSON.parse(s.scores) as Record<string, number>;
        for (const item of sheets.get(s.sheet_id) ?? []) {
          const acc = l.items.get(item.key) ?? { name: item.name, points: 0, max: 0, n: 0 };
          acc.name = item.name;
          acc.points += scores[item.key] ?? 0;
          acc.max += item.maxPoints;
          acc.n++;
          l.items.set(item.key, acc);
        }
      }
    }
    for (const o of overrides) line(o.user_id).overrides++;
    const users = new Map((await this.repo.users([...lines.keys()])).map((u) => [u.id, u]));
    const items = [...lines.entries()]
      .filter(([id]) => users.has(id))
      .map(([id, l]) => {
        const u = users.get(id)!;
        // the weakest item: the lowest share of its maximum
        let lowest: {
          key: string;
          name: string;
          averagePoints: number;
          maxPoints: number;
          share: number;
        } | null = null;
        for (const [key, acc] of l.items) {
          const share = acc.max ? acc.points / acc.max : 1;
          if (!lowest || share < lowest.share)
            lowest = {
              key,
              name: acc.name,
              averagePoints: round1(acc.points / acc.n),
              maxPoints: round1(acc.max / acc.n),
              share,
            };
        }
        return {
          agent: { id, name: u.name, employeeNo: u.employee_no },
          samples: l.samples,
          checked: l.totals.length,
          averageTotal: l.totals.length ? round1(sum(l.totals) / l.totals.length) : null,
          lowestItem: lowest
            ? {
                key: lowest.key,
                name: lowest.name,
                averagePoints: lowest.averagePoints,
                maxPoints: lowest.maxPoints,
              }
            : null,
          overrides: l.overrides,
        };
      })
      .sort((a, b) => a.agent.employeeNo.localeCompare(b.agent.employeeNo));
    return { month: q.month, communityId: q.communityId ?? null, items };
  }
}
