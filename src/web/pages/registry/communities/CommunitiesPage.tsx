import { PlusOutlined } from '@ant-design/icons';
import { App, Button, Form, Input, Select, Table, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import type { Community, CommunityCreate } from '../../../api/types';
import { useCommunities } from '../../../app/community';
import { useT } from '../../../app/i18n';
import { useAccess } from '../../../app/session';
import { EmptyState } from '../../../components/EmptyState';
import { FormModal } from '../../../components/FormModal';
import { formatWhen } from '../../../components/format';
import { PageHeader } from '../../../components/PageHeader';
import { DEFAULT_TIME_ZONE, timeZoneOptions } from '../../../components/timeZones';
import { useCreateCommunity } from '../queries';

export function CommunitiesPage() {
  const t = useT();
  const access = useAccess();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const { data, isLoading } = useCommunities();
  const [creating, setCreating] = useState(false);
  const [form] = Form.useForm<CommunityCreate>();
  const create = useCreateCommunity(form);

  const columns: TableColumnsType<Community> = [
    { title: t('registry.communities.name'), dataIndex: 'name' },
    { title: t('registry.communities.code'), dataIndex: 'code', width: 120 },
    {
      title: t('registry.communities.address'),
      dataIndex: 'address',
      ellipsis: true,
      render: (value: string | null) => value ?? '—',
    },
    { title: t('registry.communities.timeZone'), dataIndex: 'timeZone', width: 150 },
    {
      title: t('registry.communities.createdAt'),
      dataIndex: 'createdAt',
      width: 150,
      render: (value: string) => formatWhen(value, t),
    },
    {
      title: t('common.actions'),
      key: 'open',
      width: 140,
      render: (_value, community) => (
        <Link to={`/registry/communities/${community.id}`} onClick={(event) => event.stopPropagation()}>
          {t('registry.communities.open')}
        </Link>
      ),
    },
  ];

  const newButton = access.createCommunities ? (
    <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
      {t('registry.communities.new')}
    </Button>
  ) : null;

  return (
    <>
      <PageHeader title={t('registry.communities.title')} extra={newButton} />
      <Table<Community>
        rowKey="id"
        columns={columns}
        dataSource={data ?? []}
        loading={isLoading}
        pagination={false}
        scroll={{ x: 800 }}
        rowClassName="clickable-row"
        onRow={(community) => ({ onClick: () => navigate(`/registry/communities/${community.id}`) })}
        locale={{
          emptyText: isLoading ? (
            ' '
          ) : (
            <EmptyState
              text={
                access.createCommunities
                  ? t('registry.communities.empty')
                  : t('registry.communities.emptyReadOnly')
              }
              action={newButton}
            />
          ),
        }}
      />
      <FormModal<CommunityCreate>
        open={creating}
        title={t('registry.communities.new')}
        form={form}
        saving={create.isPending}
        initialValues={{ timeZone: DEFAULT_TIME_ZONE }}
        onCancel={() => setCreating(false)}
        onSubmit={(values) =>
          create.mutate(
            { ...values, address: values.address?.trim() || undefined },
            {
              onSuccess: (community) => {
                void message.success(t('registry.created', { name: community.name }));
                setCreating(false);
              },
            },
          )
        }
      >
        <Form.Item
          name="name"
          label={t('registry.communities.name')}
          rules={[
            {
              required: true,
              whitespace: true,
              message: t('common.required', { field: t('registry.communities.name') }),
            },
          ]}
        >
          <Input maxLength={100} autoFocus />
        </Form.Item>
        <Form.Item
          name="code"
          label={t('registry.communities.code')}
          extra={t('registry.communities.codeHint')}
          rules={[
            {
              required: true,
              whitespace: true,
              message: t('common.required', { field: t('registry.communities.code') }),
            },
          ]}
        >
          <Input maxLength={20} />
        </Form.Item>
        <Form.Item name="address" label={t('registry.communities.address')}>
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item name="timeZone" label={t('registry.communities.timeZone')}>
          <Select showSearch={{ optionFilterProp: 'label' }} options={timeZoneOptions()} />
        </Form.Item>
      </FormModal>
    </>
  );
}
