import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, createTestApp, PASSWORD, type TestApp } from '../../../../test/helpers/app.js';
import { dialects } from '../../../../test/helpers/db.js';
import { systemContext } from '../../platform/context.js';

interface Room {
  id: string;
  label: string;
  status: string;
  version: number;
}

describe.each(dialects())('registry: edits, stewards, occupancy (%s)', (dialect) => {
  let t: TestApp;
  let admin: Client;
  let manager: Client;
  let agent: Client;
  const users: Record<string, string> = {};

  beforeAll(async () => {
    t = await createTestApp(dialect);
    admin = await t.as('admin');
    manager = await t.as('manager-a');
    agent = await t.as('agent-a');
    const ctx = systemContext();
    const staff = async (username: string, roles: ('steward' | 'agent')[], communityIds: string[]) => {
      const user = await t.services.staff.create(ctx, {
        username,
        employeeNo: `S${Object.keys(users).length + 1}`,
        name: `管家${username}`,
        roles,
        communityIds,
        password: PASSWORD,
      });
      users[username] = user.id;
    };
    const list = (await admin.get('/api/v1/staff?limit=200')).json().items as {
      id: string;
      username: string;
    }[];
    for (const u of list) users[u.username] = u.id;
    await staff('steward-b', ['steward'], [t.world.communityB.id]);
    await staff('steward-off', ['steward'], [t.world.communityA.id]);
    await t.services.staff.update(ctx, users['steward-off']!, { disabled: true });
  });
  afterAll(async () => t?.close());

  const db = () => t.testDb.database.db;
  const audits = (action: string, entityId: string) =>
    db()
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', action)
      .where('entity_id', '=', entityId)
      .orderBy('id')
      .execute();
  const communityA = () => t.world.communityA.id;

  /** A building with units and rooms of community A, made through the API. */
  async function place(
    name: string,
    units: Record<string, Record<string, 'occupied' | 'vacant' | 'renovating'>>,
  ) {
    const building = (await manager.post('/api/v1/buildings', { communityId: communityA(), name })).json();
    const rooms: Record<string, Room> = {};
    const unitIds: Record<string, string> = {};
    for (const [unitName, numbers] of Object.entries(units)) {
      const unit = (await manager.post('/api/v1/units', { buildingId: building.id, name: unitName })).json();
      unitIds[unitName] = unit.id;
      for (const [number, status] of Object.entries(numbers)) {
        const res = await manager.post('/api/v1/rooms', { unitId: unit.id, number, status });
        expect(res.statusCode, res.body).toBe(201);
        rooms[`${unitName}-${number}`] = res.json();
      }
    }
    return { building: building as { id: string; name: string }, unitIds, rooms };
  }

  describe('edits (R1), each audited with the changed fields', () => {
    it('an admin edits a community; a bad time zone is refused and changes nothing', async () => {
      const id = communityA();
      const res = await admin.patch(`/api/v1/communities/${id}`, {
        name: '阳光花园二期',
        address: '  浦东新区锦绣路 100 号 ',
        timeZone: 'Asia/Urumqi',
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({
        name: '阳光花园二期',
        address: '浦东新区锦绣路 100 号',
        timeZone: 'Asia/Urumqi',
      });
      const [audit] = await audits('community.updated', id);
      expect(JSON.parse(audit!.changes!)).toEqual({
        name: ['阳光花园', '阳光花园二期'],
        address: [null, '浦东新区锦绣路 100 号'],
        time_zone: ['Asia/Shanghai', 'Asia/Urumqi'],
      });
      expect(audit).toMatchObject({ community_id: id, actor_type: 'user', entity_type: 'community' });

      const bad = await admin.patch(`/api/v1/communities/${id}`, { name: '改不了', timeZone: 'Mars/Base' });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().details).toEqual([{ field: 'timeZone', message: '「时区」不是有效的时区' }]);
      expect((await agent.get(`/api/v1/communities/${id}`)).json().name).toBe('阳光花园二期');
      // a manager keeps buildings, not communities
      expect((await manager.patch(`/api/v1/communities/${id}`, { name: 'x' })).statusCode).toBe(403);
    });

    it('renaming a building re-keys its rooms in the same change, so room codes follow', async () => {
      const { building, rooms } = await place('7栋', { '1单元': { '101': 'occupied' } });
      const res = await manager.patch(`/api/v1/buildings/${building.id}`, { name: '8号楼', code: 'B8' });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ name: '8号楼', code: 'B8', stewardUserId: null, steward: null });
      const row = await db()
        .selectFrom('rooms')
        .select(['building_key', 'unit_key'])
        .where('id', '=', rooms['1单元-101']!.id)
        .executeTakeFirstOrThrow();
      expect(row).toEqual({ building_key: '8', unit_key: '1' });
      expect((await agent.get(`/api/v1/rooms/${rooms['1单元-101']!.id}`)).json().label).toBe('8号楼1单元101');
      const [audit] = await audits('building.updated', building.id);
      expect(JSON.parse(audit!.changes!)).toEqual({
        name: ['7栋', '8号楼'],
        designator: ['7', '8'],
        code: [null, 'B8'],
      });

      // a name another building has is a field error, and nothing changes
      const taken = await manager.patch(`/api/v1/buildings/${building.id}`, { name: '3栋' });
      expect(taken.statusCode).toBe(400);
      expect(taken.json().details).toEqual([{ field: 'name', message: '「名称」已存在' }]);
      expect((await agent.get(`/api/v1/buildings/${building.id}`)).json().name).toBe('8号楼');
      expect(await audits('building.updated', building.id)).toHaveLength(1);
    });

    it('renaming a unit re-keys its rooms; a public area is renamed', async () => {
      const { unitIds, rooms } = await place('9栋', { '1单元': { '201': 'vacant' } });
      const unitId = unitIds['1单元']!;
      const res = await manager.patch(`/api/v1/units/${unitId}`, { name: '三单元' });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ id: unitId, name: '三单元' });
      const row = await db()
        .selectFrom('rooms')
        .select('unit_key')
        .where('id', '=', rooms['1单元-201']!.id)
        .executeTakeFirstOrThrow();
      expect(row.unit_key).toBe('3');
      expect(JSON.parse((await audits('unit.updated', unitId))[0]!.changes!)).toEqual({
        name: ['1单元', '三单元'],
        designator: ['1', '3'],
      });

      const areaId = t.world.publicAreaA.id;
      const area = await manager.patch(`/api/v1/public-areas/${areaId}`, { name: '地下车库 B1' });
      expect(area.json()).toMatchObject({ id: areaId, name: '地下车库 B1' });
      expect(JSON.parse((await audits('public_area.updated', areaId))[0]!.changes!)).toEqual({
        name: ['地下车库', '地下车库 B1'],
      });
    });

    it('R12: a room edited against a stale version is a 409 conflict and changes nothing', async () => {
      const { rooms } = await place('11栋', { '1单元': { '301': 'vacant' } });
      const room = rooms['1单元-301']!;
      expect(room.version).toBe(1);
      const first = await manager.patch(`/api/v1/rooms/${room.id}`, {
        version: 1,
        status: 'renovating',
        area: 89.5,
      });
      expect(first.statusCode, first.body).toBe(200);
      expect(first.json()).toMatchObject({ status: 'renovating', area: 89.5, floor: 3, version: 2 });
      const stale = await manager.patch(`/api/v1/rooms/${room.id}`, { version: 1, status: 'occupied' });
      expect(stale.statusCode).toBe(409);
      expect(stale.json()).toMatchObject({ code: 'CONFLICT', message: '记录已被他人修改，请刷新后重试' });
      expect((await agent.get(`/api/v1/rooms/${room.id}`)).json()).toMatchObject({
        status: 'renovating',
        version: 2,
      });
      const [audit, ...more] = await audits('room.updated', room.id);
      expect(more).toHaveLength(0);
      expect(JSON.parse(audit!.changes!)).toEqual({ status: ['vacant', 'renovating'], area: [null, 89.5] });
      expect(audit!.community_id).toBe(communityA());

      // an edit that changes nothing leaves no record and keeps the version
      const same = await manager.patch(`/api/v1/rooms/${room.id}`, { version: 2, status: 'renovating' });
      expect(same.json().version).toBe(2);
      expect(await audits('room.updated', room.id)).toHaveLength(1);
    });

    it('R62: bad input is a 400 with a zh-CN field message, and nothing changes', async () => {
      const room = t.world.roomA;
      const before = await db()
        .selectFrom('rooms')
        .selectAll()
        .where('id', '=', room.id)
        .executeTakeFirstOrThrow();
      const auditsBefore = await db().selectFrom('audit_log').select('id').execute();
      const cases: [string, unknown, string, string][] = [
        [`/api/v1/rooms/${room.id}`, { version: 1, status: 'sold' }, 'status', '「状态」的取值无效'],
        [`/api/v1/rooms/${room.id}`, { version: 1, area: -5 }, 'area', '「面积」不能小于 0'],
        [`/api/v1/rooms/${room.id}`, { status: 'vacant' }, 'version', '请填写「版本」'],
        [`/api/v1/rooms/${room.id}`, { version: '1', floor: 3 }, 'version', '「版本」的格式不正确'],
        [`/api/v1/buildings/${t.world.buildingB.id}`, { name: '   ' }, 'name', '「名称」不能为空'],
        [
          `/api/v1/public-areas/${t.world.publicAreaA.id}`,
          { name: 'x', owner: 1 },
          'owner',
          '不认识的字段「owner」',
        ],
        [`/api/v1/units/${room.id}`, { name: 'x'.repeat(31) }, 'name', '「名称」不能超过 30 个字符'],
      ];
      for (const [url, body, field, message] of cases) {
        const res = await manager.patch(url, body);
        expect(res.statusCode, `${url} ${JSON.stringify(body)}`).toBe(400);
        expect(res.json().code).toBe('VALIDATION_FAILED');
        expect(res.json().details).toContainEqual({ field, message });
      }
      expect(
        await db().selectFrom('rooms').selectAll().where('id', '=', room.id).executeTakeFirstOrThrow(),
      ).toEqual(before);
      expect(await db().selectFrom('audit_log').select('id').execute()).toHaveLength(auditsBefore.length);
    });
  });

  describe('the steward of each building (楼栋管家)', () => {
    it('is shown on the building and its steward finds their buildings', async () => {
      const { building } = await place('15栋', {});
      const res = await manager.patch(`/api/v1/buildings/${building.id}`, {
        stewardUserId: users['steward-a'],
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({
        stewardUserId: users['steward-a'],
        steward: { id: users['steward-a'], name: '测试steward-a', employeeNo: '103' },
      });
      const mine = (await agent.get(`/api/v1/buildings?stewardUserId=${users['steward-a']}`)).json();
      expect(mine.items.map((b: { id: string }) => b.id)).toEqual([building.id]);
      expect(mine.items[0].steward.name).toBe('测试steward-a');
      expect(JSON.parse((await audits('building.updated', building.id))[0]!.changes!)).toEqual({
        steward_user_id: [null, users['steward-a']],
      });

      const cleared = await manager.patch(`/api/v1/buildings/${building.id}`, { stewardUserId: null });
      expect(cleared.json()).toMatchObject({ stewardUserId: null, steward: null });
      expect((await agent.get(`/api/v1/buildings?stewardUserId=${users['steward-a']}`)).json().items).toEqual(
        [],
      );
    });

    it.each([
      ['agent-a', '测试agent-a 不是楼栋管家'],
      ['steward-b', '管家steward-b 不负责该小区'],
      ['steward-off', '管家steward-off 的账号已停用'],
      ['nobody', '「楼栋管家」指向的记录不存在'],
    ])('refuses %s with a translated field error, and changes nothing', async (username, message) => {
      const { building } = await place(`${username}楼`, {});
      const res = await manager.patch(`/api/v1/buildings/${building.id}`, {
        stewardUserId: users[username] ?? 'no-such-user',
        name: '不该改名',
      });
      expect(res.statusCode).toBe(400);
      expect(res.json().details).toEqual([{ field: 'stewardUserId', message }]);
      expect((await agent.get(`/api/v1/buildings/${building.id}`)).json()).toMatchObject({
        name: `${username}楼`,
        stewardUserId: null,
      });
      expect(await audits('building.updated', building.id)).toHaveLength(0);
    });

    it('answers in the caller’s language', async () => {
      const { building } = await place('16栋', {});
      const res = await manager.request({
        method: 'PATCH',
        url: `/api/v1/buildings/${building.id}`,
        payload: { stewardUserId: users['agent-a'] },
        headers: { 'accept-language': 'zh-TW' },
      });
      expect(res.json().details).toEqual([{ field: 'stewardUserId', message: '测试agent-a 不是樓棟管家' }]);
    });
  });

  describe('occupancy at a glance (R1)', () => {
    it('R1: counts rooms by status per unit, building and community, and follows status changes', async () => {
      const community = (await admin.post('/api/v1/communities', { name: '东湖苑', code: 'DHY' })).json() as {
        id: string;
      };
      const make = async (name: string, units: Record<string, Record<string, string>>) => {
        const b = (await admin.post('/api/v1/buildings', { communityId: community.id, name })).json();
        const rooms: Record<string, Room> = {};
        for (const [unitName, numbers] of Object.entries(units)) {
          const u = (await admin.post('/api/v1/units', { buildingId: b.id, name: unitName })).json();
          for (const [number, status] of Object.entries(numbers)) {
            rooms[number] = (await admin.post('/api/v1/rooms', { unitId: u.id, number, status })).json();
          }
        }
        return rooms;
      };
      const ten = await make('10栋', { '1单元': { '101': 'occupied', '102': 'vacant' } });
      await make('2栋', {
        '1单元': { '101': 'occupied', '102': 'occupied', '201': 'renovating' },
        '2单元': { '101': 'vacant' },
      });
      await admin.post('/api/v1/buildings', { communityId: community.id, name: '3栋' });

      const quality = await t.as('quality');
      const tree = async () => {
        const res = await quality.get(`/api/v1/communities/${community.id}/tree`);
        expect(res.statusCode, res.body).toBe(200);
        return res.json();
      };
      const first = await tree();
      expect(first.occupancy).toEqual({ total: 6, occupied: 3, vacant: 2, renovating: 1 });
      expect(
        first.buildings.map(
          (b: { name: string; occupancy: object; units: { name: string; occupancy: object }[] }) => [
            b.name,
            b.occupancy,
            b.units.map((u) => [u.name, u.occupancy]),
          ],
        ),
      ).toEqual([
        [
          '2栋',
          { total: 4, occupied: 2, vacant: 1, renovating: 1 },
          [
            ['1单元', { total: 3, occupied: 2, vacant: 0, renovating: 1 }],
            ['2单元', { total: 1, occupied: 0, vacant: 1, renovating: 0 }],
          ],
        ],
        ['3栋', { total: 0, occupied: 0, vacant: 0, renovating: 0 }, []],
        [
          '10栋',
          { total: 2, occupied: 1, vacant: 1, renovating: 0 },
          [['1单元', { total: 2, occupied: 1, vacant: 1, renovating: 0 }]],
        ],
      ]);

      const moveIn = await admin.patch(`/api/v1/rooms/${ten['102']!.id}`, { version: 1, status: 'occupied' });
      expect(moveIn.statusCode).toBe(200);
      const second = await tree();
      expect(second.occupancy).toEqual({ total: 6, occupied: 4, vacant: 1, renovating: 1 });
      expect(second.buildings[2].occupancy).toEqual({ total: 2, occupied: 2, vacant: 0, renovating: 0 });

      // a community-A user sees the tree of A only
      expect((await agent.get(`/api/v1/communities/${community.id}/tree`)).statusCode).toBe(404);
      expect(
        (await agent.get(`/api/v1/communities/${communityA()}/tree`)).json().buildings.length,
      ).toBeGreaterThan(0);
    });

    it('R1: lists the vacant rooms of a community, and only those the caller may see', async () => {
      const { rooms } = await place('20栋', {
        '1单元': { '101': 'vacant', '102': 'occupied', '103': 'vacant' },
      });
      const vacant = async (client: Client, communityId: string) => {
        const res = await client.get(`/api/v1/rooms?communityId=${communityId}&status=vacant&limit=200`);
        expect(res.statusCode, res.body).toBe(200);
        return res.json().items as Room[];
      };
      const list = await vacant(agent, communityA());
      expect(list.every((r) => r.status === 'vacant')).toBe(true);
      const labels = list.map((r) => r.label);
      expect(labels).toContain('20栋1单元101');
      expect(labels).toContain('20栋1单元103');
      expect(labels).not.toContain('20栋1单元102');
      const counted = (await agent.get(`/api/v1/communities/${communityA()}/tree`)).json().occupancy.vacant;
      expect(list).toHaveLength(counted);

      await manager.patch(`/api/v1/rooms/${rooms['1单元-101']!.id}`, { version: 1, status: 'occupied' });
      expect((await vacant(agent, communityA())).map((r) => r.label)).not.toContain('20栋1单元101');
      // community B has a vacant room? not for a community-A user
      expect(await vacant(agent, t.world.communityB.id)).toEqual([]);
      const bad = await agent.get(`/api/v1/rooms?status=empty`);
      expect(bad.statusCode).toBe(400);
      expect(bad.json().details).toEqual([{ field: 'status', message: '「状态」的取值无效' }]);
    });
  });
});
