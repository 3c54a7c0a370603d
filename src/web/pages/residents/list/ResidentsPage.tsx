import { PlusOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import {
  App,
  Button,
  Form,
  Input,
  type InputRef,
  Radio,
  Table,
  type TableColumnsType,
  Tag,
  Typography,
} from 'antd';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useSearchParams } from 'react-router';
import { api, unwrap } from '../../../api/client';
import { RESIDENT_KINDS, type Resident, type ResidentKind, SALUTATIONS } from '../../../api/types';
import { useCommunity } from '../../../app/community';
import { useT } from '../../../app/i18n';
import { useAccess } from '../../../app/session';
import { LoadMore, useCursorList } from '../../../components/cursorList';
import { EmptyState } from '../../../components/EmptyState';
import { FormModal } from '../../../components/FormModal';
import { formatWhen } from '../../../components/format';
import { useHotkey } from '../../../components/hotkeys';
import { PageHeader } from '../../../components/PageHeader';
import { CommunityPicker, RoomPicker } from '../../../components/pickers';
import { parseRoomQuery } from '../../../components/roomQuery';
import type { Picked } from '../../../components/SearchSelect';

const RESIDENTS_KEY = ['residents'] as const;
const PHONE = /^[0-9+\-\s()]{5,20}$/;

interface ResidentForm {
  communityId?: string;
  roomId?: Picked;
  name: string;
  phone: string;
  salutation?: 'mr' | 'ms';
  kind: ResidentKind;
  notes?: string;
}

function useResidentList(communityId: string | undefined, q: string) {
  // "3-2-1502" is searched as room 1502 and narrowed to that building and unit here (R3).
  const path = useMemo(() => parseRoomQuery(q), [q]);
  const list = useCursorList([...RESIDENTS_KEY, 'list', communityId, q], (cursor) =>
    unwrap(
      api.GET('/api/v1/residents', {
        params: { query: { communityId, q: (path ? path.number : q) || undefined, cursor, limit: 30 } },
      }),
    ),
  );
  const items = useMemo(
    () => (path ? list.items.filter((resident) => path.matches(resident.roomLabel)) : list.items),
    [list.items, path],
  );
  return { ...list, items };
}

export function ResidentsPage() {
  const t = useT();
  const access = useAccess();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const { communityId, communities, nameOf } = useCommunity();
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const [typed, setTyped] = useState(q);
  const searchRef = useRef<InputRef>(null);
  const [creating, setCreating] = useState(false);
  const [form] = Form.useForm<ResidentForm>();
  const formCommunity = Form.useWatch('communityId', form);
  const list = useResidentList(communityId, q);

  useEffect(() => setTyped(q), [q]);
  useHotkey('/', () => searchRef.current?.focus());

  const create = useMutation({
    mutationFn: (values: ResidentForm) =>
      unwrap(
        api.POST('/api/v1/residents', {
          body: {
            communityId: values.communityId ?? '',
            roomId: values.roomId?.value ?? '',
            name: values.name.trim(),
            phone: values.phone.trim(),
            salutation: values.salutation,
            kind: values.kind,
            notes: values.notes?.trim() || undefined,
          },
        }),
      ),
    meta: { form },
    onSuccess: (resident) => {
      void message.success(t('residents.created', { name: resident.name }));
      setCreating(false);
      return queryClient.invalidateQueries({ queryKey: RESIDENTS_KEY });
    },
  });

  const search = (value: string) => {
    const next = new URLSearchParams(params);
    if (value.trim()) next.set('q', value.trim());
    else next.delete('q');
    setParams(next, { replace: true });
  };

  const columns: TableColumnsType<Resident> = [
    {
      title: t('residents.name'),
      dataIndex: 'name',
      width: 140,
      render: (name: string, resident) => (
        <Typography.Text strong>
          {name}
          {resident.salutation ? (
            <Typography.Text type="secondary">
              {' '}
              {t(`residents.salutation.${resident.salutation}`)}
            </Typography.Text>
          ) : null}
        </Typography.Text>
      ),
    },
    { title: t('residents.phone'), dataIndex: 'phone', width: 140 },
    {
      title: t('residents.room'),
      dataIndex: 'roomLabel',
      width: 180,
      render: (label: string, resident) =>
        communities.length > 1 && !communityId ? `${nameOf(resident.communityId)} ${label}` : label,
    },
    {
      title: t('residents.kind.label'),
      dataIndex: 'kind',
      width: 90,
      render: (kind: ResidentKind) => (
        <Tag color={kind === 'owner' ? 'blue' : undefined}>{t(`residents.kind.${kind}`)}</Tag>
      ),
    },
    {
      title: t('residents.notes'),
      dataIndex: 'notes',
      ellipsis: true,
      render: (notes: string | null) => notes ?? '',
    },
    {
      title: t('residents.createdAt'),
      dataIndex: 'createdAt',
      width: 140,
      render: (value: string) => formatWhen(value, t),
    },
  ];

  const newButton = access.editResidents ? (
    <Button
      type="primary"
      icon={<PlusOutlined />}
      onClick={() => setCreating(true)}
      data-testid="resident-new"
    >
      {t('residents.new')}
    </Button>
  ) : null;

  return (
    <>
      <PageHeader
        title={t('residents.title')}
        extra={
          <>
            <Input.Search
              ref={searchRef}
              aria-label={t('common.search')}
              placeholder={t('residents.searchPlaceholder')}
              value={typed}
              onChange={(event) => setTyped(event.target.value)}
              onSearch={search}
              allowClear
              style={{ width: 340 }}
              title={t('common.searchHint')}
            />
            {newButton}
          </>
        }
      />
      <Table<Resident>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={list.items}
        loading={list.isLoading}
        pagination={false}
        scroll={{ x: 900 }}
        locale={{
          emptyText: list.isLoading ? (
            ' '
          ) : (
            <EmptyState text={q ? t('residents.emptySearch') : t('residents.empty')} action={newButton} />
          ),
        }}
      />
      <LoadMore
        count={list.items.length}
        hasNextPage={list.hasNextPage}
        isFetchingNextPage={list.isFetchingNextPage}
        fetchNextPage={list.fetchNextPage}
      />
      <FormModal<ResidentForm>
        open={creating}
        title={t('residents.new')}
        form={form}
        saving={create.isPending}
        initialValues={{
          communityId: communityId ?? (communities.length === 1 ? communities[0]?.id : undefined),
          kind: 'owner',
        }}
        onCancel={() => setCreating(false)}
        onSubmit={(values) => create.mutate(values)}
      >
        <Form.Item
          name="communityId"
          label={t('residents.community')}
          rules={[
            { required: true, message: t('common.requiredSelect', { field: t('residents.community') }) },
          ]}
        >
          <CommunityPicker onChange={() => form.setFieldValue('roomId', undefined)} />
        </Form.Item>
        <Form.Item
          name="roomId"
          label={t('residents.room')}
          rules={[{ required: true, message: t('common.requiredSelect', { field: t('residents.room') }) }]}
        >
          <RoomPicker communityId={formCommunity} />
        </Form.Item>
        <Form.Item
          name="name"
          label={t('residents.name')}
          rules={[
            {
              required: true,
              whitespace: true,
              message: t('common.required', { field: t('residents.name') }),
            },
          ]}
        >
          <Input maxLength={50} />
        </Form.Item>
        <Form.Item
          name="phone"
          label={t('residents.phone')}
          rules={[
            { required: true, message: t('common.required', { field: t('residents.phone') }) },
            { pattern: PHONE, message: t('residents.phoneInvalid') },
          ]}
        >
          <Input inputMode="tel" maxLength={20} />
        </Form.Item>
        <Form.Item name="salutation" label={t('residents.salutation.label')}>
          <Radio.Group
            optionType="button"
            options={SALUTATIONS.map((code) => ({ value: code, label: t(`residents.salutation.${code}`) }))}
          />
        </Form.Item>
        <Form.Item name="kind" label={t('residents.kind.label')} rules={[{ required: true }]}>
          <Radio.Group
            optionType="button"
            options={RESIDENT_KINDS.map((code) => ({ value: code, label: t(`residents.kind.${code}`) }))}
          />
        </Form.Item>
        <Form.Item name="notes" label={t('residents.notes')}>
          <Input.TextArea
            placeholder={t('residents.notesPlaceholder')}
            autoSize={{ minRows: 2, maxRows: 5 }}
            maxLength={500}
          />
        </Form.Item>
      </FormModal>
    </>
  );
}
