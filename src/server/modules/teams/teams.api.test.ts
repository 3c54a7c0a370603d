import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, createTestApp, PASSWORD, type TestApp } from '../../../../test/helpers/app.js';
import { dialects } from '../../../../test/helpers/db.js';
import { systemContext } from '../../platform/context.js';

interface Team {
  id: string;
  communityId: string | null;
  name: string;
  leaderUserId: string | null;
  archived: boolean;
  members: { id: string; name: string; employeeNo: string; roles: string[]; onDuty: boolean }[];
}

describe.each(dialects())('staff teams (%s)', (dialect) => {
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
    for (const u of (await admin.get('/api/v1/staff?limit=200')).json().items as {
      id: string;
      username: string;
    }[]) {
      users[u.username] = u.id;
    }
    const more = [
      { username: 'technician-b', roles: ['technician' as const], communityIds: [t.world.communityB.id] },
      { username: 'technician-gone', roles: ['technician' as const], communityIds: [t.world.communityA.id] },
    ];
    for (const [i, u] of more.entries()) {
      const user = await t.services.staff.create(ctx, {
        ...u,
        employeeNo: `T${i}`,
        name: `维修工${i}`,
        password: PASSWORD,
      });
      users[u.username] = user.id;
    }
    await t.services.staff.update(ctx, users['technician-gone']!, { disabled: true });
  });
  afterAll(async () => t?.close());

  const db = () => t.testDb.database.db;
  const teamRows = async () =>
    Number(
      (
        await db()
          .selectFrom('teams')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const audits = (entityId: string) =>
    db()
      .selectFrom('audit_log')
      .selectAll()
      .where('entity_type', '=', 'team')
      .where('entity_id', '=', entityId)
      .orderBy('id')
      .execute();

  async function createTeam(client: Client, body: object): Promise<Team> {
    const res = await client.post('/api/v1/teams', body);
    expect(res.statusCode, res.body).toBe(201);
    return res.json();
  }

  it('a manager creates a team of their community with members and a leader; all staff read it', async () => {
    const team = await createTeam(manager, {
      communityId: t.world.communityA.id,
      name: '维修组',
      kind: 'repair',
      userIds: [users['technician-a'], users['steward-a']],
      leaderUserId: users['technician-a'],
    });
    expect(team).toMatchObject({
      communityId: t.world.communityA.id,
      name: '维修组',
      kind: 'repair',
      leaderUserId: users['technician-a'],
      leader: { id: users['technician-a'], name: '测试technician-a', employeeNo: '104' },
      archived: false,
      archivedAt: null,
    });
    // new members start on duty
    expect(team.members).toEqual([
      { id: users['steward-a'], name: '测试steward-a', employeeNo: '103', roles: ['steward'], onDuty: true },
      {
        id: users['technician-a'],
        name: '测试technician-a',
        employeeNo: '104',
        roles: ['technician'],
        onDuty: true,
      },
    ]);
    const tech = await t.as('technician-a');
    expect((await tech.get(`/api/v1/teams/${team.id}`)).json()).toEqual(team);
    expect((await tech.get('/api/v1/teams')).json().items.map((x: Team) => x.id)).toContain(team.id);
    const [audit] = await audits(team.id);
    expect(audit).toMatchObject({ action: 'team.created', community_id: t.world.communityA.id });
    expect(JSON.parse(audit!.changes!)).toMatchObject({
      name: [null, '维修组'],
      user_ids: [null, [users['technician-a'], users['steward-a']]],
    });
    // field staff read teams but do not keep them
    expect(
      (await tech.post('/api/v1/teams', { communityId: null, name: 'x', kind: 'other' })).statusCode,
    ).toBe(403);
  });

  it('edits name, kind and leader; the leader must be a member; archiving hides a team from the list', async () => {
    const team = await createTeam(manager, {
      communityId: t.world.communityA.id,
      name: '保洁组',
      kind: 'cleaning',
      userIds: [users['cleaning-a']],
    });
    const notMember = await manager.patch(`/api/v1/teams/${team.id}`, {
      leaderUserId: users['greening-a'],
      name: '不改',
    });
    expect(notMember.statusCode).toBe(400);
    expect(notMember.json().details).toEqual([{ field: 'leaderUserId', message: '组长须是本组成员' }]);
    expect((await agent.get(`/api/v1/teams/${team.id}`)).json()).toMatchObject({
      name: '保洁组',
      leaderUserId: null,
    });

    const edited = await manager.patch(`/api/v1/teams/${team.id}`, {
      name: '保洁绿化组',
      kind: 'greening',
      leaderUserId: users['cleaning-a'],
    });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(edited.json()).toMatchObject({
      name: '保洁绿化组',
      kind: 'greening',
      leader: { name: '测试cleaning-a' },
    });

    // the leader cannot be dropped from the members; change the leader first
    const dropLeader = await manager.put(`/api/v1/teams/${team.id}/members`, {
      userIds: [users['greening-a']],
    });
    expect(dropLeader.statusCode).toBe(400);
    expect(dropLeader.json().details).toEqual([{ field: 'userIds', message: '不能移除组长，请先更换组长' }]);
    const members = await manager.put(`/api/v1/teams/${team.id}/members`, {
      userIds: [users['greening-a'], users['cleaning-a'], users['greening-a']],
    });
    expect(members.statusCode, members.body).toBe(200);
    expect(
      members.json().members.map((m: { name: string; roles: string[] }) => `${m.name}:${m.roles}`),
    ).toEqual(['测试cleaning-a:cleaning', '测试greening-a:greening']);

    const archived = await manager.patch(`/api/v1/teams/${team.id}`, { archived: true });
    expect(archived.json()).toMatchObject({ archived: true, archivedAt: '2026-11-30T02:00:00.000Z' });
    const listed = async (query: string) =>
      (await agent.get(`/api/v1/teams${query}`)).json().items.map((x: Team) => x.id) as string[];
    expect(await listed('')).not.toContain(team.id);
    expect(await listed('?includeArchived=true')).toContain(team.id);
    expect(await listed('?includeArchived=true&kind=repair')).not.toContain(team.id);

    const actions = (await audits(team.id)).map((a) => [
      a.action,
      Object.keys(JSON.parse(a.changes!)).sort(),
    ]);
    expect(actions).toEqual([
      ['team.created', ['community_id', 'created_at', 'id', 'kind', 'name', 'user_ids']],
      ['team.updated', ['kind', 'leader_user_id', 'name']],
      ['team.members_changed', ['user_ids']],
      ['team.updated', ['archived_at']],
    ]);
  });

  it.each([
    ['technician-b', '维修工0 不负责该小区'],
    ['technician-gone', '维修工1 的账号已停用'],
    ['nobody', '「成员」指向的记录不存在'],
  ])(
    'refuses %s as a member with a translated field error, and changes nothing',
    async (username, message) => {
      const team = await createTeam(manager, {
        communityId: t.world.communityA.id,
        name: '工程部',
        kind: 'engineering',
      });
      const res = await manager.put(`/api/v1/teams/${team.id}/members`, {
        userIds: [users['technician-a'], users[username] ?? 'no-such-user'],
      });
      expect(res.statusCode).toBe(400);
      expect(res.json().details).toEqual([{ field: 'userIds', message }]);
      expect((await agent.get(`/api/v1/teams/${team.id}`)).json().members).toEqual([]);
      expect(await audits(team.id)).toHaveLength(1);
    },
  );

  it('scope: a team of another community is 404 and never listed; company-wide teams are seen by all', async () => {
    const teamB = await createTeam(admin, {
      communityId: t.world.communityB.id,
      name: '保安队',
      kind: 'security',
      userIds: [users['technician-b']],
    });
    const companyWide = await createTeam(admin, { communityId: null, name: '客服组', kind: 'service' });
    expect(companyWide.communityId).toBeNull();

    for (const [method, body] of [
      ['GET', undefined],
      ['PATCH', { name: '越权' }],
    ] as const) {
      const res = await manager.request({
        method,
        url: `/api/v1/teams/${teamB.id}`,
        ...(body ? { payload: body } : {}),
      });
      expect(res.statusCode).toBe(404);
      expect(res.json().message).toBe('记录不存在');
    }
    expect((await manager.put(`/api/v1/teams/${teamB.id}/members`, { userIds: [] })).statusCode).toBe(404);
    expect((await admin.get(`/api/v1/teams/${teamB.id}`)).json().members).toHaveLength(1);

    const seenByA = (await agent.get('/api/v1/teams?limit=200')).json().items as Team[];
    expect(seenByA.map((x) => x.id)).toContain(companyWide.id);
    expect(seenByA.some((x) => x.communityId === t.world.communityB.id)).toBe(false);
    const askedForB = (await agent.get(`/api/v1/teams?communityId=${t.world.communityB.id}`)).json()
      .items as Team[];
    expect(askedForB.map((x) => x.id)).toEqual([companyWide.id]);
    expect((await agent.get(`/api/v1/teams/${companyWide.id}`)).statusCode).toBe(200);

    // a manager of one community cannot create or change a company-wide team, nor create one in B
    expect(
      (await manager.post('/api/v1/teams', { communityId: null, name: '全公司', kind: 'other' })).statusCode,
    ).toBe(403);
    expect((await manager.patch(`/api/v1/teams/${companyWide.id}`, { name: '改名' })).statusCode).toBe(403);
    const inB = await manager.post('/api/v1/teams', {
      communityId: t.world.communityB.id,
      name: '越权',
      kind: 'other',
    });
    expect(inB.statusCode).toBe(400);
    expect(inB.json().details).toEqual([{ field: 'communityId', message: '「小区」指向的记录不存在' }]);
    // members of a company-wide team may come from any community
    const mixed = await admin.put(`/api/v1/teams/${companyWide.id}/members`, {
      userIds: [users['agent-a'], users['technician-b']],
    });
    expect(mixed.statusCode, mixed.body).toBe(200);
    expect(mixed.json().members).toHaveLength(2);
  });

  it('R62: bad input is a 400 with a zh-CN field message, and nothing is written', async () => {
    const before = await teamRows();
    const cases: [object, string, string][] = [
      [{ communityId: t.world.communityA.id, name: '绿化组', kind: 'cooking' }, 'kind', '「类别」的取值无效'],
      [{ communityId: t.world.communityA.id, name: '  ', kind: 'greening' }, 'name', '「名称」不能为空'],
      [{ name: '绿化组', kind: 'greening' }, 'communityId', '请填写「小区」'],
      [
        {
          communityId: t.world.communityA.id,
          name: '绿化组',
          kind: 'greening',
          leaderUserId: users['greening-a'],
        },
        'leaderUserId',
        '组长须是本组成员',
      ],
      [
        { communityId: t.world.communityA.id, name: '绿化组', kind: 'greening', userIds: 'greening-a' },
        'userIds',
        '「成员」的格式不正确',
      ],
    ];
    for (const [body, field, message] of cases) {
      const res = await manager.post('/api/v1/teams', body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().details).toContainEqual({ field, message });
    }
    expect(await teamRows()).toBe(before);
  });

  describe('on duty (在岗): automatic dispatch takes turns only among those on duty', () => {
    const duty = (client: Client, teamId: string, userId: string, body: unknown) =>
      client.put(`/api/v1/teams/${teamId}/members/${userId}/duty`, body);
    const dutyOf = async (teamId: string) =>
      Object.fromEntries(
        ((await admin.get(`/api/v1/teams/${teamId}`)).json() as Team).members.map((m) => [m.id, m.onDuty]),
      );
    const dutyAudits = async (teamId: string) =>
      (await audits(teamId)).filter((a) => a.action === 'team.duty_changed');

    it('the member themself, the leader and a supervisor may; another member or an agent may not (403)', async () => {
      const team = await createTeam(manager, {
        communityId: t.world.communityA.id,
        name: '水电组',
        kind: 'repair',
        userIds: [users['technician-a'], users['cleaning-a'], users['steward-a']],
        leaderUserId: users['steward-a'],
      });
      const tech = await t.as('technician-a');
      const own = await duty(tech, team.id, users['technician-a']!, { onDuty: false });
      expect(own.statusCode, own.body).toBe(200);
      expect(own.json().members).toContainEqual(
        expect.objectContaining({ id: users['technician-a'], onDuty: false }),
      );
      const [audit] = await dutyAudits(team.id);
      expect(audit).toMatchObject({ actor_id: users['technician-a'], community_id: t.world.communityA.id });
      expect(JSON.parse(audit!.changes!)).toEqual({
        user_id: [users['technician-a'], users['technician-a']],
        on_duty: [true, false],
      });

      // another member, and an agent who is neither member nor leader, may not
      const cleaner = await t.as('cleaning-a');
      for (const client of [cleaner, agent]) {
        const res = await duty(client, team.id, users['technician-a']!, { onDuty: true });
        expect(res.statusCode).toBe(403);
        expect(res.json().message).toBe('您没有执行此操作的权限');
      }
      expect((await dutyOf(team.id))[users['technician-a']!]).toBe(false);

      const leader = await t.as('steward-a');
      expect((await duty(leader, team.id, users['cleaning-a']!, { onDuty: false })).statusCode).toBe(200);
      const supervisor = await t.as('supervisor-a');
      expect((await duty(supervisor, team.id, users['technician-a']!, { onDuty: true })).statusCode).toBe(
        200,
      );
      expect(await dutyOf(team.id)).toEqual({
        [users['technician-a']!]: true,
        [users['cleaning-a']!]: false,
        [users['steward-a']!]: true,
      });
      // the same again writes nothing
      expect((await duty(supervisor, team.id, users['technician-a']!, { onDuty: true })).statusCode).toBe(
        200,
      );
      expect(await dutyAudits(team.id)).toHaveLength(3);

      // changing the member list keeps the duty of those who stay
      const members = await manager.put(`/api/v1/teams/${team.id}/members`, {
        userIds: [users['technician-a'], users['cleaning-a'], users['steward-a'], users['greening-a']],
      });
      expect(members.statusCode, members.body).toBe(200);
      expect(await dutyOf(team.id)).toEqual({
        [users['technician-a']!]: true,
        [users['cleaning-a']!]: false,
        [users['steward-a']!]: true,
        [users['greening-a']!]: true,
      });
    });

    it('R62: bad input and someone not in the team are refused, and nothing changes', async () => {
      const team = await createTeam(manager, {
        communityId: t.world.communityA.id,
        name: '绿化组',
        kind: 'greening',
        userIds: [users['greening-a']],
      });
      for (const body of [{ onDuty: 'yes' }, {}, { onDuty: false, note: 'x' }]) {
        const res = await duty(manager, team.id, users['greening-a']!, body);
        expect(res.statusCode, JSON.stringify(body)).toBe(400);
      }
      const wrongType = await duty(manager, team.id, users['greening-a']!, { onDuty: 'yes' });
      expect(wrongType.json().details).toEqual([{ field: 'onDuty', message: '「在岗」的格式不正确' }]);
      // a user who is not a member: as if there were no such record
      expect((await duty(manager, team.id, users['cleaning-a']!, { onDuty: false })).statusCode).toBe(404);
      expect(await dutyOf(team.id)).toEqual({ [users['greening-a']!]: true });
      expect(await dutyAudits(team.id)).toHaveLength(0);
    });

    it("scope: another community's team is 404; a company-wide team's duty is kept by whoever sees every community", async () => {
      const teamB = await createTeam(admin, {
        communityId: t.world.communityB.id,
        name: '保安队',
        kind: 'security',
        userIds: [users['technician-b']],
      });
      const res = await duty(manager, teamB.id, users['technician-b']!, { onDuty: false });
      expect(res.statusCode).toBe(404);
      expect(res.json().message).toBe('记录不存在');
      expect(await dutyOf(teamB.id)).toEqual({ [users['technician-b']!]: true });

      const wide = await createTeam(admin, {
        communityId: null,
        name: '工程部',
        kind: 'engineering',
        userIds: [users['technician-a'], users['technician-b']],
      });
      expect((await duty(manager, wide.id, users['technician-b']!, { onDuty: false })).statusCode).toBe(403);
      // the member still reports for themself
      const tech = await t.as('technician-a');
      expect((await duty(tech, wide.id, users['technician-a']!, { onDuty: false })).statusCode).toBe(200);
      expect((await duty(admin, wide.id, users['technician-b']!, { onDuty: false })).statusCode).toBe(200);
      expect(await dutyOf(wide.id)).toEqual({
        [users['technician-a']!]: false,
        [users['technician-b']!]: false,
      });
    });
  });
});
