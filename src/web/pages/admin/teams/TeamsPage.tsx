import { CrownFilled, PlusOutlined } from '@ant-design/icons';
import {
  App,
  Button,
  Checkbox,
  Flex,
  Form,
  Input,
  Popconfirm,
  Select,
  Switch,
  Table,
  type TableColumnsType,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { TEAM_KINDS, type Team, type TeamKind } from '../../../api/types';
import { useCommunity } from '../../../app/community';
import { useT } from '../../../app/i18n';
import { useCurrentUser } from '../../../app/session';
import { LoadMore } from '../../../components/cursorList';
import { EmptyState } from '../../../components/EmptyState';
import { FormModal } from '../../../components/FormModal';
import { PageHeader } from '../../../components/PageHeader';
import { StaffMultiPicker } from '../../../components/pickers';
import type { Picked } from '../../../components/SearchSelect';
import { useCreateTeam, useSetDuty, useSetTeamMembers, useTeamList, useUpdateTeam } from './queries';

const COMPANY_WIDE = '__company__';

interface TeamForm {
  communityId?: string;
  name: string;
  kind: TeamKind;
  /** Named as the API field, so the server's field errors (e.g. not in this community) land here. */
  userIds?: Picked[];
  leaderUserId?: string | null;
}

type Editing = { mode: 'create' } | { mode: 'edit'; team: Team } | { mode: 'members'; team: Team } | null;

const staffLabel = (person: { name: string; employeeNo: string }) => `${person.name}（${person.employeeNo}）`;

function pick<T extends string>(value: string | null, allowed: readonly T[]): T | undefined {
  return allowed.find((candidate) => candidate === value);
}

/**
 * Staff teams (维修组, 保安队 …) of a community or of the whole company, with their members and
 * leader. Members are chosen from the staff who can see the team's community (the staff
 * directory, which admins and managers both read).
 */
export function TeamsPage() {
  const t = useT();
  const me = useCurrentUser();
  const { message } = App.useApp();
  const { communityId, communities, nameOf } = useCommunity();
  const [params, setParams] = useSearchParams();
  const kind = pick(params.get('kind'), TEAM_KINDS);
  const includeArchived = params.get('archived') === '1';
  const [editing, setEditing] = useState<Editing>(null);
  const [form] = Form.useForm<TeamForm>();
  const [membersForm] = Form.useForm<{ userIds: Picked[] }>();
  const members = Form.useWatch('userIds', form);
  const formCommunity = Form.useWatch('communityId', form);
  const list = useTeamList({ communityId, kind, includeArchived });
  const create = useCreateTeam(form);
  const update = useUpdateTeam(form);
  const archive = useUpdateTeam();
  const setMembers = useSetTeamMembers(membersForm);
  const duty = useSetDuty();

  const setParam = (name: string, value: string | undefined) => {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    setParams(next, { replace: true });
  };

  const editingTeam = editing?.mode === 'edit' ? editing.team : null;
  const membersTeam = editing?.mode === 'members' ? editing.team : null;
  const leaderOptions = editingTeam
    ? editingTeam.members.map((member) => ({ value: member.id, label: staffLabel(member) }))
    : (members ?? []).map((member) => ({ value: member.value, label: member.label }));

  const communityOptions = communities.map((community) => ({ value: community.id, label: community.name }));
  if (me.allCommunities) communityOptions.unshift({ value: COMPANY_WIDE, label: t('teams.companyWide') });

  const columns: TableColumnsType<Team> = [
    {
      title: t('teams.name'),
      dataIndex: 'name',
      width: 160,
      render: (name: string, team) => (
        <Flex gap={6} align="center" wrap>
          <Typography.Text strong>{name}</Typography.Text>
          {team.archived ? <Tag>{t('teams.archived')}</Tag> : null}
        </Flex>
      ),
    },
    {
      title: t('teams.kind.label'),
      dataIndex: 'kind',
      width: 90,
      render: (value: TeamKind) => <Tag color="geekblue">{t(`teams.kind.${value}`)}</Tag>,
    },
    {
      title: t('teams.community'),
      dataIndex: 'communityId',
      width: 130,
      render: (value: string | null) => (value ? nameOf(value) : t('teams.companyWide')),
    },
    {
      title: t('teams.leader'),
      key: 'leader',
      width: 140,
      render: (_value, team) =>
        team.leader ? (
          <span>
            <CrownFilled style={{ color: '#d48806', marginInlineEnd: 4 }} aria-hidden />
            {staffLabel(team.leader)}
          </span>
        ) : (
          <Typography.Text type="secondary">{t('teams.noLeader')}</Typography.Text>
        ),
    },
    {
      title: (
        <Tooltip title={t('teams.dutyHint')}>
          <span>{t('teams.members')}</span>
        </Tooltip>
      ),
      key: 'members',
      render: (_value, team) =>
        team.members.length === 0 ? (
          <Typography.Text type="secondary">{t('teams.noMembers')}</Typography.Text>
        ) : (
          <Flex wrap gap={4}>
            {team.members.map((member) => (
              <Tag
                key={member.id}
                style={{ marginInlineEnd: 0, paddingInlineEnd: 4 }}
                data-testid={`team-member-${member.employeeNo}`}
              >
                {staffLabel(member)}
                {member.roles.length ? ` · ${member.roles.map((role) => t(`roles.${role}`)).join('、')}` : ''}
                <Switch
                  size="small"
                  checked={member.onDuty}
                  disabled={team.archived}
                  loading={
                    duty.isPending &&
                    duty.variables?.teamId === team.id &&
                    duty.variables.userId === member.id
                  }
                  checkedChildren={t('teams.onDuty')}
                  unCheckedChildren={t('teams.offDuty')}
                  aria-label={t('teams.dutyLabel', { name: member.name })}
                  style={{ marginInlineStart: 6 }}
                  onChange={(onDuty) =>
                    duty.mutate(
                      { teamId: team.id, userId: member.id, onDuty },
                      {
                        onSuccess: () =>
                          void message.success(
                            t(onDuty ? 'teams.onDutyDone' : 'teams.offDutyDone', { name: member.name }),
                          ),
                      },
                    )
                  }
                  data-testid={`team-duty-${member.employeeNo}`}
                />
              </Tag>
            ))}
          </Flex>
        ),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 200,
      fixed: 'right',
      render: (_value, team) => (
        <Flex gap={4} wrap>
          <Button size="small" type="link" onClick={() => setEditing({ mode: 'edit', team })}>
            {t('common.edit')}
          </Button>
          {!team.archived ? (
            <Button
              size="small"
              type="link"
              onClick={() => setEditing({ mode: 'members', team })}
              data-testid={`team-members-${team.name}`}
            >
              {t('teams.editMembers')}
            </Button>
          ) : null}
          <Popconfirm
            title={
              team.archived
                ? t('teams.restoreConfirm', { name: team.name })
                : t('teams.archiveConfirm', { name: team.name })
            }
            okText={team.archived ? t('teams.restore') : t('teams.archive')}
            cancelText={t('common.cancel')}
            onConfirm={() =>
              archive
                .mutateAsync({ id: team.id, body: { archived: !team.archived } })
                .then((saved) => {
                  void message.success(
                    saved.archived
                      ? t('teams.archivedDone', { name: saved.name })
                      : t('teams.restoredDone', { name: saved.name }),
                  );
                })
                .catch(() => undefined)
            }
          >
            <Button size="small" type="link" danger={!team.archived}>
              {team.archived ? t('teams.restore') : t('teams.archive')}
            </Button>
          </Popconfirm>
        </Flex>
      ),
    },
  ];

  const newButton = (
    <Button
      type="primary"
      icon={<PlusOutlined />}
      onClick={() => setEditing({ mode: 'create' })}
      data-testid="team-new"
    >
      {t('teams.new')}
    </Button>
  );

  return (
    <>
      <PageHeader
        title={t('teams.title')}
        extra={
          <>
            <Select<TeamKind>
              aria-label={t('teams.kind.label')}
              allowClear
              placeholder={t('teams.allKinds')}
              value={kind}
              onChange={(value) => setParam('kind', value)}
              options={TEAM_KINDS.map((code) => ({ value: code, label: t(`teams.kind.${code}`) }))}
              style={{ width: 130 }}
            />
            <Checkbox
              checked={includeArchived}
              onChange={(event) => setParam('archived', event.target.checked ? '1' : undefined)}
            >
              {t('teams.includeArchived')}
            </Checkbox>
            {newButton}
          </>
        }
      />
      <Table<Team>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={list.items}
        loading={list.isLoading}
        pagination={false}
        scroll={{ x: 1000 }}
        locale={{
          emptyText: list.isLoading ? ' ' : <EmptyState text={t('teams.empty')} action={newButton} />,
        }}
      />
      <LoadMore
        count={list.items.length}
        hasNextPage={list.hasNextPage}
        isFetchingNextPage={list.isFetchingNextPage}
        fetchNextPage={list.fetchNextPage}
      />

      <FormModal<TeamForm>
        open={editing?.mode === 'create' || editing?.mode === 'edit'}
        title={editingTeam ? t('teams.editTitle', { name: editingTeam.name }) : t('teams.new')}
        form={form}
        saving={create.isPending || update.isPending}
        okText={t('common.save')}
        initialValues={
          editingTeam
            ? { name: editingTeam.name, kind: editingTeam.kind, leaderUserId: editingTeam.leaderUserId }
            : {
                communityId: communityId ?? (communities.length === 1 ? communities[0]?.id : undefined),
                kind: 'repair',
                userIds: [],
              }
        }
        onCancel={() => setEditing(null)}
        onSubmit={(values) => {
          if (editingTeam) {
            update.mutate(
              {
                id: editingTeam.id,
                body: {
                  name: values.name.trim(),
                  kind: values.kind,
                  leaderUserId: values.leaderUserId ?? null,
                },
              },
              {
                onSuccess: (saved) => {
                  void message.success(t('teams.saved', { name: saved.name }));
                  setEditing(null);
                },
              },
            );
            return;
          }
          create.mutate(
            {
              communityId: values.communityId === COMPANY_WIDE ? null : (values.communityId ?? ''),
              name: values.name.trim(),
              kind: values.kind,
              userIds: (values.userIds ?? []).map((member) => member.value),
              leaderUserId: values.leaderUserId ?? null,
            },
            {
              onSuccess: (saved) => {
                void message.success(t('teams.created', { name: saved.name }));
                setEditing(null);
              },
            },
          );
        }}
        testId="team-form"
      >
        {editingTeam ? null : (
          <Form.Item
            name="communityId"
            label={t('teams.community')}
            rules={[{ required: true, message: t('common.requiredSelect', { field: t('teams.community') }) }]}
          >
            <Select
              options={communityOptions}
              showSearch={{ optionFilterProp: 'label' }}
              // members are staff of the chosen community: another community starts the list afresh
              onChange={() => form.setFieldsValue({ userIds: [], leaderUserId: null })}
            />
          </Form.Item>
        )}
        <Flex gap={16}>
          <Form.Item
            name="name"
            label={t('teams.name')}
            style={{ flex: 1 }}
            rules={[
              { required: true, whitespace: true, message: t('common.required', { field: t('teams.name') }) },
            ]}
          >
            <Input maxLength={50} placeholder={t('teams.namePlaceholder')} />
          </Form.Item>
          <Form.Item
            name="kind"
            label={t('teams.kind.label')}
            rules={[{ required: true }]}
            style={{ width: 160 }}
          >
            <Select options={TEAM_KINDS.map((code) => ({ value: code, label: t(`teams.kind.${code}`) }))} />
          </Form.Item>
        </Flex>
        {editingTeam ? null : (
          <Form.Item name="userIds" label={t('teams.members')} extra={t('teams.membersHint')}>
            <StaffMultiPicker
              communityId={formCommunity === COMPANY_WIDE ? null : formCommunity}
              data-testid="team-member-picker"
              onChange={(picked) => {
                // the leader must stay one of the members
                const leader = form.getFieldValue('leaderUserId');
                if (leader && !picked.some((member) => member.value === leader))
                  form.setFieldValue('leaderUserId', null);
              }}
            />
          </Form.Item>
        )}
        <Form.Item name="leaderUserId" label={t('teams.leader')} extra={t('teams.leaderHint')}>
          <Select
            data-testid="team-leader"
            allowClear
            options={leaderOptions}
            placeholder={t('teams.noLeader')}
            notFoundContent={t('teams.noMembers')}
          />
        </Form.Item>
      </FormModal>

      <FormModal<{ userIds: Picked[] }>
        open={membersTeam !== null}
        title={membersTeam ? t('teams.membersTitle', { name: membersTeam.name }) : ''}
        form={membersForm}
        saving={setMembers.isPending}
        okText={t('common.save')}
        initialValues={{
          userIds: (membersTeam?.members ?? []).map((member) => ({
            value: member.id,
            label: staffLabel(member),
          })),
        }}
        onCancel={() => setEditing(null)}
        onSubmit={(values) =>
          membersTeam &&
          setMembers.mutate(
            { id: membersTeam.id, userIds: values.userIds.map((member) => member.value) },
            {
              onSuccess: (saved) => {
                void message.success(t('teams.saved', { name: saved.name }));
                setEditing(null);
              },
            },
          )
        }
        testId="team-members"
      >
        <Form.Item
          name="userIds"
          label={t('teams.members')}
          extra={
            membersTeam?.leader
              ? t('teams.leaderLocked', { name: membersTeam.leader.name })
              : t('teams.membersHint')
          }
        >
          <StaffMultiPicker
            communityId={membersTeam ? membersTeam.communityId : undefined}
            data-testid="team-member-picker"
            locked={membersTeam?.leaderUserId ? [membersTeam.leaderUserId] : []}
          />
        </Form.Item>
      </FormModal>
    </>
  );
}
