import { Type } from '@sinclair/typebox';
import { Id, Nullable, PageQuery, StringEnum, Text } from '../../platform/schemas.js';
import { RoleSchema } from '../auth/auth.schemas.js';
import { TEAM_KINDS } from './teams.service.js';

export const TeamKind = StringEnum(TEAM_KINDS, {
  description:
    '维修 repair, 保安 security, 保洁 cleaning, 绿化 greening, 工程 engineering, 客服 service, other',
});

const Member = Type.Object({
  id: Type.String(),
  name: Type.String(),
  employeeNo: Type.String(),
  roles: Type.Array(RoleSchema),
  onDuty: Type.Boolean({ description: 'On duty: automatic dispatch takes turns among these' }),
});

export const Team = Type.Object(
  {
    id: Type.String(),
    communityId: Nullable(Type.String({ description: 'null: a company-wide team' })),
    name: Type.String(),
    kind: TeamKind,
    leaderUserId: Nullable(Type.String()),
    leader: Nullable(Type.Object({ id: Type.String(), name: Type.String(), employeeNo: Type.String() })),
    archived: Type.Boolean(),
    archivedAt: Nullable(Type.String({ format: 'date-time' })),
    createdAt: Type.String({ format: 'date-time' }),
    members: Type.Array(Member),
  },
  { $id: 'Team' },
);

const UserIds = Type.Array(Text(64), { maxItems: 200 });

export const CreateTeamBody = Type.Object(
  {
    communityId: Nullable(Text(64, { description: 'null for a company-wide team' })),
    name: Text(50),
    kind: TeamKind,
    leaderUserId: Type.Optional(Nullable(Text(64, { description: 'Must be one of userIds' }))),
    userIds: Type.Optional(UserIds),
  },
  { additionalProperties: false },
);

export const UpdateTeamBody = Type.Object(
  {
    name: Type.Optional(Text(50)),
    kind: Type.Optional(TeamKind),
    leaderUserId: Type.Optional(Nullable(Text(64, { description: 'Must be a member; null clears it' }))),
    archived: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export const SetMembersBody = Type.Object({ userIds: UserIds }, { additionalProperties: false });

export const TeamQuery = Type.Object(
  {
    communityId: Type.Optional(
      Type.String({ maxLength: 64, description: "The community's teams and the company-wide ones" }),
    ),
    kind: Type.Optional(TeamKind),
    includeArchived: Type.Optional(Type.Boolean({ default: false })),
    ...PageQuery,
  },
  { additionalProperties: false },
);

export const DutyParams = Type.Object({ id: Id, userId: Id }, { additionalProperties: false });

export const DutyBody = Type.Object(
  { onDuty: Type.Boolean({ description: 'true: on duty (在岗), taking turns in automatic dispatch' }) },
  { additionalProperties: false },
);
