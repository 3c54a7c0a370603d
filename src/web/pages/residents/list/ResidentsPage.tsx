import { CloudUploadOutlined, FileExcelOutlined, PlusOutlined, SearchOutlined } from '@ant-design/icons';
import {
  App,
  Button,
  Checkbox,
  Flex,
  Form,
  Input,
  type InputRef,
  Table,
  type TableColumnsType,
  Tooltip,
  Typography,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { type KeyboardEvent, useEffect, useRef, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import type { CareMark, Resident, ResidentKind } from '../../../api/types';
import { useCommunity } from '../../../app/community';
import { useT } from '../../../app/i18n';
import { useAccess } from '../../../app/session';
import { LoadMore } from '../../../components/cursorList';
import { saveFile } from '../../../components/download';
import { EmptyState } from '../../../components/EmptyState';
import { FormModal } from '../../../components/FormModal';
import { useHotkey } from '../../../components/hotkeys';
import { PageHeader } from '../../../components/PageHeader';
import { CommunityPicker, RoomPicker } from '../../../components/pickers';
import type { Picked } from '../../../components/SearchSelect';
import { useDebounced } from '../../../components/useDebounced';
import { ResidentCardDrawer } from '../card/ResidentCardDrawer';
import { PHONE_PATTERN } from '../card/ResidentEditModal';
import { useExportResidents } from '../import/queries';
import { useCreateResident, useResidentList } from '../queries';
import { ResidentFormFields } from '../ResidentFormFields';
import { ArchivedTag, CareTags, KindTag } from '../tags';

const SEARCH_DELAY_MS = 250;

interface ResidentForm {
  communityId?: string;
  roomId?: Picked;
  name: string;
  phone: string;
  salutation?: 'mr' | 'ms';
  kind: ResidentKind;
  care?: CareMark[];
  moveInDate?: Dayjs | null;
  notes?: string;
}

export function ResidentsPage() {
  const t = useT();
  const access = useAccess();
  const { message } = App.useApp();
  const { communityId, communities, nameOf } = useCommunity();
  const [params, setParams] = useSearchParams();
  const [typed, setTyped] = useState(() => params.get('q') ?? '');
  const q = useDebounced(typed.trim(), SEARCH_DELAY_MS);
  const includeArchived = params.get('archived') === '1';
  const openId = params.get('resident') ?? undefined;
  const searchRef = useRef<InputRef>(null);
  const tableRef = useRef<HTMLDivElement>(null);
  const [creating, setCreating] = useState(false);
  const [form] = Form.useForm<ResidentForm>();
  const formCommunity = Form.useWatch('communityId', form);
  const create = useCreateResident(form);
  const list = useResidentList({ communityId, q, includeArchived });
  const exporter = useExportResidents();

  const setParam = (name: string, value: string | undefined) =>
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        if (value) next.set(name, value);
        else next.delete(name);
        return next;
      },
      { replace: true },
    );

  // The search text is kept in the address, so a reload or a shared link shows the same results.
  // biome-ignore lint/correctness/useExhaustiveDependencies: setParam is rebuilt every render
  useEffect(() => setParam('q', q || undefined), [q]);
  useHotkey('/', () => searchRef.current?.focus());

  const open = (resident: Resident) => setParam('resident', resident.id);
  const searchKeys = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === '/' && typed === '') {
      // "/" is the key that brings the user here; in an empty box it is not part of a search
      event.preventDefault();
    } else if (event.key === 'ArrowDown') {
      event.preventDefault();
      tableRef.current?.querySelector<HTMLElement>('tr[data-row-key]')?.focus();
    } else if (event.key === 'Enter') {
      // Enter opens the best match once the results are for what was typed.
      const best = list.items[0];
      if (best && q === typed.trim() && !list.isFetching) open(best);
    }
  };

  const columns: TableColumnsType<Resident> = [
    {
      title: t('residents.name'),
      dataIndex: 'name',
      width: 170,
      render: (name: string, resident) => (
        <Flex gap={6} align="center" wrap>
          <Typography.Text strong>{name}</Typography.Text>
          {resident.salutation ? (
            <Typography.Text type="secondary">
              {t(`residents.salutation.${resident.salutation}`)}
            </Typography.Text>
          ) : null}
          {resident.archived ? <ArchivedTag /> : null}
        </Flex>
      ),
    },
    {
      title: t('residents.room'),
      dataIndex: 'roomLabel',
      width: 190,
      render: (label: string, resident) =>
        communities.length > 1 && !communityId ? (
          <Flex vertical>
            <span>{label}</span>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {nameOf(resident.communityId)}
            </Typography.Text>
          </Flex>
        ) : (
          label
        ),
    },
    {
      title: t('residents.phone'),
      dataIndex: 'phone',
      width: 150,
      render: (phone: string, resident) => (
        <span style={{ fontVariantNumeric: 'tabular-nums' }}>
          {phone}
          {resident.phones.length > 1 ? (
            <Typography.Text type="secondary" title={resident.phones.join('、')}>
              {' '}
              {t('residents.morePhones', { count: resident.phones.length - 1 })}
            </Typography.Text>
          ) : null}
        </span>
      ),
    },
    {
      title: t('residents.kind.label'),
      dataIndex: 'kind',
      width: 90,
      render: (kind: ResidentKind) => <KindTag kind={kind} />,
    },
    {
      title: t('residents.care.label'),
      dataIndex: 'care',
      width: 200,
      render: (care: CareMark[]) => <CareTags care={care} />,
    },
    {
      title: t('residents.notes'),
      dataIndex: 'notes',
      ellipsis: true,
      render: (notes: string | null) => notes ?? '',
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
            {access.exportResidents ? (
              <Tooltip title={communityId ? t('imports.exportHint') : t('imports.exportChooseCommunity')}>
                <Button
                  icon={<FileExcelOutlined />}
                  disabled={!communityId}
                  loading={exporter.isPending}
                  onClick={() =>
                    communityId &&
                    exporter.mutate(communityId, {
                      onSuccess: (file) => {
                        saveFile(file);
                        void message.success(t('imports.exported', { file: file.fileName }));
                      },
                    })
                  }
                  data-testid="resident-export"
                >
                  {t('imports.export')}
                </Button>
              </Tooltip>
            ) : null}
            {access.importResidents ? (
              <Link to="/residents/import">
                <Button icon={<CloudUploadOutlined />} data-testid="resident-import">
                  {t('imports.open')}
                </Button>
              </Link>
            ) : null}
            {newButton}
          </>
        }
      />
      <Flex gap={16} align="center" wrap style={{ marginBottom: 16 }}>
        <Input
          ref={searchRef}
          size="large"
          prefix={<SearchOutlined aria-hidden />}
          aria-label={t('residents.searchLabel')}
          placeholder={t('residents.searchPlaceholder')}
          value={typed}
          onChange={(event) => setTyped(event.target.value)}
          onKeyDown={searchKeys}
          allowClear
          autoFocus
          maxLength={50}
          style={{ maxWidth: 560, flex: '1 1 360px' }}
          title={t('common.searchHint')}
          data-testid="resident-search"
        />
        <Checkbox
          checked={includeArchived}
          onChange={(event) => setParam('archived', event.target.checked ? '1' : undefined)}
        >
          {t('residents.includeArchived')}
        </Checkbox>
        <Typography.Text type="secondary">{t('residents.searchKeysHint')}</Typography.Text>
      </Flex>
      <div ref={tableRef}>
        <Table<Resident>
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={list.items}
          loading={list.isLoading || (list.isFetching && !list.isFetchingNextPage)}
          pagination={false}
          scroll={{ x: 980 }}
          rowClassName="clickable-row"
          onRow={(resident, index) => ({
            onClick: () => open(resident),
            onKeyDown: (event) => {
              const row = event.currentTarget as HTMLElement;
              if (event.key === 'Enter') open(resident);
              else if (event.key === 'ArrowDown') {
                event.preventDefault();
                (row.nextElementSibling as HTMLElement | null)?.focus();
              } else if (event.key === 'ArrowUp') {
                event.preventDefault();
                if (index === 0) searchRef.current?.focus();
                else (row.previousElementSibling as HTMLElement | null)?.focus();
              }
            },
            tabIndex: 0,
            'data-testid': 'resident-row',
          })}
          locale={{
            emptyText: list.isLoading ? (
              ' '
            ) : (
              <EmptyState text={q ? t('residents.emptySearch') : t('residents.empty')} action={newButton} />
            ),
          }}
        />
      </div>
      <LoadMore
        count={list.items.length}
        hasNextPage={list.hasNextPage}
        isFetchingNextPage={list.isFetchingNextPage}
        fetchNextPage={list.fetchNextPage}
      />
      <ResidentCardDrawer
        residentId={openId}
        onClose={() => setParam('resident', undefined)}
        onOpenResident={(id) => setParam('resident', id)}
      />
      <FormModal<ResidentForm>
        open={creating}
        title={t('residents.new')}
        form={form}
        saving={create.isPending}
        initialValues={{
          communityId: communityId ?? (communities.length === 1 ? communities[0]?.id : undefined),
          kind: 'owner',
          care: [],
        }}
        onCancel={() => setCreating(false)}
        onSubmit={(values) =>
          create.mutate(
            {
              communityId: values.communityId ?? '',
              roomId: values.roomId?.value ?? '',
              name: values.name.trim(),
              phone: values.phone.trim(),
              salutation: values.salutation,
              kind: values.kind,
              care: values.care?.length ? values.care : undefined,
              moveInDate: values.moveInDate ? values.moveInDate.format('YYYY-MM-DD') : undefined,
              notes: values.notes?.trim() || undefined,
            },
            {
              onSuccess: (resident) => {
                void message.success(t('residents.created', { name: resident.name }));
                setCreating(false);
                open(resident);
              },
            },
          )
        }
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
        <Flex gap={16}>
          <Form.Item
            name="name"
            label={t('residents.name')}
            style={{ flex: 1 }}
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
            style={{ flex: 1 }}
            rules={[
              { required: true, message: t('common.required', { field: t('residents.phone') }) },
              { pattern: PHONE_PATTERN, message: t('residents.phoneInvalid') },
            ]}
          >
            <Input inputMode="tel" maxLength={20} />
          </Form.Item>
        </Flex>
        <ResidentFormFields />
      </FormModal>
    </>
  );
}
