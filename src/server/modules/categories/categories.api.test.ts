import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, createTestApp, PASSWORD, type TestApp } from '../../../../test/helpers/app.js';
import { dialects } from '../../../../test/helpers/db.js';
import { systemContext } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';

interface Category {
  id: string;
  parentId: string | null;
  code: string;
  name: string;
  sort: number;
  dispatchMode: string;
  teamId: string | null;
  teamName: string | null;
  archived: boolean;
}
interface Tree extends Category {
  children: Category[];
}
interface Price {
  id: string;
  categoryId: string;
  name: string;
  unit: string;
  price: number;
  note: string | null;
  sort: number;
  archived: boolean;
}

describe.each(dialects())('ticket categories, prices and dispatch (%s)', (dialect) => {
  let t: TestApp;
  let admin: Client;
  let manager: Client;
  let supervisor: Client;
  let agent: Client;
  let tech: Client;
  const users: Record<string, string> = {};
  /** Community A's repair team, B's, a company-wide one, and an archived one of A. */
  const teams: Record<'repairA' | 'repairB' | 'wide' | 'archived', string> = {
    repairA: '',
    repairB: '',
    wide: '',
    archived: '',
  };

  beforeAll(async () => {
    t = await createTestApp(dialect);
    admin = await t.as('admin');
    manager = await t.as('manager-a');
    supervisor = await t.as('supervisor-a');
    agent = await t.as('agent-a');
    tech = await t.as('technician-a');
    const ctx = systemContext();
    for (const u of (await admin.get('/api/v1/staff?limit=200')).json().items as {
      id: string;
      username: string;
    }[]) {
      users[u.username] = u.id;
    }
    // three more technicians of A, made in this order: their ids ascend, so turns go A, B, C
    for (const [i, username] of ['plumber-1', 'plumber-2', 'plumber-3', 'plumber-b'].entries()) {
      const user = await t.services.staff.create(ctx, {
        username,
        employeeNo: `P${i + 1}`,
        name: `水电工${i + 1}`,
        roles: ['technician'],
        communityIds: [username === 'plumber-b' ? t.world.communityB.id : t.world.communityA.id],
        password: PASSWORD,
      });
      users[username] = user.id;
    }
    const team = async (communityId: string | null, name: string, userIds: string[] = []) =>
      (await t.services.teams.create(ctx, { communityId, name, kind: 'repair', userIds })).id;
    teams.repairA = await team(t.world.communityA.id, '水电维修组', [
      users['plumber-1']!,
      users['plumber-2']!,
      users['plumber-3']!,
    ]);
    teams.repairB = await team(t.world.communityB.id, '翠湖维修组', [users['plumber-b']!]);
    teams.wide = await team(null, '工程部', [users['plumber-b']!, users['plumber-1']!]);
    teams.archived = await team(t.world.communityA.id, '旧维修组');
    await t.services.teams.update(ctx, teams.archived, { archived: true });
  });
  afterAll(async () => t?.close());

  const db = () => t.testDb.database.db;
  /** Rows that a refused request must leave as they were. */
  async function counts() {
    const out: Record<string, number> = {};
    for (const table of ['ticket_categories', 'category_prices', 'audit_log']) {
      const row = await sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`.execute(db());
      out[table] = Number(row.rows[0]!.n);
    }
    return out;
  }
  const audits = (entityId: string) =>
    db().selectFrom('audit_log').selectAll().where('entity_id', '=', entityId).orderBy('id').execute();
  const tree = async (client: Client, query = '') => {
    const res = await client.get(`/api/v1/ticket-categories${query}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json().items as Tree[];
  };
  const find = (items: Tree[], id: string): Category | undefined =>
    items.flatMap((p) => [p, ...p.children]).find((c) => c.id === id);

  describe('the category tree', () => {
    it('every staff role reads the two levels, each with how it is dispatched', async () => {
      for (const client of [agent, tech]) {
        const items = await tree(client);
        const water = items.find((c) => c.code === 'water_power')!;
        expect(water).toMatchObject({
          id: 'cat-water_power',
          parentId: null,
          name: '水电',
          dispatchMode: 'assign',
          teamId: null,
          teamName: null,
          archived: false,
        });
        expect(water.children.slice(0, 5).map((c) => c.code)).toEqual([
          'leak',
          'no_water',
          'no_power',
          'drain',
          'fixture',
        ]);
        expect(water.children[0]).toEqual({
          id: 'cat-leak',
          parentId: 'cat-water_power',
          code: 'leak',
          name: '漏水渗水',
          sort: 1,
          dispatchMode: 'assign',
          teamId: null,
          teamName: null,
          archived: false,
        });
        expect(items.map((c) => c.name)).toEqual(expect.arrayContaining(['电梯', '噪音', '收费', '其他']));
      }
    });

    it('a supervisor adds a child with grab dispatch to a team; a manager adds a first level; audited', async () => {
      const child = await supervisor.post('/api/v1/ticket-categories', {
        name: '热水器',
        code: 'water_heater',
        parentId: 'cat-water_power',
        dispatchMode: 'grab',
        teamId: teams.repairA,
      });
      expect(child.statusCode, child.body).toBe(201);
      // put last among the five seeded children
      expect(child.json()).toEqual({
        id: expect.any(String),
        parentId: 'cat-water_power',
        code: 'water_heater',
        name: '热水器',
        sort: 6,
        dispatchMode: 'grab',
        teamId: teams.repairA,
        teamName: '水电维修组',
        archived: false,
      });
      expect(find(await tree(agent), child.json().id)).toEqual(child.json());
      const [audit] = await audits(child.json().id);
      expect(audit).toMatchObject({
        action: 'category.created',
        entity_type: 'ticket_category',
        actor_id: users['supervisor-a'],
      });
      expect(JSON.parse(audit!.changes!)).toMatchObject({
        code: [null, 'water_heater'],
        dispatch_mode: [null, 'grab'],
        team_id: [null, teams.repairA],
      });

      const first = await manager.post('/api/v1/ticket-categories', { name: '装修管理', code: 'decoration' });
      expect(first.statusCode, first.body).toBe(201);
      expect(first.json()).toMatchObject({ parentId: null, sort: 12, dispatchMode: 'assign', teamId: null });
      expect((await tree(agent)).at(-1)).toMatchObject({ code: 'decoration', children: [] });
    });

    it('a team of a community the caller does not see is not named in the tree (R61)', async () => {
      const res = await admin.post('/api/v1/ticket-categories', {
        name: '翠湖专修',
        code: 'chy_repair',
        dispatchMode: 'grab',
        teamId: teams.repairB,
      });
      expect(res.statusCode, res.body).toBe(201);
      expect(find(await tree(admin), res.json().id)?.teamName).toBe('翠湖维修组');
      expect(find(await tree(agent), res.json().id)).toMatchObject({ teamId: teams.repairB, teamName: null });
    });

    it('R62: bad input is a 400 with a zh-CN field message, and nothing is written', async () => {
      const before = await counts();
      const cases: [Client, object, string, string][] = [
        [supervisor, { name: '坏编码', code: 'Bad-Code' }, 'code', '「编码」的格式不正确'],
        [supervisor, { name: '漏水', code: 'leak' }, 'code', '「编码」已存在'],
        [
          supervisor,
          { name: '漏水渗水', code: 'leak_again', parentId: 'cat-water_power' },
          'name',
          '「名称」已存在',
        ],
        [
          supervisor,
          { name: '第三级', code: 'third_level', parentId: 'cat-leak' },
          'parentId',
          '类别最多两级：上级类别须是一级类别',
        ],
        [
          supervisor,
          { name: '无主', code: 'orphan', parentId: 'cat-nope' },
          'parentId',
          '所选上级类别不存在',
        ],
        [
          supervisor,
          { name: '抢单', code: 'grab_no_team', dispatchMode: 'grab' },
          'teamId',
          '抢单和自动派单须指定班组',
        ],
        [
          supervisor,
          { name: '自动', code: 'auto_old_team', dispatchMode: 'auto', teamId: teams.archived },
          'teamId',
          '所选「班组」已归档',
        ],
        [
          manager,
          { name: '越权', code: 'other_team', dispatchMode: 'grab', teamId: teams.repairB },
          'teamId',
          '「班组」指向的记录不存在',
        ],
        [
          supervisor,
          { name: '随机', code: 'random', dispatchMode: 'random' },
          'dispatchMode',
          '「派单方式」的取值无效',
        ],
        [supervisor, { name: '  ', code: 'blank' }, 'name', '「名称」不能为空'],
        [supervisor, { name: '排序', code: 'sorted', sort: -1 }, 'sort', '「排序」不能小于 0'],
        [supervisor, { name: '多余', code: 'extra', x: 1 }, 'x', '不认识的字段「x」'],
      ];
      for (const [client, body, field, message] of cases) {
        const res = await client.post('/api/v1/ticket-categories', body);
        expect(res.statusCode, JSON.stringify(body)).toBe(400);
        expect(res.json().details, JSON.stringify(body)).toContainEqual({ field, message });
      }
      expect(await counts()).toEqual(before);
    });

    it('field staff and agents may not keep the tree (403), and nothing changes', async () => {
      const before = await counts();
      for (const client of [tech, agent]) {
        const created = await client.post('/api/v1/ticket-categories', { name: '越权', code: 'forbidden' });
        expect(created.statusCode).toBe(403);
        expect(created.json().code).toBe('FORBIDDEN');
        expect((await client.patch('/api/v1/ticket-categories/cat-leak', { name: '越权' })).statusCode).toBe(
          403,
        );
        expect(
          (
            await client.post('/api/v1/ticket-categories/cat-leak/prices', {
              name: 'x',
              unit: '次',
              price: 1,
            })
          ).statusCode,
        ).toBe(403);
      }
      expect(await counts()).toEqual(before);
    });

    it('edits name, order and dispatch; archiving hides a category and its children; audited', async () => {
      const parent = (
        await supervisor.post('/api/v1/ticket-categories', { name: '智能家居', code: 'smart_home' })
      ).json() as Category;
      const child = (
        await supervisor.post('/api/v1/ticket-categories', {
          name: '智能门锁',
          code: 'smart_lock',
          parentId: parent.id,
        })
      ).json() as Category;

      const edited = await manager.patch(`/api/v1/ticket-categories/${child.id}`, {
        name: '智能门锁/猫眼',
        sort: 9,
        dispatchMode: 'auto',
        teamId: teams.wide,
      });
      expect(edited.statusCode, edited.body).toBe(200);
      expect(edited.json()).toMatchObject({
        name: '智能门锁/猫眼',
        sort: 9,
        dispatchMode: 'auto',
        teamId: teams.wide,
        teamName: '工程部',
      });
      // auto without a team is refused; clearing the team of an auto category too
      const noTeam = await manager.patch(`/api/v1/ticket-categories/${child.id}`, { teamId: null });
      expect(noTeam.statusCode).toBe(400);
      expect(noTeam.json().details).toEqual([{ field: 'teamId', message: '抢单和自动派单须指定班组' }]);
      const nothing = await manager.patch(`/api/v1/ticket-categories/${child.id}`, { name: '智能门锁/猫眼' });
      expect(nothing.statusCode).toBe(200);

      expect(
        (await supervisor.patch(`/api/v1/ticket-categories/${parent.id}`, { archived: true })).json(),
      ).toMatchObject({ archived: true });
      expect(find(await tree(agent), parent.id)).toBeUndefined();
      expect(find(await tree(agent), child.id)).toBeUndefined();
      const all = await tree(agent, '?includeArchived=true');
      expect(find(all, parent.id)).toMatchObject({ archived: true });
      expect(find(all, child.id)).toMatchObject({ archived: false, name: '智能门锁/猫眼' });

      // a child archived with its parent cannot come back alone
      await supervisor.patch(`/api/v1/ticket-categories/${child.id}`, { archived: true });
      const alone = await supervisor.patch(`/api/v1/ticket-categories/${child.id}`, { archived: false });
      expect(alone.statusCode).toBe(400);
      expect(alone.json().details).toEqual([
        { field: 'archived', message: '上级类别已归档，请先恢复上级类别' },
      ]);
      const restored = await supervisor.patch(`/api/v1/ticket-categories/${parent.id}`, { archived: false });
      expect(restored.json()).toMatchObject({ archived: false });
      expect(
        (await supervisor.patch(`/api/v1/ticket-categories/${child.id}`, { archived: false })).statusCode,
      ).toBe(200);
      // archived categories cannot take new children
      await supervisor.patch(`/api/v1/ticket-categories/${parent.id}`, { archived: true });
      const under = await supervisor.post('/api/v1/ticket-categories', {
        name: '网关',
        code: 'gateway',
        parentId: parent.id,
      });
      expect(under.json().details).toEqual([
        { field: 'parentId', message: '上级类别已归档，请先恢复上级类别' },
      ]);

      const actions = (await audits(child.id)).map((a) => [
        a.action,
        Object.keys(JSON.parse(a.changes!)).sort(),
      ]);
      expect(actions).toEqual([
        ['category.created', ['code', 'dispatch_mode', 'id', 'name', 'parent_id', 'sort']],
        ['category.updated', ['dispatch_mode', 'name', 'sort', 'team_id']],
        ['category.updated', ['archived_at']],
        ['category.updated', ['archived_at']],
      ]);
      expect((await manager.patch('/api/v1/ticket-categories/cat-nope', { name: '无' })).statusCode).toBe(
        404,
      );
    });

    it('renaming to a sibling’s name is a duplicate; bad edits change nothing', async () => {
      const before = await counts();
      const cases: [object, string, string][] = [
        [{ name: '停水/水压低' }, 'name', '「名称」已存在'],
        [{ code: 'renamed' }, 'code', '不认识的字段「编码」'],
        [{ dispatchMode: 'grab', teamId: 'team-nope' }, 'teamId', '「班组」指向的记录不存在'],
        [{ archived: 'yes' }, 'archived', '「归档」的格式不正确'],
      ];
      for (const [body, field, message] of cases) {
        const res = await supervisor.patch('/api/v1/ticket-categories/cat-leak', body);
        expect(res.statusCode, JSON.stringify(body)).toBe(400);
        expect(res.json().details).toContainEqual({ field, message });
      }
      expect(await counts()).toEqual(before);
      expect(find(await tree(agent), 'cat-leak')).toMatchObject({ name: '漏水渗水', dispatchMode: 'assign' });
    });
  });

  describe('R10: the published price list (有偿服务收费标准)', () => {
    const publish = (categoryId: string, body: object, client = supervisor) =>
      client.post(`/api/v1/ticket-categories/${categoryId}/prices`, body);
    const list = async (categoryId: string, query = '', client = tech) => {
      const res = await client.get(`/api/v1/ticket-categories/${categoryId}/prices${query}`);
      expect(res.statusCode, res.body).toBe(200);
      return res.json().items as Price[];
    };

    it('is kept by supervisors, read by every staff role, archived instead of deleted; audited', async () => {
      const tap = await publish('cat-fixture', {
        name: '更换水龙头',
        unit: '个',
        price: 30,
        note: '不含材料',
      });
      expect(tap.statusCode, tap.body).toBe(201);
      expect(tap.json()).toEqual({
        id: expect.any(String),
        categoryId: 'cat-fixture',
        name: '更换水龙头',
        unit: '个',
        price: 30,
        note: '不含材料',
        sort: 1,
        archived: false,
      });
      const pipe = (
        await publish('cat-fixture', { name: '更换软管', unit: '米', price: 12.5 }, manager)
      ).json();
      expect(pipe).toMatchObject({ sort: 2, note: null, price: 12.5 });
      expect((await list('cat-fixture')).map((p) => p.name)).toEqual(['更换水龙头', '更换软管']);

      const edited = await admin.patch(`/api/v1/category-prices/${tap.json().id}`, { price: 35.8, sort: 3 });
      expect(edited.statusCode, edited.body).toBe(200);
      expect(edited.json()).toMatchObject({ price: 35.8, sort: 3 });
      const archived = await supervisor.patch(`/api/v1/category-prices/${pipe.id}`, { archived: true });
      expect(archived.json()).toMatchObject({ archived: true });
      expect((await list('cat-fixture')).map((p) => p.name)).toEqual(['更换水龙头']);
      expect(
        (await list('cat-fixture', '?includeArchived=true')).map((p) => `${p.name}:${p.archived}`),
      ).toEqual(['更换软管:true', '更换水龙头:false']);
      expect((await audits(tap.json().id)).map((a) => [a.action, JSON.parse(a.changes!).price])).toEqual([
        ['category_price.created', [null, 30]],
        ['category_price.updated', [30, 35.8]],
      ]);
      expect((await audits(pipe.id)).map((a) => a.action)).toEqual([
        'category_price.created',
        'category_price.updated',
      ]);
    });

    it("a child category's list may include its first level's prices, which apply to it too", async () => {
      await publish('cat-water_power', { name: '上门检测', unit: '次', price: 20 });
      await publish('cat-drain', { name: '疏通下水道', unit: '次', price: 80 });
      expect((await list('cat-drain')).map((p) => p.name)).toEqual(['疏通下水道']);
      expect((await list('cat-drain', '?includeParent=true')).map((p) => p.name)).toEqual([
        '上门检测',
        '疏通下水道',
      ]);
      expect((await tech.get('/api/v1/ticket-categories/cat-nope/prices')).statusCode).toBe(404);
    });

    it('R62: bad prices are a 400 with a zh-CN field message, and nothing is written', async () => {
      const [price] = await list('cat-fixture');
      const before = await counts();
      const cases: [string, string, object, string, string][] = [
        [
          'POST',
          '/api/v1/ticket-categories/cat-fixture/prices',
          { name: '换阀门', unit: '个', price: 10.005 },
          'price',
          '「单价」最多保留两位小数',
        ],
        [
          'POST',
          '/api/v1/ticket-categories/cat-fixture/prices',
          { name: '换阀门', unit: '个', price: -1 },
          'price',
          '「单价」不能小于 0',
        ],
        [
          'POST',
          '/api/v1/ticket-categories/cat-fixture/prices',
          { name: '换阀门', unit: ' ', price: 10 },
          'unit',
          '「单位」不能为空',
        ],
        [
          'POST',
          '/api/v1/ticket-categories/cat-fixture/prices',
          { name: '换阀门', unit: '个', price: '10' },
          'price',
          '「单价」的格式不正确',
        ],
        [
          'POST',
          '/api/v1/ticket-categories/cat-fixture/prices',
          { name: '更换水龙头', unit: '个', price: 10 },
          'name',
          '「名称」已存在',
        ],
        [
          'PATCH',
          `/api/v1/category-prices/${price!.id}`,
          { price: 1.234 },
          'price',
          '「单价」最多保留两位小数',
        ],
        [
          'PATCH',
          `/api/v1/category-prices/${price!.id}`,
          { categoryId: 'cat-leak' },
          'categoryId',
          '不认识的字段「类别」',
        ],
      ];
      for (const [method, url, payload, field, message] of cases) {
        const res = await supervisor.request({ method: method as 'POST', url, payload });
        expect(res.statusCode, JSON.stringify(payload)).toBe(400);
        expect(res.json().details).toContainEqual({ field, message });
      }
      expect((await publish('cat-nope', { name: '无', unit: '次', price: 1 })).statusCode).toBe(404);
      expect((await supervisor.patch('/api/v1/category-prices/nope', { price: 1 })).statusCode).toBe(404);
      expect(await counts()).toEqual(before);
      expect((await list('cat-fixture'))[0]).toEqual(price);
    });

    it('R10: a quote prices paid work from the list: the category’s own and its first level’s, exact to the fen', async () => {
      const prices = Object.fromEntries(
        (await list('cat-fixture', '?includeArchived=true&includeParent=true')).map((p) => [p.name, p]),
      );
      const quote = await t.services.categories.quote('cat-fixture', [
        { priceId: prices.更换水龙头!.id, quantity: 3 },
        { priceId: prices.上门检测!.id, quantity: 1 },
      ]);
      expect(quote).toEqual({
        lines: [
          {
            priceId: prices.更换水龙头!.id,
            name: '更换水龙头',
            unit: '个',
            price: 35.8,
            quantity: 3,
            amount: 107.4,
          },
          {
            priceId: prices.上门检测!.id,
            name: '上门检测',
            unit: '次',
            price: 20,
            quantity: 1,
            amount: 20,
          },
        ],
        total: 127.4,
      });
      // 0.1 + 0.2 in floating point is not 0.3; in fen it is
      const cheap = (
        await publish('cat-fixture', { name: '密封圈', unit: '个', price: 0.1 })
      ).json() as Price;
      const cheaper = (
        await publish('cat-fixture', { name: '生料带', unit: '卷', price: 0.2 })
      ).json() as Price;
      expect(
        (
          await t.services.categories.quote('cat-fixture', [
            { priceId: cheap.id, quantity: 1 },
            { priceId: cheaper.id, quantity: 1 },
          ])
        ).total,
      ).toBe(0.3);
      expect(await t.services.categories.quote('cat-fixture', [])).toEqual({ lines: [], total: 0 });
    });

    it('R10: a quote refuses a price of another category, an archived one, or a bad quantity, with a field error', async () => {
      const prices = Object.fromEntries(
        (await list('cat-fixture', '?includeArchived=true')).map((p) => [p.name, p]),
      );
      const [drain] = await list('cat-drain');
      const refused = async (
        categoryId: string | null,
        items: { priceId: string; quantity: number }[],
        field = 'items',
      ) => {
        const error = await t.services.categories
          .quote(categoryId, items, { field })
          .catch((e: unknown) => e);
        expect(error).toBeInstanceOf(AppError);
        expect((error as AppError).status).toBe(400);
        return (error as AppError).fields;
      };
      expect(await refused('cat-fixture', [{ priceId: drain!.id, quantity: 1 }])).toEqual([
        { field: 'items', key: 'validation.priceNotListed' },
      ]);
      expect(await refused(null, [{ priceId: drain!.id, quantity: 1 }])).toEqual([
        { field: 'items', key: 'validation.priceNotListed' },
      ]);
      expect(await refused('cat-fixture', [{ priceId: 'nope', quantity: 1 }], 'charges')).toEqual([
        { field: 'charges', key: 'validation.priceNotListed' },
      ]);
      expect(await refused('cat-fixture', [{ priceId: prices.更换软管!.id, quantity: 1 }])).toEqual([
        { field: 'items', key: 'validation.priceArchived', params: { name: '更换软管' } },
      ]);
      for (const quantity of [0, -1, 1.234, 10_001, Number.NaN]) {
        expect(await refused('cat-fixture', [{ priceId: prices.更换水龙头!.id, quantity }])).toEqual([
          { field: 'items', key: 'validation.quantity', params: { name: '更换水龙头', limit: 10_000 } },
        ]);
      }
      // the parent's list does not take the child's prices
      expect(await refused('cat-water_power', [{ priceId: drain!.id, quantity: 1 }])).toEqual([
        { field: 'items', key: 'validation.priceNotListed' },
      ]);
    });

    it('a quote runs inside the caller’s transaction (on SQLite another connection would wait forever)', async () => {
      const [tap] = await list('cat-fixture');
      const inside = await db()
        .transaction()
        .execute((trx) =>
          t.services.categories.quote('cat-fixture', [{ priceId: tap!.id, quantity: 2 }], { trx }),
        );
      expect(inside.total).toBe(71.6);
    });
  });

  describe('automatic dispatch by category (routeFor)', () => {
    const route = (categoryId: string | null, communityId = t.world.communityA.id) => {
      t.clock.advance(60_000);
      const now = t.clock.now();
      return db()
        .transaction()
        .execute((trx) => t.services.categories.routeFor(trx, { categoryId, communityId }, now));
    };
    const setDispatch = async (id: string, body: object) => {
      const res = await admin.patch(`/api/v1/ticket-categories/${id}`, body);
      expect(res.statusCode, res.body).toBe(200);
    };
    const setDuty = async (teamId: string, username: string, onDuty: boolean) => {
      const res = await admin.put(`/api/v1/teams/${teamId}/members/${users[username]}/duty`, { onDuty });
      expect(res.statusCode, res.body).toBe(200);
    };
    const assignees = async (categoryId: string, n: number) => {
      const out: string[] = [];
      for (let i = 0; i < n; i++) {
        const r = await route(categoryId);
        expect(r.mode).toBe('auto');
        if (r.mode === 'auto') out.push(Object.keys(users).find((u) => users[u] === r.assigneeId)!);
      }
      return out;
    };

    it('auto takes turns among those on duty: A, B, C, A; an off-duty or disabled member is skipped', async () => {
      await setDispatch('cat-no_water', { dispatchMode: 'auto', teamId: teams.repairA });
      expect(await assignees('cat-no_water', 4)).toEqual([
        'plumber-1',
        'plumber-2',
        'plumber-3',
        'plumber-1',
      ]);
      const turn = await db()
        .selectFrom('team_members')
        .select('last_assigned_at')
        .where('team_id', '=', teams.repairA)
        .where('user_id', '=', users['plumber-1']!)
        .executeTakeFirstOrThrow();
      expect(turn.last_assigned_at).toBe(t.clock.now().toISOString());

      await setDuty(teams.repairA, 'plumber-2', false);
      expect(await assignees('cat-no_water', 3)).toEqual(['plumber-3', 'plumber-1', 'plumber-3']);
      await setDuty(teams.repairA, 'plumber-2', true);
      // back on duty, and the one who waited longest: next
      expect(await assignees('cat-no_water', 1)).toEqual(['plumber-2']);

      await t.services.staff.update(systemContext(), users['plumber-3']!, { disabled: true });
      expect(await assignees('cat-no_water', 3)).toEqual(['plumber-1', 'plumber-2', 'plumber-1']);
      await t.services.staff.update(systemContext(), users['plumber-3']!, { disabled: false });
    });

    it('nobody on duty: the job waits in the team pool (grab)', async () => {
      await setDispatch('cat-no_power', { dispatchMode: 'auto', teamId: teams.repairA });
      for (const u of ['plumber-1', 'plumber-2', 'plumber-3']) await setDuty(teams.repairA, u, false);
      expect(await route('cat-no_power')).toEqual({
        mode: 'grab',
        teamId: teams.repairA,
        reason: 'nobody_on_duty',
      });
      for (const u of ['plumber-1', 'plumber-2', 'plumber-3']) await setDuty(teams.repairA, u, true);
      expect((await route('cat-no_power')).mode).toBe('auto');
    });

    it('grab goes to the pool; assign does nothing; a team of another community or archived falls back to assign', async () => {
      await setDispatch('cat-leak', { dispatchMode: 'grab', teamId: teams.repairA });
      expect(await route('cat-leak')).toEqual({ mode: 'grab', teamId: teams.repairA });
      // the same category for a request of community B: A's team does not serve it
      expect(await route('cat-leak', t.world.communityB.id)).toEqual({ mode: 'assign', reason: 'no_team' });
      expect(await route('cat-fees')).toEqual({ mode: 'assign' });
      expect(await route(null)).toEqual({ mode: 'assign' });
      expect(await route('cat-nope')).toEqual({ mode: 'assign' });

      const team = await t.services.teams.create(systemContext(), {
        communityId: t.world.communityA.id,
        name: '临时组',
        kind: 'repair',
      });
      await setDispatch('cat-pruning', { dispatchMode: 'grab', teamId: team.id });
      await t.services.teams.update(systemContext(), team.id, { archived: true });
      expect(await route('cat-pruning')).toEqual({ mode: 'assign', reason: 'no_team' });
      // relying on the archived team again is refused; going back to assign is not
      const auto = await admin.patch('/api/v1/ticket-categories/cat-pruning', { dispatchMode: 'auto' });
      expect(auto.json().details).toEqual([{ field: 'teamId', message: '所选「班组」已归档' }]);
      await setDispatch('cat-pruning', { dispatchMode: 'assign' });
      expect(await route('cat-pruning')).toEqual({ mode: 'assign' });
    });

    it('a company-wide team serves every community, but only members who see the request’s community', async () => {
      await setDispatch('cat-elevator_fault', { dispatchMode: 'auto', teamId: teams.wide });
      // plumber-b works in B only, plumber-1 in A only
      for (let i = 0; i < 3; i++) {
        expect(await route('cat-elevator_fault')).toMatchObject({
          mode: 'auto',
          assigneeId: users['plumber-1'],
        });
        expect(await route('cat-elevator_fault', t.world.communityB.id)).toMatchObject({
          mode: 'auto',
          assigneeId: users['plumber-b'],
        });
      }
    });

    it('a child without settings of its own follows its first level; one with its own keeps them', async () => {
      await setDispatch('cat-doors_windows', { dispatchMode: 'grab', teamId: teams.wide });
      expect(await route('cat-door_lock')).toEqual({ mode: 'grab', teamId: teams.wide });
      expect(await route('cat-doors_windows')).toEqual({ mode: 'grab', teamId: teams.wide });
      await setDispatch('cat-window', { dispatchMode: 'assign', teamId: teams.repairA });
      expect(await route('cat-window')).toEqual({ mode: 'assign' });
      await setDispatch('cat-access_gate', { dispatchMode: 'auto', teamId: teams.repairA });
      expect((await route('cat-access_gate')).mode).toBe('auto');
    });

    it('two dispatches at once never give one turn twice: the second picks the next member', async () => {
      await setDispatch('cat-fixture', { dispatchMode: 'auto', teamId: teams.repairA });
      t.clock.advance(60_000);
      const now = t.clock.now();
      let released!: () => void;
      const firstHolds = new Promise<void>((resolve) => {
        released = resolve;
      });
      // the first transaction takes a turn and holds it, uncommitted, while the second dispatches
      const first = db()
        .transaction()
        .execute(async (trx) => {
          const r = await t.services.categories.routeFor(
            trx,
            { categoryId: 'cat-fixture', communityId: t.world.communityA.id },
            now,
          );
          await firstHolds;
          return r;
        });
      await new Promise((resolve) => setTimeout(resolve, 100));
      const second = db()
        .transaction()
        .execute((trx) =>
          t.services.categories.routeFor(
            trx,
            { categoryId: 'cat-fixture', communityId: t.world.communityA.id },
            now,
          ),
        );
      // on PostgreSQL the second waits on the first's row; on SQLite it waits for the write lock
      await new Promise((resolve) => setTimeout(resolve, 300));
      released();
      const [a, b] = await Promise.all([first, second]);
      expect(a.mode).toBe('auto');
      expect(b.mode).toBe('auto');
      if (a.mode === 'auto' && b.mode === 'auto') expect(a.assigneeId).not.toBe(b.assigneeId);
    });
  });
});
