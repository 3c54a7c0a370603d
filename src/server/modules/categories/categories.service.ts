import type { Kysely } from 'kysely';
import {
  type DispatchMode,
  type DispatchRoute,
  effectiveDispatch,
  needsTeam,
  nextInTurn,
} from '../../../domain/dispatch.js';
import { changesOf, writeAudit } from '../../platform/audit.js';
import type { Clock } from '../../platform/clock.js';
import { inScope, type RequestContext } from '../../platform/context.js';
import { isUniqueViolation } from '../../platform/db/dialect.js';
import type { DB } from '../../platform/db/schema.js';
import { errors, type FieldError } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import type { TeamsRepository } from '../teams/teams.repository.js';
import type {
  CategoriesRepository,
  CategoryRow,
  CategoryWithTeam,
  PriceRow,
} from './categories.repository.js';

export interface CreateCategoryInput {
  name: string;
  code: string;
  parentId?: string | null;
  dispatchMode?: DispatchMode;
  teamId?: string | null;
  sort?: number;
}

export interface UpdateCategoryInput {
  name?: string;
  sort?: number;
  dispatchMode?: DispatchMode;
  teamId?: string | null;
  archived?: boolean;
}

export interface CreatePriceInput {
  name: string;
  unit: string;
  price: number;
  note?: string | null;
  sort?: number;
}

export interface UpdatePriceInput {
  name?: string;
  unit?: string;
  price?: number;
  note?: string | null;
  sort?: number;
  archived?: boolean;
}

/** One item of paid work: a published price and how many (times, pieces, metres …). */
export interface QuoteItem {
  priceId: string;
  quantity: number;
}

export interface QuoteLine {
  priceId: string;
  name: string;
  unit: string;
  price: number;
  quantity: number;
  amount: number;
}

/** Largest quantity of one item on a quote; more is a typing slip, not a job. */
const MAX_QUANTITY = 10_000;
/** How often auto dispatch picks again after another server took the same turn. */
const MAX_TURN_ATTEMPTS = 10;

/**
 * The category tree (两级: 水电 → 漏水渗水), how each category is dispatched, and its published
 * price list for paid work (有偿服务收费标准, R10). Categories are company-wide; a team they
 * name is resolved in the caller's scope. Every change is audited; nothing is deleted, only
 * archived, so requests and charges of the past keep their names.
 */
export class CategoriesService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly categories: CategoriesRepository,
    private readonly teams: TeamsRepository,
    private readonly clock: Clock,
  ) {}

  /** The two-level tree; archived categories (and the children of archived ones) only on request. */
  async tree(ctx: RequestContext, q: { includeArchived?: boolean }) {
    const rows = (await this.categories.all()).filter((r) => q.includeArchived || r.archived_at === null);
    return {
      items: rows
        .filter((r) => r.parent_id === null)
        .map((parent) => ({
          ...categoryView(ctx, parent),
          children: rows.filter((c) => c.parent_id === parent.id).map((c) => categoryView(ctx, c)),
        })),
    };
  }

  async get(ctx: RequestContext, id: string) {
    const row = await this.categories.getWithTeam(id);
    if (!row) throw errors.notFound();
    return categoryView(ctx, row);
  }

  async create(ctx: RequestContext, input: CreateCategoryInput) {
    const parentId = input.parentId ?? null;
    const mode = input.dispatchMode ?? 'assign';
    const teamId = input.teamId ?? null;
    const problems = [
      ...(await this.parentProblems(parentId)),
      ...(await this.teamProblems(ctx, mode, teamId)),
    ];
    if (problems.length) throw errors.validation(problems);

    const now = this.clock.now();
    const name = input.name.trim();
    const id = newId(now);
    await this.write(async (repo, trx) => {
      await repo.lock();
      if (await repo.codeTaken(input.code)) throw duplicate('code');
      if (await repo.siblingNamed(parentId, name)) throw duplicate('name');
      const row = {
        id,
        parent_id: parentId,
        code: input.code,
        name,
        sort: input.sort ?? (await repo.maxSort(parentId)) + 1,
        dispatch_mode: mode,
        team_id: teamId,
        archived_at: null,
      };
      await repo.insert(row);
      await writeAudit(
        trx,
        ctx,
        {
          action: 'category.created',
          entityType: 'ticket_category',
          entityId: id,
          changes: changesOf(null, row),
        },
        now,
      );
    }, 'code');
    return this.get(ctx, id);
  }

  /** Edits name, order, dispatch and archiving; the code and the place in the tree stay. */
  async update(ctx: RequestContext, id: string, input: UpdateCategoryInput) {
    const before = await this.categories.get(id);
    if (!before) throw errors.notFound();
    const problems: FieldError[] = [];
    const mode = input.dispatchMode ?? (before.dispatch_mode as DispatchMode);
    // a team is checked when it is chosen, or when the mode comes to rely on it; switching
    // back to assign needs no check, even if the team kept has been archived since
    if (input.teamId !== undefined || (input.dispatchMode !== undefined && needsTeam(mode))) {
      const teamId = input.teamId !== undefined ? input.teamId : before.team_id;
      problems.push(...(await this.teamProblems(ctx, mode, teamId)));
    }
    if (input.archived === false && before.archived_at !== null && before.parent_id !== null) {
      const parent = await this.categories.get(before.parent_id);
      if (parent?.archived_at) problems.push({ field: 'archived', key: 'validation.parentArchived' });
    }
    if (problems.length) throw errors.validation(problems);

    const now = this.clock.now();
    await this.write(async (repo, trx) => {
      await repo.lock();
      const current = (await repo.get(id))!;
      const values = {
        ...(input.name !== undefined ? { name: input.name.trim() } : {}),
        ...(input.sort !== undefined ? { sort: input.sort } : {}),
        ...(input.dispatchMode !== undefined ? { dispatch_mode: input.dispatchMode } : {}),
        ...(input.teamId !== undefined ? { team_id: input.teamId } : {}),
        ...archiving(current.archived_at, input.archived, now),
      };
      const after = { ...current, ...values };
      const changes = changesOf(current, after);
      if (Object.keys(changes).length === 0) return;
      // a name is taken only among the siblings in use; unarchiving one checks it again
      if (after.archived_at === null && (values.name !== undefined || current.archived_at !== null)) {
        if (await repo.siblingNamed(current.parent_id, after.name, id)) throw duplicate('name');
      }
      await repo.update(id, values);
      await writeAudit(
        trx,
        ctx,
        { action: 'category.updated', entityType: 'ticket_category', entityId: id, changes },
        now,
      );
    }, 'name');
    return this.get(ctx, id);
  }

  /** A category's published prices; with `includeParent`, its first level's too, which apply to it. */
  async prices(categoryId: string, q: { includeArchived?: boolean; includeParent?: boolean }) {
    const category = await this.categories.get(categoryId);
    if (!category) throw errors.notFound();
    const ids = q.includeParent && category.parent_id ? [category.parent_id, category.id] : [category.id];
    const rows = await this.categories.prices(ids, q.includeArchived ?? false);
    rows.sort((a, b) => ids.indexOf(a.category_id) - ids.indexOf(b.category_id));
    return { items: rows.map(priceView) };
  }

  async createPrice(ctx: RequestContext, categoryId: string, input: CreatePriceInput) {
    const category = await this.categories.get(categoryId);
    if (!category) throw errors.notFound();
    if (!isCents(input.price)) throw errors.field('price', 'validation.cents');
    const now = this.clock.now();
    const id = newId(now);
    const name = input.name.trim();
    await this.write(async (repo, trx) => {
      await repo.lock();
      if (await repo.priceNamed(categoryId, name)) throw duplicate('name');
      const row = {
        id,
        category_id: categoryId,
        name,
        unit: input.unit.trim(),
        price: input.price,
        note: input.note?.trim() || null,
        sort: input.sort ?? (await repo.maxPriceSort(categoryId)) + 1,
        archived_at: null,
        created_at: now.toISOString(),
        updated_at: now.toISOString(),
      };
      await repo.insertPrice(row);
      await writeAudit(
        trx,
        ctx,
        {
          action: 'category_price.created',
          entityType: 'category_price',
          entityId: id,
          changes: changesOf(null, row),
        },
        now,
      );
    }, 'name');
    return priceView((await this.categories.getPrice(id))!);
  }

  /** Edits a price; archiving takes it off the list, and quotes refuse it from then on. */
  async updatePrice(ctx: RequestContext, id: string, input: UpdatePriceInput) {
    const before = await this.categories.getPrice(id);
    if (!before) throw errors.notFound();
    if (input.price !== undefined && !isCents(input.price)) throw errors.field('price', 'validation.cents');
    const now = this.clock.now();
    await this.write(async (repo, trx) => {
      await repo.lock();
      const current = (await repo.getPrice(id))!;
      const values = {
        ...(input.name !== undefined ? { name: input.name.trim() } : {}),
        ...(input.unit !== undefined ? { unit: input.unit.trim() } : {}),
        ...(input.price !== undefined ? { price: input.price } : {}),
        ...(input.note !== undefined ? { note: input.note?.trim() || null } : {}),
        ...(input.sort !== undefined ? { sort: input.sort } : {}),
        ...archiving(current.archived_at, input.archived, now),
      };
      const after = { ...current, ...values };
      const changes = changesOf(current, after);
      if (Object.keys(changes).length === 0) return;
      if (after.archived_at === null && (values.name !== undefined || current.archived_at !== null)) {
        if (await repo.priceNamed(current.category_id, after.name, id)) throw duplicate('name');
      }
      await repo.updatePrice(id, { ...values, updated_at: now.toISOString() });
      await writeAudit(
        trx,
        ctx,
        { action: 'category_price.updated', entityType: 'category_price', entityId: id, changes },
        now,
      );
    }, 'name');
    return priceView((await this.categories.getPrice(id))!);
  }

  /**
   * Prices paid work from the published list (R10): each item must be a price in use of the
   * request's category or of its first level. Amounts are worked in whole fen, so the total is
   * exactly the sum of the lines. A refused item is a 400 on `field` (default `items`).
   * Pass `trx` when calling inside a transaction: on SQLite another connection would wait on it.
   */
  async quote(
    categoryId: string | null,
    items: readonly QuoteItem[],
    options: { trx?: Kysely<DB>; field?: string } = {},
  ): Promise<{ lines: QuoteLine[]; total: number }> {
    const field = options.field ?? 'items';
    if (items.length === 0) return { lines: [], total: 0 };
    const repo = options.trx ? this.categories.with(options.trx) : this.categories;
    const category = categoryId ? await repo.get(categoryId) : undefined;
    const listed = new Set([category?.id, category?.parent_id].filter((x): x is string => Boolean(x)));
    const prices = new Map(
      (await repo.pricesByIds([...new Set(items.map((i) => i.priceId))])).map((p) => [p.id, p]),
    );
    let totalFen = 0;
    const lines = items.map((item) => {
      const price = prices.get(item.priceId);
      if (!price || !listed.has(price.category_id)) throw errors.field(field, 'validation.priceNotListed');
      if (price.archived_at !== null)
        throw errors.field(field, 'validation.priceArchived', { name: price.name });
      if (!validQuantity(item.quantity))
        throw errors.field(field, 'validation.quantity', { name: price.name, limit: MAX_QUANTITY });
      const amountFen = Math.round(toFen(price.price) * item.quantity);
      totalFen += amountFen;
      return {
        priceId: price.id,
        name: price.name,
        unit: price.unit,
        price: price.price,
        quantity: item.quantity,
        amount: amountFen / 100,
      };
    });
    return { lines, total: totalFen / 100 };
  }

  /**
   * Where a new request of this category goes (see DispatchRoute). Reads and writes only
   * through `trx`, the caller's transaction (the ticket's): on SQLite any other connection
   * would wait for it forever. For `auto`, the member whose turn it is gets
   * last_assigned_at = now, claimed by a conditional update: when two servers dispatch at once
   * on PostgreSQL, the second sees the claim fail and picks the next member.
   */
  async routeFor(
    trx: Kysely<DB>,
    ticket: { categoryId: string | null; communityId: string },
    now: Date,
  ): Promise<DispatchRoute> {
    if (!ticket.categoryId) return { mode: 'assign' };
    const repo = this.categories.with(trx);
    const category = await repo.get(ticket.categoryId);
    if (!category) return { mode: 'assign' };
    const parent = category.parent_id ? await repo.get(category.parent_id) : null;
    const settings = effectiveDispatch(settingsOf(category), parent ? settingsOf(parent) : null);
    if (settings.mode === 'assign') return { mode: 'assign' };

    const team = settings.teamId ? await repo.dispatchTeam(settings.teamId) : undefined;
    if (
      !team ||
      team.archived_at !== null ||
      (team.community_id !== null && team.community_id !== ticket.communityId)
    ) {
      return { mode: 'assign', reason: 'no_team' };
    }
    if (settings.mode === 'grab') return { mode: 'grab', teamId: team.id };

    for (let attempt = 0; attempt < MAX_TURN_ATTEMPTS; attempt++) {
      const next = nextInTurn(await repo.onDuty(team.id, ticket.communityId));
      if (!next) return { mode: 'grab', teamId: team.id, reason: 'nobody_on_duty' };
      if (await repo.takeTurn(team.id, next.userId, next.lastAssignedAt, now.toISOString())) {
        return { mode: 'auto', teamId: team.id, assigneeId: next.userId };
      }
    }
    // others keep taking the turns first: the pool is safer than failing the request
    return { mode: 'grab', teamId: team.id, reason: 'contention' };
  }

  /**
   * The parent must be a first-level category in use: the tree has two levels at most. (The
   * messages name the parent category themselves: the label of `parentId` is a ticket's.)
   */
  private async parentProblems(parentId: string | null): Promise<FieldError[]> {
    if (parentId === null) return [];
    const parent = await this.categories.get(parentId);
    if (!parent) return [{ field: 'parentId', key: 'validation.parentCategoryMissing' }];
    if (parent.parent_id !== null) return [{ field: 'parentId', key: 'validation.categoryDepth' }];
    if (parent.archived_at !== null) return [{ field: 'parentId', key: 'validation.parentArchived' }];
    return [];
  }

  /** grab and auto need a team; a named team must be one the caller sees, and not archived. */
  private async teamProblems(
    ctx: RequestContext,
    mode: DispatchMode,
    teamId: string | null,
  ): Promise<FieldError[]> {
    if (teamId === null) return needsTeam(mode) ? [{ field: 'teamId', key: 'validation.teamRequired' }] : [];
    const team = await this.teams.get(ctx.principal.scope, teamId);
    if (!team) return [{ field: 'teamId', key: 'validation.notFound' }];
    if (team.archived_at !== null) return [{ field: 'teamId', key: 'validation.archivedRef' }];
    return [];
  }

  /** One transaction for a change and its audit record; a unique violation is a duplicate on `field`. */
  private async write(
    work: (repo: CategoriesRepository, trx: Kysely<DB>) => Promise<void>,
    duplicateField: string,
  ) {
    try {
      await this.db.transaction().execute((trx) => work(this.categories.with(trx), trx));
    } catch (error) {
      if (isUniqueViolation(error)) throw duplicate(duplicateField);
      throw error;
    }
  }
}

function duplicate(field: string) {
  return errors.validation([{ field, key: 'error.DUPLICATE' }]);
}

/** archived_at after an edit's `archived` flag: set once when archiving, cleared when restoring. */
function archiving(current: string | null, archived: boolean | undefined, now: Date) {
  if (archived === undefined || archived === (current !== null)) return {};
  return { archived_at: archived ? now.toISOString() : null };
}

function settingsOf(row: CategoryRow) {
  return { mode: row.dispatch_mode as DispatchMode, teamId: row.team_id };
}

function toFen(yuan: number): number {
  return Math.round(yuan * 100);
}

/** A price in yuan with at most two decimals (分). */
function isCents(yuan: number): boolean {
  return Math.abs(yuan * 100 - Math.round(yuan * 100)) < 1e-6;
}

/** More than nothing, within reason, and at most two decimals (2.5 米). */
function validQuantity(quantity: number): boolean {
  return Number.isFinite(quantity) && quantity > 0 && quantity <= MAX_QUANTITY && isCents(quantity);
}

function categoryView(ctx: RequestContext, row: CategoryWithTeam) {
  // a team of a community the caller does not see stays unnamed (R61)
  const teamSeen = row.team_community_id === null || inScope(ctx.principal.scope, row.team_community_id);
  return {
    id: row.id,
    parentId: row.parent_id,
    code: row.code,
    name: row.name,
    sort: row.sort,
    dispatchMode: row.dispatch_mode as DispatchMode,
    teamId: row.team_id,
    teamName: teamSeen ? row.team_name : null,
    archived: row.archived_at !== null,
  };
}

function priceView(row: PriceRow) {
  return {
    id: row.id,
    categoryId: row.category_id,
    name: row.name,
    unit: row.unit,
    price: row.price,
    note: row.note,
    sort: row.sort,
    archived: row.archived_at !== null,
  };
}
