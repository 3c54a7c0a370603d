import { PlusOutlined, SyncOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Flex,
  Modal,
  Popconfirm,
  Select,
  Table,
  type TableColumnsType,
  Tag,
  Typography,
} from 'antd';
import { useMemo, useState } from 'react';
import { TICKET_PRIORITIES, TICKET_TYPES } from '../../../api/types';
import { useCommunity } from '../../../app/community';
import { useT } from '../../../app/i18n';
import { useAccess } from '../../../app/session';
import { EmptyState } from '../../../components/EmptyState';
import { useCategoryNames } from '../../tickets/categories';
import { type PolicyEditing, PolicyModal } from './PolicyModal';
import { formatPolicyMinutes, matchesPolicyFilter, type PolicyFilter, sortPolicies } from './policyForm';
import { SLA_TARGETS, type SlaPolicy, useDeletePolicy, useReapply, useSlaPolicies } from './queries';

interface ReapplyDone {
  name: string;
  count: number;
}

/** Re-applies today's policies to one community's running clocks, after a confirmation (admin). */
function ReapplyButton({
  defaultCommunityId,
  onDone,
}: {
  defaultCommunityId: string | undefined;
  onDone: (result: ReapplyDone) => void;
}) {
  const t = useT();
  const { message } = App.useApp();
  const { communities, nameOf } = useCommunity();
  const [open, setOpen] = useState(false);
  const [communityId, setCommunityId] = useState<string | undefined>(undefined);
  const reapply = useReapply();

  const start = () => {
    setCommunityId(defaultCommunityId ?? communities[0]?.id);
    setOpen(true);
  };
  const confirm = () => {
    if (!communityId) return;
    reapply.mutate(communityId, {
      onSuccess: ({ recomputed }) => {
        const done = { name: nameOf(communityId), count: recomputed };
        onDone(done);
        setOpen(false);
        void message.success(t('slaSettings.reapply.done', done));
      },
    });
  };

  return (
    <>
      <Button icon={<SyncOutlined />} onClick={start} data-testid="sla-reapply">
        {t('slaSettings.reapply.button')}
      </Button>
      <Modal
        open={open}
        title={t('slaSettings.reapply.title')}
        okText={t('slaSettings.reapply.ok')}
        okButtonProps={{ disabled: !communityId, danger: true }}
        confirmLoading={reapply.isPending}
        onOk={confirm}
        onCancel={() => setOpen(false)}
        destroyOnHidden
        data-testid="sla-reapply-dialog"
      >
        <Flex vertical gap={12}>
          <Typography.Paragraph style={{ margin: 0 }}>
            {t('slaSettings.reapply.confirm')}
          </Typography.Paragraph>
          <Flex gap={8} align="center">
            <Typography.Text>{t('slaSettings.reapply.community')}</Typography.Text>
            <Select
              value={communityId}
              onChange={setCommunityId}
              options={communities.map((community) => ({ value: community.id, label: community.name }))}
              showSearch={{ optionFilterProp: 'label' }}
              style={{ minWidth: 200 }}
              aria-label={t('slaSettings.reapply.community')}
            />
          </Flex>
        </Flex>
      </Modal>
    </>
  );
}

/**
 * The policies: the company's defaults and the communities' overrides, filterable by scope, type,
 * priority and target; add, change (time, counting, warning) and delete where the user may.
 */
export function PoliciesTab() {
  const t = useT();
  const { message } = App.useApp();
  const access = useAccess();
  const { communities, communityId: headerCommunityId, nameOf } = useCommunity();
  const { data: policies, isLoading } = useSlaPolicies(headerCommunityId);
  const categoryNames = useCategoryNames();
  const remove = useDeletePolicy();
  const [filter, setFilter] = useState<PolicyFilter>({ scope: 'all' });
  const [editing, setEditing] = useState<PolicyEditing>(null);
  const [reapplied, setReapplied] = useState<ReapplyDone | null>(null);

  const scopeCommunities = headerCommunityId ? [headerCommunityId] : communities.map((c) => c.id);
  // a community filter left over from another header choice shows everything again
  const scope =
    filter.scope === 'all' || filter.scope === 'company' || scopeCommunities.includes(filter.scope)
      ? filter.scope
      : 'all';
  const rows = useMemo(
    () =>
      sortPolicies(
        (policies ?? []).filter((policy) => matchesPolicyFilter(policy, { ...filter, scope })),
        { targets: SLA_TARGETS, types: TICKET_TYPES, priorities: TICKET_PRIORITIES, communityName: nameOf },
      ),
    [policies, filter, scope, nameOf],
  );
  const canEdit = (policy: SlaPolicy) =>
    policy.communityId === null ? access.editCompanySla : access.editSlaSettings;
  const anyText = (text: string) => <Typography.Text type="secondary">{text}</Typography.Text>;

  const columns: TableColumnsType<SlaPolicy> = [
    {
      title: t('slaSettings.policy.scope'),
      key: 'scope',
      width: 120,
      render: (_value, policy) =>
        policy.communityId ? (
          <Tag color="blue" style={{ marginInlineEnd: 0 }}>
            {nameOf(policy.communityId)}
          </Tag>
        ) : (
          <Tag style={{ marginInlineEnd: 0 }}>{t('slaSettings.scope.company')}</Tag>
        ),
    },
    {
      title: t('slaSettings.policy.target'),
      dataIndex: 'target',
      width: 130,
      render: (target: SlaPolicy['target']) => (
        <Typography.Text strong>{t(`sla.target.${target}`)}</Typography.Text>
      ),
    },
    {
      title: t('slaSettings.policy.type'),
      dataIndex: 'ticketType',
      width: 110,
      render: (type: SlaPolicy['ticketType']) =>
        type ? t(`tickets.type.${type}`) : anyText(t('slaSettings.any.type')),
    },
    {
      title: t('slaSettings.policy.priority'),
      dataIndex: 'priority',
      width: 110,
      render: (priority: SlaPolicy['priority']) =>
        priority ? t(`tickets.priority.${priority}`) : anyText(t('slaSettings.any.priority')),
    },
    {
      title: t('slaSettings.policy.category'),
      dataIndex: 'categoryId',
      ellipsis: true,
      render: (id: string | null) =>
        id ? (categoryNames.get(id) ?? id) : anyText(t('slaSettings.any.category')),
    },
    {
      title: t('slaSettings.policy.duration'),
      key: 'minutes',
      width: 130,
      render: (_value, policy) =>
        policy.minutes === null ? (
          <Tag style={{ marginInlineEnd: 0 }}>{t('slaSettings.minutes.none')}</Tag>
        ) : (
          <span data-testid="sla-policy-minutes">
            {formatPolicyMinutes(policy.minutes, t, policy.businessHours)}
          </span>
        ),
    },
    {
      title: t('slaSettings.policy.mode'),
      dataIndex: 'businessHours',
      width: 110,
      render: (businessHours: boolean, policy) =>
        policy.minutes === null ? (
          '—'
        ) : businessHours ? (
          <Tag color="gold" style={{ marginInlineEnd: 0 }}>
            {t('slaSettings.policy.businessHours')}
          </Tag>
        ) : (
          t('slaSettings.policy.allDayShort')
        ),
    },
    {
      title: t('slaSettings.policy.warn'),
      dataIndex: 'warnPercent',
      width: 70,
      align: 'right',
      render: (percent: number, policy) => (policy.minutes === null ? '—' : `${percent}%`),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 120,
      render: (_value, policy) =>
        canEdit(policy) ? (
          <Flex gap={4}>
            <Button
              size="small"
              type="link"
              onClick={() => setEditing({ mode: 'edit', policy })}
              data-testid="sla-policy-edit"
            >
              {t('common.edit')}
            </Button>
            <Popconfirm
              title={t('slaSettings.policy.deleteConfirm', { target: t(`sla.target.${policy.target}`) })}
              okText={t('slaSettings.policy.delete')}
              okButtonProps={{ danger: true }}
              cancelText={t('common.cancel')}
              onConfirm={() =>
                remove
                  .mutateAsync(policy.id)
                  .then(() =>
                    message.success(
                      t('slaSettings.policy.deleted', { target: t(`sla.target.${policy.target}`) }),
                    ),
                  )
                  .catch(() => undefined)
              }
            >
              <Button size="small" type="link" danger data-testid="sla-policy-delete">
                {t('slaSettings.policy.delete')}
              </Button>
            </Popconfirm>
          </Flex>
        ) : null,
    },
  ];

  const canAdd = access.editCompanySla || (access.editSlaSettings && communities.length > 0);

  return (
    <Flex vertical gap={12}>
      <Alert
        type="info"
        showIcon
        title={
          <>
            {t('slaSettings.policy.note')}
            {access.editCompanySla ? t('slaSettings.policy.noteAdmin') : null}
          </>
        }
        description={t('slaSettings.policy.specificHint')}
        data-testid="sla-policy-note"
      />
      <Flex gap={8} wrap align="center" justify="space-between">
        <Flex gap={8} wrap align="center">
          <Select
            value={scope}
            onChange={(value: string) => setFilter((f) => ({ ...f, scope: value }))}
            aria-label={t('slaSettings.scope.label')}
            style={{ width: 150 }}
            options={[
              { value: 'all', label: t('slaSettings.scope.all') },
              { value: 'company', label: t('slaSettings.scope.company') },
              ...scopeCommunities.map((id) => ({ value: id, label: nameOf(id) })),
            ]}
            data-testid="sla-filter-scope"
          />
          <Select
            allowClear
            value={filter.target}
            onChange={(value?: string) => setFilter((f) => ({ ...f, target: value }))}
            placeholder={t('slaSettings.policy.target')}
            aria-label={t('slaSettings.policy.target')}
            style={{ width: 140 }}
            options={SLA_TARGETS.map((target) => ({ value: target, label: t(`sla.target.${target}`) }))}
          />
          <Select
            allowClear
            value={filter.ticketType}
            onChange={(value?: string) => setFilter((f) => ({ ...f, ticketType: value }))}
            placeholder={t('slaSettings.any.type')}
            aria-label={t('slaSettings.policy.type')}
            style={{ width: 130 }}
            options={TICKET_TYPES.map((type) => ({ value: type, label: t(`tickets.type.${type}`) }))}
          />
          <Select
            allowClear
            value={filter.priority}
            onChange={(value?: string) => setFilter((f) => ({ ...f, priority: value }))}
            placeholder={t('slaSettings.any.priority')}
            aria-label={t('slaSettings.policy.priority')}
            style={{ width: 130 }}
            options={TICKET_PRIORITIES.map((priority) => ({
              value: priority,
              label: t(`tickets.priority.${priority}`),
            }))}
          />
          <Typography.Text type="secondary">
            {t('slaSettings.policy.count', { count: rows.length })}
          </Typography.Text>
        </Flex>
        <Flex gap={8} wrap align="center">
          {access.editCompanySla && communities.length > 0 ? (
            <ReapplyButton defaultCommunityId={headerCommunityId} onDone={setReapplied} />
          ) : null}
          {canAdd ? (
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => setEditing({ mode: 'create' })}
              data-testid="sla-policy-new"
            >
              {t('slaSettings.policy.new')}
            </Button>
          ) : null}
        </Flex>
      </Flex>
      {reapplied ? (
        <Alert
          type="success"
          showIcon
          closable={{ onClose: () => setReapplied(null) }}
          title={t('slaSettings.reapply.done', { ...reapplied })}
          data-testid="sla-reapply-result"
        />
      ) : null}
      <Table<SlaPolicy>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={rows}
        loading={isLoading}
        pagination={rows.length > 50 ? { pageSize: 50, showSizeChanger: false } : false}
        scroll={{ x: 1000 }}
        locale={{ emptyText: isLoading ? ' ' : <EmptyState text={t('slaSettings.policy.empty')} /> }}
        onRow={(policy) =>
          ({ 'data-testid': `sla-policy-${policy.id}` }) as React.HTMLAttributes<HTMLElement>
        }
        data-testid="sla-policies"
      />
      <PolicyModal
        editing={editing}
        defaultCommunityId={headerCommunityId}
        onClose={() => setEditing(null)}
      />
    </Flex>
  );
}
