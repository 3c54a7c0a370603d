import type { Kysely } from 'kysely';
import { type ArticleIndex, indexArticle, type KbCategory, rankArticles } from '../../../domain/knowledge.js';
import {
  renderScript,
  SCRIPT_STAGES,
  type ScriptStage,
  unknownPlaceholders,
} from '../../../domain/scripts.js';
import { changesOf, writeAudit } from '../../platform/audit.js';
import type { Clock } from '../../platform/clock.js';
import { inScope, type RequestContext } from '../../platform/context.js';
import type { DB } from '../../platform/db/schema.js';
import { errors } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import type { CompanyService } from '../company/company.service.js';
import { localDate } from '../reports/reports.stats.js';
import { greetingName } from '../residents/residents.service.js';
import type { ArticleRow, KnowledgeRepository, ScriptRow } from './knowledge.repository.js';

/** What a template's answer says where the company's own facts are to be filled in. */
export const FILL_MARK = '请按本公司规定填写';
/** Days from a review to the next one, unless the reviewer picks a date. */
export const REVIEW_INTERVAL_DAYS = 180;

export interface ArticleInput {
  communityId?: string | null;
  category: KbCategory;
  question: string;
  answer: string;
  keywords?: string[];
  reviewBy?: string | null;
}

export interface ArticleChanges {
  version: number;
  category?: KbCategory;
  question?: string;
  answer?: string;
  keywords?: string[];
  reviewBy?: string | null;
  template?: boolean;
  status?: 'active' | 'archived';
}

function cleanKeywords(keywords: readonly string[]): string[] {
  const out: string[] = [];
  for (const k of keywords.map((k) => k.trim()).filter(Boolean)) if (!out.includes(k)) out.push(k);
  return out;
}

function addDays(day: string, days: number): string {
  const d = new Date(`${day}T00:00:00.000Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

function person(id: string | null, name: string | null) {
  return id ? { id, name: name ?? '' } : null;
}

/**
 * The knowledge base (知识库, R32) and the standard scripts (标准话术). Everyone on the staff reads
 * and searches the articles of their communities and the company-wide ones; supervisors and up
 * keep them (audited, with a version check), each with a date by which it is reviewed again.
 */
export class KnowledgeService {
  /** The folded search forms of each article, per version: an edit makes a new entry. */
  private readonly indexes = new Map<string, { version: number; index: ArticleIndex }>();

  constructor(
    private readonly db: Kysely<DB>,
    private readonly repo: KnowledgeRepository,
    private readonly company: CompanyService,
    private readonly clock: Clock,
  ) {}

  private async today(): Promise<string> {
    const company = await this.company.get();
    return localDate(this.clock.now(), company.timeZone);
  }

  private indexOf = (row: ArticleRow): ArticleIndex => {
    const cached = this.indexes.get(row.id);
    if (cached && cached.version === row.version) return cached.index;
    const index = indexArticle({ question: row.question, answer: row.answer, keywords: keywordsOf(row) });
    this.indexes.set(row.id, { version: row.version, index });
    return index;
  };

  private view(row: ArticleRow, today: string) {
    return {
      id: row.id,
      communityId: row.community_id,
      communityName: row.community_name,
      category: row.category as KbCategory,
      question: row.question,
      answer: row.answer,
      keywords: keywordsOf(row),
      template: row.template === 1,
      reviewBy: row.review_by,
      reviewDue: row.status === 'active' && (row.review_by === null || row.review_by <= today),
      reviewedAt: row.reviewed_at,
      reviewedBy: person(row.reviewed_by, row.reviewer_name),
      status: row.status as 'active' | 'archived',
      updatedBy: person(row.updated_by, row.updater_name),
      updatedAt: row.updated_at,
      version: row.version,
    };
  }

  /** A community the caller names must be theirs: another's is as if it did not exist. */
  private checkCommunity(ctx: RequestContext, communityId: string | undefined) {
    if (communityId !== undefined && !inScope(ctx.principal.scope, communityId)) throw errors.notFound();
  }

  /** Search (R32): ranked by where the words are found; no words: all, by question. */
  async search(
    ctx: RequestContext,
    q: {
      q?: string;
      category?: KbCategory;
      communityId?: string;
      status?: 'active' | 'archived' | 'all';
      limit?: number;
    },
  ) {
    this.checkCommunity(ctx, q.communityId);
    const rows = await this.repo.list(ctx.principal.scope, {
      communityId: q.communityId,
      category: q.category,
      status: q.status ?? 'active',
    });
    const ranked = rankArticles(
      rows.map((row) => ({ ...row, communityId: row.community_id })),
      this.indexOf,
      q.q ?? '',
    );
    const today = await this.today();
    return { items: ranked.slice(0, q.limit ?? 50).map((row) => this.view(row, today)) };
  }

  /** Active articles due for review: never reviewed, or their review date has come. */
  async reviewDue(ctx: RequestContext, q: { communityId?: string }) {
    this.checkCommunity(ctx, q.communityId);
    const today = await this.today();
    const rows = await this.repo.list(ctx.principal.scope, {
      communityId: q.communityId,
      status: 'active',
      dueBy: today,
    });
    rows.sort((a, b) => (a.review_by ?? '').localeCompare(b.review_by ?? '') || a.id.localeCompare(b.id));
    return { items: rows.map((row) => this.view(row, today)) };
  }

  private async row(ctx: RequestContext, id: string, repo = this.repo): Promise<ArticleRow> {
    const row = await repo.get(id);
    if (!row || (row.community_id !== null && !inScope(ctx.principal.scope, row.community_id))) {
      throw errors.notFound();
    }
    return row;
  }

  async get(ctx: RequestContext, id: string) {
    return this.view(await this.row(ctx, id), await this.today());
  }

  async create(ctx: RequestContext, input: ArticleInput) {
    const communityId = input.communityId ?? null;
    if (communityId !== null) {
      if (!inScope(ctx.principal.scope, communityId) || !(await this.repo.community(communityId))) {
        throw errors.field('communityId', 'validation.notFound');
      }
    }
    const today = await this.today();
    if (input.reviewBy && input.reviewBy <= today)
      throw errors.field('reviewBy', 'validation.kbReviewByFuture');
    const now = this.clock.now();
    const id = newId(now);
    const answer = input.answer.trim();
    const row = {
      id,
      community_id: communityId,
      category: input.category,
      question: input.question.trim(),
      answer,
      keywords: JSON.stringify(cleanKeywords(input.keywords ?? [])),
      template: answer.includes(FILL_MARK) ? 1 : 0,
      review_by: input.reviewBy ?? addDays(today, REVIEW_INTERVAL_DAYS),
      reviewed_at: null,
      reviewed_by: null,
      status: 'active',
      created_by: actorOf(ctx),
      updated_by: actorOf(ctx),
      version: 1,
      created_at: now.toISOString(),
      updated_at: now.toISOString(),
    };
    await this.db.transaction().execute(async (trx) => {
      await this.repo.with(trx).insert(row);
      await writeAudit(
        trx,
        ctx,
        {
          action: 'knowledge.created',
          entityType: 'kb_article',
          entityId: id,
          communityId,
          changes: changesOf(null, row),
        },
        now,
      );
    });
    return this.get(ctx, id);
  }

  async update(ctx: RequestContext, id: string, input: ArticleChanges) {
    await this.row(ctx, id);
    const today = await this.today();
    if (input.reviewBy && input.reviewBy <= today)
      throw errors.field('reviewBy', 'validation.kbReviewByFuture');
    const now = this.clock.now();
    await this.db.transaction().execute(async (trx) => {
      const repo = this.repo.with(trx);
      const current = await this.row(ctx, id, repo);
      if (current.version !== input.version) throw errors.conflict();
      const answer = input.answer?.trim();
      const values = {
        ...(input.category !== undefined ? { category: input.category } : {}),
        ...(input.question !== undefined ? { question: input.question.trim() } : {}),
        ...(answer !== undefined ? { answer } : {}),
        ...(input.keywords !== undefined ? { keywords: JSON.stringify(cleanKeywords(input.keywords)) } : {}),
        ...(input.reviewBy !== undefined ? { review_by: input.reviewBy } : {}),
        ...(input.status !== undefined ? { status: input.status } : {}),
        // a template stops being one when told, or when its answer no longer has parts to fill
        ...(input.template !== undefined
          ? { template: input.template ? 1 : 0 }
          : answer !== undefined
            ? { template: answer.includes(FILL_MARK) ? 1 : 0 }
            : {}),
      };
      const changes = changesOf(pick(current, Object.keys(values)), values);
      if (Object.keys(changes).length === 0) return;
      if (
        !(await repo.update(id, current.version, {
          ...values,
          updated_by: actorOf(ctx),
          updated_at: now.toISOString(),
        }))
      ) {
        throw errors.conflict();
      }
      await writeAudit(
        trx,
        ctx,
        {
          action: 'knowledge.updated',
          entityType: 'kb_article',
          entityId: id,
          communityId: current.community_id,
          changes,
        },
        now,
      );
    });
    return this.get(ctx, id);
  }

  /** Marks an article reviewed now and sets the next review date (default 180 days on). */
  async review(ctx: RequestContext, id: string, input: { version: number; nextReviewBy?: string }) {
    await this.row(ctx, id);
    const today = await this.today();
    const next = input.nextReviewBy ?? addDays(today, REVIEW_INTERVAL_DAYS);
    if (next <= today) throw errors.field('nextReviewBy', 'validation.kbReviewByFuture');
    const now = this.clock.now();
    await this.db.transaction().execute(async (trx) => {
      const repo = this.repo.with(trx);
      const current = await this.row(ctx, id, repo);
      if (current.version !== input.version) throw errors.conflict();
      if (current.status !== 'active') throw errors.conflict('error.KB_ARCHIVED');
      const values = { review_by: next, reviewed_at: now.toISOString(), reviewed_by: actorOf(ctx) };
      if (!(await repo.update(id, current.version, { ...values, updated_at: now.toISOString() }))) {
        throw errors.conflict();
      }
      await writeAudit(
        trx,
        ctx,
        {
          action: 'knowledge.reviewed',
          entityType: 'kb_article',
          entityId: id,
          communityId: current.community_id,
          changes: changesOf(pick(current, Object.keys(values)), values),
        },
        now,
      );
    });
    return this.get(ctx, id);
  }

  // ---- scripts ----

  private scriptView(row: ScriptRow, values: Parameters<typeof renderScript>[1]) {
    const rendered = renderScript(row.body, values);
    return {
      id: row.id,
      stage: row.stage as ScriptStage,
      title: row.title,
      body: row.body,
      note: row.note,
      text: rendered.text,
      unfilled: rendered.unfilled,
      updatedBy: person(row.updated_by, row.updater_name),
      updatedAt: row.updated_at,
      version: row.version,
    };
  }

  /**
   * The scripts rendered for the caller: the company's short name, their name and 工号, and the
   * resident's salutation (王先生) and community when asked for (both in the caller's scope).
   */
  async scripts(ctx: RequestContext, q: { stage?: ScriptStage; residentId?: string; communityId?: string }) {
    let communityId = q.communityId;
    let resident: string | null = null;
    if (q.residentId !== undefined) {
      const r = await this.repo.resident(q.residentId);
      if (!r || !inScope(ctx.principal.scope, r.community_id)) throw errors.notFound();
      resident = greetingName(r.name, r.salutation);
      communityId ??= r.community_id;
    }
    let community: string | null = null;
    if (communityId !== undefined) {
      this.checkCommunity(ctx, communityId);
      const c = await this.repo.community(communityId);
      if (!c) throw errors.notFound();
      community = c.name;
    }
    const company = await this.company.get();
    const actor = actorOf(ctx);
    const me = actor ? await this.repo.user(actor) : undefined;
    const values = {
      company: company.shortName || company.name,
      agent: me?.name ?? ctx.principal.name,
      employeeNo: me?.employee_no ?? ctx.principal.employeeNo,
      resident,
      community,
    };
    const rows = await this.repo.listScripts(q.stage);
    const order = (stage: string) => (SCRIPT_STAGES as readonly string[]).indexOf(stage);
    rows.sort((a, b) => order(a.stage) - order(b.stage));
    return { items: rows.map((row) => this.scriptView(row, values)) };
  }

  async updateScript(
    ctx: RequestContext,
    id: string,
    input: { version: number; title?: string; body?: string; note?: string | null },
  ) {
    if (input.body !== undefined) {
      const unknown = unknownPlaceholders(input.body);
      if (unknown.length) {
        throw errors.field('body', 'validation.scriptPlaceholder', {
          names: unknown.map((n) => `{${n}}`).join(' '),
        });
      }
    }
    const before = await this.repo.getScript(id);
    if (!before) throw errors.notFound();
    const now = this.clock.now();
    await this.db.transaction().execute(async (trx) => {
      const repo = this.repo.with(trx);
      const current = (await repo.getScript(id))!;
      if (current.version !== input.version) throw errors.conflict();
      const values = {
        ...(input.title !== undefined ? { title: input.title.trim() } : {}),
        ...(input.body !== undefined ? { body: input.body.trim() } : {}),
        ...(input.note !== undefined ? { note: input.note?.trim() || null } : {}),
      };
      const changes = changesOf(pick(current, Object.keys(values)), values);
      if (Object.keys(changes).length === 0) return;
      if (
        !(await repo.updateScript(id, current.version, {
          ...values,
          updated_by: actorOf(ctx),
          updated_at: now.toISOString(),
        }))
      ) {
        throw errors.conflict();
      }
      await writeAudit(
        trx,
        ctx,
        { action: 'knowledge_script.updated', entityType: 'kb_script', entityId: id, changes },
        now,
      );
    });
    const [item] = (await this.scripts(ctx, { stage: before.stage as ScriptStage })).items;
    return item!;
  }
}

/** The user who acts, for the *_by columns: none for the system's own work (start-up, demo, tests). */
function actorOf(ctx: RequestContext): string | null {
  return ctx.principal.userId === 'system' ? null : ctx.principal.userId;
}

function keywordsOf(row: Pick<ArticleRow, 'keywords'>): string[] {
  try {
    const parsed = JSON.parse(row.keywords) as unknown;
    return Array.isArray(parsed) ? parsed.filter((k): k is string => typeof k === 'string') : [];
  } catch {
    return [];
  }
}

function pick(row: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(keys.map((k) => [k, row[k]]));
}
