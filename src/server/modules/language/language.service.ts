import type { Kysely } from 'kysely';
import {
  type CompiledLibrary,
  checkText,
  compileLibrary,
  forbiddenHits,
  type LanguageEntry,
  type LanguageHit,
  normalisedKey,
  type PhraseSeverity,
  parsePattern,
} from '../../../domain/service-language.js';
import { changesOf, writeAudit } from '../../platform/audit.js';
import type { Clock } from '../../platform/clock.js';
import type { RequestContext } from '../../platform/context.js';
import type { DB } from '../../platform/db/schema.js';
import { AppError, errors, type FieldError } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import type { LanguageRepository, OverrideRecord, PhraseRow } from './language.repository.js';

/** The body property every route whose text a resident reads accepts (§6). */
export interface LanguageOverrideInput {
  reason: string;
}

export interface PhraseInput {
  phrase: string;
  category: string;
  severity: PhraseSeverity;
  alternative?: string | null;
  script?: 'zh-CN' | 'zh-TW';
  enabled?: boolean;
}

function phraseView(row: PhraseRow) {
  return {
    id: row.id,
    phrase: row.phrase,
    phraseTw: row.phrase_tw,
    category: row.category,
    severity: row.severity as PhraseSeverity,
    alternative: row.alternative,
    alternativeTw: row.alternative_tw,
    script: row.script as 'zh-CN' | 'zh-TW',
    source: row.source,
    enabled: row.enabled === 1,
    builtIn: row.built_in === 1,
    updatedAt: new Date(row.updated_at).toISOString(),
    version: row.version,
  };
}

function overrideView(row: OverrideRecord) {
  const hits = JSON.parse(row.hits) as LanguageHit[];
  return {
    id: row.id,
    at: new Date(row.created_at).toISOString(),
    user: { id: row.user_id, name: row.user_name ?? '', employeeNo: row.user_employee_no ?? null },
    communityId: row.community_id,
    entityType: row.entity_type,
    entityId: row.entity_id,
    field: row.field,
    text: row.text,
    phrases: [...new Set(hits.map((h) => h.phrase))],
    reason: row.reason,
  };
}

/**
 * The compiled library, rebuilt only when a phrase changed (its revision is read on each use, so
 * every server process sees an edit at once).
 */
class LibraryCache {
  private revision: string | null = null;
  private compiled: CompiledLibrary = compileLibrary([]);

  async get(repo: LanguageRepository): Promise<CompiledLibrary> {
    const revision = await repo.revision();
    if (revision !== this.revision) {
      const rows = await repo.enabledPhrases();
      this.compiled = compileLibrary(rows as LanguageEntry[]);
      this.revision = revision;
    }
    return this.compiled;
  }
}

/**
 * The gate of §6 on every route whose text a resident reads: called inside the route's own
 * transaction. A forbidden phrase without an override → 422 FORBIDDEN_PHRASE (one detail per hit;
 * the transaction rolls back, nothing is saved or sent). With an override → a language_overrides
 * row and a `language.override` audit record per field, in the same transaction. Warnings never block.
 */
export class LanguageGuard {
  private readonly cache = new LibraryCache();

  constructor(
    private readonly repo: LanguageRepository,
    private readonly clock: Clock,
  ) {}

  library(trx: Kysely<DB>) {
    return this.cache.get(this.repo.with(trx));
  }

  async check(
    trx: Kysely<DB>,
    ctx: RequestContext,
    input: {
      entityType: string;
      entityId: string | null;
      communityId: string | null;
      fields: Record<string, string | null | undefined>;
      override?: LanguageOverrideInput | null;
    },
  ): Promise<void> {
    const texts = Object.entries(input.fields).filter(
      (e): e is [string, string] => typeof e[1] === 'string' && e[1].trim() !== '',
    );
    if (texts.length === 0) return;
    const compiled = await this.library(trx);
    const found: { field: string; text: string; hits: LanguageHit[] }[] = [];
    for (const [field, text] of texts) {
      const hits = forbiddenHits(checkText(text, compiled));
      if (hits.length > 0) found.push({ field, text, hits });
    }
    if (found.length === 0) return;
    const reason = input.override?.reason?.trim() ?? '';
    if (!input.override) {
      const details: FieldError[] = found.flatMap(({ field, hits }) =>
        hits.map(
          (h): FieldError =>
            h.alternative
              ? {
                  field,
                  key: 'language.forbiddenHit' as const,
                  params: { phrase: h.phrase, alternative: h.alternative },
                }
              : { field, key: 'language.forbiddenHitBare' as const, params: { phrase: h.phrase } },
        ),
      );
      throw new AppError(422, 'FORBIDDEN_PHRASE', 'error.FORBIDDEN_PHRASE', {}, details);
    }
    if ([...reason].length < 2) throw errors.field('languageOverride.reason', 'language.overrideReason');
    const now = this.clock.now();
    const repo = this.repo.with(trx);
    for (const { field, text, hits } of found) {
      const id = newId(now);
      await repo.insertOverride({
        id,
        user_id: ctx.principal.userId,
        community_id: input.communityId,
        entity_type: input.entityType,
        entity_id: input.entityId,
        field,
        text,
        hits: JSON.stringify(hits),
        reason,
        created_at: now.toISOString(),
      });
      await writeAudit(
        trx,
        ctx,
        {
          action: 'language.override',
          entityType: 'language_override',
          entityId: id,
          communityId: input.communityId,
          changes: {
            entity: [null, `${input.entityType}:${input.entityId ?? ''}`],
            field: [null, field],
            phrases: [null, [...new Set(hits.map((h) => h.phrase))]],
            reason: [null, reason],
          },
        },
        now,
      );
    }
  }
}

/** The phrase library (company-wide, audited) and the override report. */
export class LanguageService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly repo: LanguageRepository,
    readonly guard: LanguageGuard,
    private readonly clock: Clock,
  ) {}

  async check(text: string) {
    const compiled = await this.guard.library(this.db);
    return { hits: checkText(text, compiled) };
  }

  async listPhrases() {
    return { items: (await this.repo.listPhrases()).map(phraseView) };
  }

  private validate(input: { phrase?: string; severity?: PhraseSeverity; alternative?: string | null }) {
    if (input.phrase !== undefined && normalisedKey(parsePattern(input.phrase).body) === '') {
      throw errors.field('phrase', 'language.phraseEmpty');
    }
    if (input.severity === 'forbidden' && !input.alternative?.trim()) {
      throw errors.field('alternative', 'language.alternativeRequired');
    }
  }

  async createPhrase(ctx: RequestContext, input: PhraseInput) {
    this.validate(input);
    const now = this.clock.now();
    const id = newId(now);
    await this.db.transaction().execute(async (trx) => {
      const row = {
        id,
        phrase: input.phrase.trim(),
        phrase_tw: null,
        category: input.category.trim(),
        severity: input.severity,
        alternative: input.alternative?.trim() || null,
        alternative_tw: null,
        script: input.script ?? 'zh-CN',
        built_in: 0,
        source: null,
        enabled: input.enabled === false ? 0 : 1,
        version: 1,
        created_at: now.toISOString(),
        updated_at: now.toISOString(),
      };
      await this.repo.with(trx).insertPhrase(row);
      await writeAudit(
        trx,
        ctx,
        {
          action: 'language.phrase.create',
          entityType: 'language_phrase',
          entityId: id,
          changes: changesOf(null, {
            phrase: row.phrase,
            category: row.category,
            severity: row.severity,
            alternative: row.alternative,
            enabled: row.enabled === 1,
          }),
        },
        now,
      );
    });
    const created = await this.repo.getPhrase(id);
    return phraseView(created as PhraseRow);
  }

  async updatePhrase(ctx: RequestContext, id: string, input: Partial<PhraseInput> & { version: number }) {
    const before = await this.repo.getPhrase(id);
    if (!before) throw errors.notFound();
    const severity = input.severity ?? (before.severity as PhraseSeverity);
    const alternative = input.alternative !== undefined ? input.alternative : before.alternative;
    this.validate({ ...(input.phrase !== undefined ? { phrase: input.phrase } : {}), severity, alternative });
    const now = this.clock.now();
    const values = {
      ...(input.phrase !== undefined ? { phrase: input.phrase.trim(), phrase_tw: null } : {}),
      ...(input.category !== undefined ? { category: input.category.trim() } : {}),
      ...(input.severity !== undefined ? { severity: input.severity } : {}),
      ...(input.alternative !== undefined
        ? { alternative: input.alternative?.trim() || null, alternative_tw: null }
        : {}),
      ...(input.script !== undefined ? { script: input.script } : {}),
      ...(input.enabled !== undefined ? { enabled: input.enabled ? 1 : 0 } : {}),
      updated_at: now.toISOString(),
    };
    let stale = false;
    await this.db.transaction().execute(async (trx) => {
      if (!(await this.repo.with(trx).updatePhraseIfVersion(id, input.version, values))) {
        stale = true;
        return;
      }
      const pick = (r: Partial<PhraseRow>) => ({
        phrase: r.phrase,
        category: r.category,
        severity: r.severity,
        alternative: r.alternative,
        script: r.script,
        enabled: r.enabled === undefined ? undefined : r.enabled === 1,
      });
      await writeAudit(
        trx,
        ctx,
        {
          action: 'language.phrase.update',
          entityType: 'language_phrase',
          entityId: id,
          changes: changesOf(pick(before), pick({ ...before, ...values })),
        },
        now,
      );
    });
    if (stale) throw errors.conflict();
    return phraseView((await this.repo.getPhrase(id)) as PhraseRow);
  }

  async listOverrides(
    ctx: RequestContext,
    query: { from?: string; to?: string; communityId?: string; userId?: string; limit?: number },
  ) {
    const scope = ctx.principal.scope;
    const rows = await this.repo.listOverrides({
      ...(query.from ? { from: new Date(query.from).toISOString() } : {}),
      ...(query.to ? { to: new Date(query.to).toISOString() } : {}),
      ...(query.communityId ? { communityId: query.communityId } : {}),
      ...(query.userId ? { userId: query.userId } : {}),
      communityIds: scope.all ? null : scope.communityIds,
      limit: query.limit ?? 500,
    });
    return { items: rows.map(overrideView) };
  }
}
