import type { Insertable, Kysely, Selectable, Updateable } from 'kysely';
import type { DutyCandidate } from '../../../domain/dispatch.js';
import type { DialectName } from '../../platform/db/database.js';
import { serialize } from '../../platform/db/dialect.js';
import type { CategoryPricesTable, DB, TicketCategoriesTable } from '../../platform/db/schema.js';
import { worksIn } from '../staff/staff.repository.js';

export type CategoryRow = Selectable<TicketCategoriesTable>;
export type PriceRow = Selectable<CategoryPricesTable>;

/** A category with the name and community of its team, for the tree. */
export interface CategoryWithTeam extends CategoryRow {
  team_name: string | null;
  team_community_id: string | null;
}

/** What dispatch needs to know of a team. */
export interface DispatchTeam {
  id: string;
  community_id: string | null;
  archived_at: string | null;
}

/**
 * The category tree (company-wide: one company per install), its published price lists, and
 * the turns of automatic dispatch kept on `team_members`.
 */
export class CategoriesRepository {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly dialect: DialectName,
  ) {}

  with(db: Kysely<DB>) {
    return new CategoriesRepository(db, this.dialect);
  }

  /**
   * Serialises writers of the tree and the price lists, so "no two siblings share a name"
   * holds when two people add the same one at once.
   */
  lock() {
    return serialize(this.db, this.dialect, 'ticket_categories');
  }

  /** Every category with its team's name: the tree is small, the service shapes it. */
  all(): Promise<CategoryWithTeam[]> {
    return this.db
      .selectFrom('ticket_categories')
      .leftJoin('teams', 'teams.id', 'ticket_categories.team_id')
      .selectAll('ticket_categories')
      .select(['teams.name as team_name', 'teams.community_id as team_community_id'])
      .orderBy('ticket_categories.sort')
      .orderBy('ticket_categories.code')
      .execute();
  }

  get(id: string): Promise<CategoryRow | undefined> {
    return this.db.selectFrom('ticket_categories').selectAll().where('id', '=', id).executeTakeFirst();
  }

  getWithTeam(id: string): Promise<CategoryWithTeam | undefined> {
    return this.db
      .selectFrom('ticket_categories')
      .leftJoin('teams', 'teams.id', 'ticket_categories.team_id')
      .selectAll('ticket_categories')
      .select(['teams.name as team_name', 'teams.community_id as team_community_id'])
      .where('ticket_categories.id', '=', id)
      .executeTakeFirst();
  }

  async codeTaken(code: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('ticket_categories')
      .select('id')
      .where('code', '=', code)
      .executeTakeFirst();
    return row !== undefined;
  }

  /** A category in use (not archived) under the same parent with this name, other than `exceptId`. */
  async siblingNamed(parentId: string | null, name: string, exceptId?: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('ticket_categories')
      .select('id')
      .where((eb) => (parentId === null ? eb('parent_id', 'is', null) : eb('parent_id', '=', parentId)))
      .where('name', '=', name)
      .where('archived_at', 'is', null)
      .$if(Boolean(exceptId), (qb) => qb.where('id', '!=', exceptId!))
      .executeTakeFirst();
    return row !== undefined;
  }

  /** The highest sort among a parent's children (or the first level), to put a new one last. */
  async maxSort(parentId: string | null): Promise<number> {
    const row = await this.db
      .selectFrom('ticket_categories')
      .select((eb) => eb.fn.max('sort').as('sort'))
      .where((eb) => (parentId === null ? eb('parent_id', 'is', null) : eb('parent_id', '=', parentId)))
      .executeTakeFirst();
    return Number(row?.sort ?? 0);
  }

  async insert(row: Insertable<TicketCategoriesTable>) {
    await this.db.insertInto('ticket_categories').values(row).execute();
  }

  async update(id: string, values: Updateable<TicketCategoriesTable>) {
    await this.db.updateTable('ticket_categories').set(values).where('id', '=', id).execute();
  }

  /** The price lists of some categories, in the order they are shown. */
  prices(categoryIds: readonly string[], includeArchived: boolean): Promise<PriceRow[]> {
    if (categoryIds.length === 0) return Promise.resolve([]);
    return this.db
      .selectFrom('category_prices')
      .selectAll()
      .where('category_id', 'in', categoryIds as string[])
      .$if(!includeArchived, (qb) => qb.where('archived_at', 'is', null))
      .orderBy('sort')
      .orderBy('id')
      .execute();
  }

  getPrice(id: string): Promise<PriceRow | undefined> {
    return this.db.selectFrom('category_prices').selectAll().where('id', '=', id).executeTakeFirst();
  }

  pricesByIds(ids: readonly string[]): Promise<PriceRow[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.db
      .selectFrom('category_prices')
      .selectAll()
      .where('id', 'in', ids as string[])
      .execute();
  }

  /** A price in use (not archived) of the category with this name, other than `exceptId`. */
  async priceNamed(categoryId: string, name: string, exceptId?: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('category_prices')
      .select('id')
      .where('category_id', '=', categoryId)
      .where('name', '=', name)
      .where('archived_at', 'is', null)
      .$if(Boolean(exceptId), (qb) => qb.where('id', '!=', exceptId!))
      .executeTakeFirst();
    return row !== undefined;
  }

  async maxPriceSort(categoryId: string): Promise<number> {
    const row = await this.db
      .selectFrom('category_prices')
      .select((eb) => eb.fn.max('sort').as('sort'))
      .where('category_id', '=', categoryId)
      .executeTakeFirst();
    return Number(row?.sort ?? 0);
  }

  async insertPrice(row: Insertable<CategoryPricesTable>) {
    await this.db.insertInto('category_prices').values(row).execute();
  }

  async updatePrice(id: string, values: Updateable<CategoryPricesTable>) {
    await this.db.updateTable('category_prices').set(values).where('id', '=', id).execute();
  }

  dispatchTeam(id: string): Promise<DispatchTeam | undefined> {
    return this.db
      .selectFrom('teams')
      .select(['id', 'community_id', 'archived_at'])
      .where('id', '=', id)
      .executeTakeFirst();
  }

  /**
   * The team's members who may be given a job of this community now: on duty, with an active
   * account, and seeing the community (a member of a company-wide team may serve only some).
   */
  async onDuty(teamId: string, communityId: string): Promise<DutyCandidate[]> {
    const rows = await this.db
      .selectFrom('team_members')
      .innerJoin('users', 'users.id', 'team_members.user_id')
      .select(['team_members.user_id', 'team_members.last_assigned_at'])
      .where('team_members.team_id', '=', teamId)
      .where('team_members.on_duty', '=', 1)
      .where('users.disabled', '=', 0)
      .where(worksIn(communityId))
      .execute();
    return rows.map((r) => ({ userId: r.user_id, lastAssignedAt: r.last_assigned_at }));
  }

  /**
   * Takes a member's turn: sets their last_assigned_at to `at`, only if it is still the value
   * read. Another server that took the same turn first makes this match no row (on PostgreSQL
   * the update waits for that server's commit, then re-checks), and the caller picks again.
   */
  async takeTurn(teamId: string, userId: string, seen: string | null, at: string): Promise<boolean> {
    const result = await this.db
      .updateTable('team_members')
      .set({ last_assigned_at: at })
      .where('team_id', '=', teamId)
      .where('user_id', '=', userId)
      .where('on_duty', '=', 1)
      .where((eb) => (seen === null ? eb('last_assigned_at', 'is', null) : eb('last_assigned_at', '=', seen)))
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }
}
