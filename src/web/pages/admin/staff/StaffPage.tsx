import { PlusOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import {
  App,
  Button,
  Checkbox,
  Flex,
  Form,
  Input,
  type InputRef,
  Popconfirm,
  Select,
  Table,
  type TableColumnsType,
  Tag,
  Typography,
} from 'antd';
import { useRef, useState } from 'react';
import { useSearchParams } from 'react-router';
import { api, unwrap } from '../../../api/client';
import { ROLES, type Role, type Staff } from '../../../api/types';
import { useCommunity } from '../../../app/community';
import { useT } from '../../../app/i18n';
import { useCurrentUser } from '../../../app/session';
import { LoadMore, useCursorList } from '../../../components/cursorList';
import { EmptyState } from '../../../components/EmptyState';
import { FormModal } from '../../../components/FormModal';
import { formatFull, formatWhen } from '../../../components/format';
import { useHotkey } from '../../../components/hotkeys';
import { PageHeader } from '../../../components/PageHeader';

const STAFF_KEY = ['staff'] as const;
const MIN_PASSWORD = 8;

interface StaffForm {
  username: string;
  employeeNo: string;
  name: string;
  phone?: string;
  roles: Role[];
  communityIds: string[];
  allCommunities: boolean;
  password: string;
}

type Editing = { mode: 'create' } | { mode: 'edit'; staff: Staff } | null;

export function StaffPage() {
  const t = useT();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const me = useCurrentUser();
  const { communities, nameOf } = useCommunity();
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const searchRef = useRef<InputRef>(null);
  const [editing, setEditing] = useState<Editing>(null);
  const [resetting, setResetting] = useState<Staff | null>(null);
  const [form] = Form.useForm<StaffForm>();
  const [resetForm] = Form.useForm<{ newPassword: string }>();
  const allCommunities = Form.useWatch('allCommunities', form);

  useHotkey('/', () => searchRef.current?.focus());

  const list = useCursorList([...STAFF_KEY, q], (cursor) =>
    unwrap(api.GET('/api/v1/staff', { params: { query: { q: q || undefined, cursor, limit: 50 } } })),
  );
  const refresh = () => queryClient.invalidateQueries({ queryKey: STAFF_KEY });

  const save = useMutation({
    mutationFn: (values: StaffForm) => {
      const communityIds = values.allCommunities ? [] : (values.communityIds ?? []);
      const phone = values.phone?.trim() || undefined;
      if (editing?.mode === 'edit') {
        return unwrap(
          api.PATCH('/api/v1/staff/{id}', {
            params: { path: { id: editing.staff.id } },
            body: {
              name: values.name.trim(),
              phone: phone ?? null,
              roles: values.roles,
              communityIds,
              allCommunities: values.allCommunities,
            },
          }),
        );
      }
      return unwrap(
        api.POST('/api/v1/staff', {
          body: {
            username: values.username.trim(),
            employeeNo: values.employeeNo.trim(),
            name: values.name.trim(),
            phone,
            roles: values.roles,
            communityIds,
            allCommunities: values.allCommunities,
            password: values.password,
          },
        }),
      );
    },
    meta: { form },
    onSuccess: (staff) => {
      void message.success(
        editing?.mode === 'edit' ? t('common.saved') : t('staff.created', { name: staff.name }),
      );
      setEditing(null);
      return refresh();
    },
  });

  const toggle = useMutation({
    mutationFn: (staff: Staff) =>
      unwrap(
        api.PATCH('/api/v1/staff/{id}', {
          params: { path: { id: staff.id } },
          body: { disabled: !staff.disabled },
        }),
      ),
    onSuccess: (staff) => {
      void message.success(
        staff.disabled
          ? t('staff.disabledDone', { name: staff.name })
          : t('staff.enabledDone', { name: staff.name }),
      );
      return refresh();
    },
  });

  const reset = useMutation({
    mutationFn: ({ staff, newPassword }: { staff: Staff; newPassword: string }) =>
      unwrap(
        api.POST('/api/v1/staff/{id}/reset-password', {
          params: { path: { id: staff.id } },
          body: { newPassword },
        }),
      ),
    meta: { form: resetForm },
    onSuccess: (_result, { staff }) => {
      void message.success(t('staff.resetDone', { name: staff.name }));
      setResetting(null);
      return refresh();
    },
  });

  const search = (value: string) => {
    const next = new URLSearchParams(params);
    if (value.trim()) next.set('q', value.trim());
    else next.delete('q');
    setParams(next, { replace: true });
  };

  const columns: TableColumnsType<Staff> = [
    { title: t('staff.employeeNo'), dataIndex: 'employeeNo', width: 100 },
    {
      title: t('staff.name'),
      dataIndex: 'name',
      width: 160,
      render: (name: string, staff) => (
        <Flex vertical>
          <Typography.Text strong>{name}</Typography.Text>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {staff.username}
          </Typography.Text>
        </Flex>
      ),
    },
    {
      title: t('staff.phone'),
      dataIndex: 'phone',
      width: 130,
      render: (phone: string | null) => phone ?? '—',
    },
    {
      title: t('staff.roles'),
      dataIndex: 'roles',
      render: (roles: Role[]) => (
        <Flex wrap gap={4}>
          {roles.map((role) => (
            <Tag key={role} color={role === 'admin' ? 'gold' : undefined} style={{ marginInlineEnd: 0 }}>
              {t(`roles.${role}`)}
            </Tag>
          ))}
        </Flex>
      ),
    },
    {
      title: t('staff.communities'),
      key: 'communities',
      width: 180,
      ellipsis: true,
      render: (_value, staff) =>
        staff.allCommunities ? t('staff.allCommunities') : staff.communityIds.map(nameOf).join('、') || '—',
    },
    {
      title: t('staff.status'),
      key: 'status',
      width: 150,
      render: (_value, staff) => (
        <Flex wrap gap={4}>
          {staff.disabled ? (
            <Tag color="red">{t('staff.disabled')}</Tag>
          ) : (
            <Tag color="green">{t('staff.active')}</Tag>
          )}
          {staff.mustChangePassword && !staff.disabled ? (
            <Tag color="orange">{t('staff.mustChangePassword')}</Tag>
          ) : null}
        </Flex>
      ),
    },
    {
      title: t('staff.lastLoginAt'),
      dataIndex: 'lastLoginAt',
      width: 130,
      render: (value: string | null) =>
        value ? <span title={formatFull(value, t)}>{formatWhen(value, t)}</span> : t('staff.never'),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 240,
      fixed: 'right',
      render: (_value, staff) => (
        <Flex gap={4} wrap>
          <Button size="small" type="link" onClick={() => setEditing({ mode: 'edit', staff })}>
            {t('common.edit')}
          </Button>
          <Button size="small" type="link" onClick={() => setResetting(staff)}>
            {t('staff.resetPassword')}
          </Button>
          {staff.id === me.id ? null : staff.disabled ? (
            <Button size="small" type="link" onClick={() => toggle.mutate(staff)}>
              {t('staff.enable')}
            </Button>
          ) : (
            <Popconfirm
              title={t('staff.disableConfirm', { name: staff.name })}
              okText={t('staff.disable')}
              cancelText={t('common.cancel')}
              okButtonProps={{ danger: true }}
              onConfirm={() => toggle.mutateAsync(staff)}
            >
              <Button size="small" type="link" danger>
                {t('staff.disable')}
              </Button>
            </Popconfirm>
          )}
        </Flex>
      ),
    },
  ];

  const newButton = (
    <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({ mode: 'create' })}>
      {t('staff.new')}
    </Button>
  );
  const editingStaff = editing?.mode === 'edit' ? editing.staff : null;

  return (
    <>
      <PageHeader
        title={t('staff.title')}
        extra={
          <>
            <Input.Search
              ref={searchRef}
              aria-label={t('common.search')}
              placeholder={t('staff.searchPlaceholder')}
              defaultValue={q}
              onSearch={search}
              allowClear
              style={{ width: 300 }}
              title={t('common.searchHint')}
            />
            {newButton}
          </>
        }
      />
      <Table<Staff>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={list.items}
        loading={list.isLoading}
        pagination={false}
        scroll={{ x: 1300 }}
        locale={{
          emptyText: list.isLoading ? (
            ' '
          ) : (
            <EmptyState
              text={q ? t('staff.emptySearch') : t('staff.empty')}
              action={q ? undefined : newButton}
            />
          ),
        }}
      />
      <LoadMore
        count={list.items.length}
        hasNextPage={list.hasNextPage}
        isFetchingNextPage={list.isFetchingNextPage}
        fetchNextPage={list.fetchNextPage}
      />

      <FormModal<StaffForm>
        open={editing !== null}
        title={editingStaff ? `${t('staff.edit')} · ${editingStaff.name}` : t('staff.new')}
        form={form}
        saving={save.isPending}
        initialValues={
          editingStaff
            ? {
                username: editingStaff.username,
                employeeNo: editingStaff.employeeNo,
                name: editingStaff.name,
                phone: editingStaff.phone ?? undefined,
                roles: editingStaff.roles,
                communityIds: editingStaff.communityIds,
                allCommunities: editingStaff.allCommunities,
              }
            : { roles: ['agent'], communityIds: [], allCommunities: false }
        }
        onCancel={() => setEditing(null)}
        onSubmit={(values) => save.mutate(values)}
      >
        <Flex gap={16}>
          <Form.Item
            name="username"
            label={t('staff.username')}
            extra={editingStaff ? undefined : t('staff.usernameHint')}
            style={{ flex: 1 }}
            rules={[
              {
                required: true,
                whitespace: true,
                message: t('common.required', { field: t('staff.username') }),
              },
            ]}
          >
            <Input disabled={!!editingStaff} maxLength={50} autoComplete="off" />
          </Form.Item>
          <Form.Item
            name="employeeNo"
            label={t('staff.employeeNo')}
            style={{ flex: 1 }}
            rules={[
              {
                required: true,
                whitespace: true,
                message: t('common.required', { field: t('staff.employeeNo') }),
              },
            ]}
          >
            <Input disabled={!!editingStaff} maxLength={20} autoComplete="off" />
          </Form.Item>
        </Flex>
        <Flex gap={16}>
          <Form.Item
            name="name"
            label={t('staff.name')}
            style={{ flex: 1 }}
            rules={[
              { required: true, whitespace: true, message: t('common.required', { field: t('staff.name') }) },
            ]}
          >
            <Input maxLength={50} />
          </Form.Item>
          <Form.Item name="phone" label={t('staff.phone')} style={{ flex: 1 }}>
            <Input inputMode="tel" maxLength={20} />
          </Form.Item>
        </Flex>
        <Form.Item
          name="roles"
          label={t('staff.roles')}
          rules={[{ required: true, message: t('common.requiredSelect', { field: t('staff.roles') }) }]}
        >
          <Select
            mode="multiple"
            showSearch={{ optionFilterProp: 'label' }}
            options={ROLES.map((role) => ({ value: role, label: t(`roles.${role}`) }))}
          />
        </Form.Item>
        <Form.Item
          name="allCommunities"
          valuePropName="checked"
          style={{ marginBottom: 8 }}
          extra={t('staff.allCommunitiesHint')}
        >
          <Checkbox>{t('staff.allCommunities')}</Checkbox>
        </Form.Item>
        {allCommunities ? null : (
          <Form.Item
            name="communityIds"
            label={t('staff.communities')}
            rules={[{ required: true, message: t('staff.communitiesRequired') }]}
          >
            <Select
              mode="multiple"
              showSearch={{ optionFilterProp: 'label' }}
              options={communities.map((community) => ({ value: community.id, label: community.name }))}
            />
          </Form.Item>
        )}
        {editingStaff ? null : (
          <Form.Item
            name="password"
            label={t('staff.password')}
            extra={t('staff.passwordHint')}
            rules={[
              { required: true, message: t('common.required', { field: t('staff.password') }) },
              { min: MIN_PASSWORD, message: t('me.password.tooShort') },
            ]}
          >
            <Input.Password autoComplete="new-password" />
          </Form.Item>
        )}
      </FormModal>

      <FormModal<{ newPassword: string }>
        open={resetting !== null}
        title={resetting ? t('staff.resetPasswordTitle', { name: resetting.name }) : ''}
        form={resetForm}
        saving={reset.isPending}
        okText={t('staff.resetPassword')}
        onCancel={() => setResetting(null)}
        onSubmit={(values) =>
          resetting && reset.mutate({ staff: resetting, newPassword: values.newPassword })
        }
      >
        <Form.Item
          name="newPassword"
          label={t('staff.newPassword')}
          extra={t('staff.passwordHint')}
          rules={[
            { required: true, message: t('common.required', { field: t('staff.newPassword') }) },
            { min: MIN_PASSWORD, message: t('me.password.tooShort') },
          ]}
        >
          <Input.Password autoComplete="new-password" autoFocus />
        </Form.Item>
      </FormModal>
    </>
  );
}
