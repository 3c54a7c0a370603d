import { PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import {
  App,
  Button,
  Card,
  Checkbox,
  Descriptions,
  Empty,
  Flex,
  Form,
  Input,
  InputNumber,
  Popconfirm,
  Radio,
  Select,
  Skeleton,
  Table,
  type TableColumnsType,
  Tag,
  Tree,
  type TreeDataNode,
  Typography,
} from 'antd';
import { useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import { api, unwrap } from '../../../api/client';
import {
  type CategoryPrice,
  DISPATCH_MODES,
  type DispatchMode,
  type TicketCategory,
  type TicketSubcategory,
} from '../../../api/types';
import { useCommunity } from '../../../app/community';
import { useT } from '../../../app/i18n';
import { EmptyState } from '../../../components/EmptyState';
import { FormModal } from '../../../components/FormModal';
import { PageHeader } from '../../../components/PageHeader';
import { loadPinyinKeys } from '../../../components/pinyin';
import { useCategories } from '../../tickets/categories';
import { useCreateCategory, useCreatePrice, usePrices, useUpdateCategory, useUpdatePrice } from './queries';

type Category = TicketCategory | TicketSubcategory;

interface CategoryForm {
  name: string;
  code?: string;
  dispatchMode: DispatchMode;
  teamId?: string | null;
  sort?: number | null;
}

interface PriceForm {
  name: string;
  unit: string;
  price: number;
  note?: string;
  sort?: number | null;
}

type CategoryEditing =
  | { mode: 'create'; parent: TicketCategory | null }
  | { mode: 'edit'; category: Category }
  | null;
type PriceEditing = { mode: 'create' } | { mode: 'edit'; price: CategoryPrice } | null;

const CODE = /^[a-z0-9_]+$/;
const yuan = (value: number) => `¥${value.toFixed(2)}`;

/** A code from the name's pinyin ("漏水渗水" → "loushuishenshui"), for the admin to accept or change. */
async function suggestCode(name: string): Promise<string> {
  const keysOf = await loadPinyinKeys();
  return keysOf(name)
    .pinyin.replace(/[^a-z0-9]/g, '')
    .slice(0, 40);
}

/** Every category by id, the first level with its children. */
function indexTree(tree: readonly TicketCategory[]) {
  const byId = new Map<string, { category: Category; parent: TicketCategory | null }>();
  for (const parent of tree) {
    byId.set(parent.id, { category: parent, parent: null });
    for (const child of parent.children) byId.set(child.id, { category: child, parent });
  }
  return byId;
}

/** Teams that can do a category's work: every team the user sees, named with its community. */
function useTeamOptions() {
  const t = useT();
  const { nameOf } = useCommunity();
  const { data, isLoading } = useQuery({
    queryKey: ['teams', 'all-active'],
    queryFn: () => unwrap(api.GET('/api/v1/teams', { params: { query: { limit: 200 } } })),
    select: (page) => page.items.filter((team) => !team.archived),
  });
  const options = (data ?? []).map((team) => ({
    value: team.id,
    label: `${team.name}（${team.communityId ? nameOf(team.communityId) : t('teams.companyWide')}）`,
  }));
  return { options, isLoading };
}

function DispatchTag({ mode }: { mode: DispatchMode }) {
  const t = useT();
  const color: Record<DispatchMode, string> = { assign: 'default', grab: 'cyan', auto: 'geekblue' };
  return (
    <Tag color={color[mode]} style={{ marginInlineEnd: 0 }}>
      {t(`categories.dispatch.${mode}`)}
    </Tag>
  );
}

/** The published price list of one category: add, edit, archive (R10: paid work at published prices). */
function PriceList({ category }: { category: Category }) {
  const t = useT();
  const { message } = App.useApp();
  const [includeArchived, setIncludeArchived] = useState(false);
  const [editing, setEditing] = useState<PriceEditing>(null);
  const [form] = Form.useForm<PriceForm>();
  const { data: prices = [], isLoading } = usePrices(category.id, includeArchived);
  const create = useCreatePrice(form);
  const update = useUpdatePrice(form);
  const archive = useUpdatePrice();
  const editingPrice = editing?.mode === 'edit' ? editing.price : null;

  const columns: TableColumnsType<CategoryPrice> = [
    {
      title: t('categories.price.name'),
      dataIndex: 'name',
      render: (name: string, price) => (
        <Flex gap={6} align="center" wrap>
          <Typography.Text strong={!price.archived} type={price.archived ? 'secondary' : undefined}>
            {name}
          </Typography.Text>
          {price.archived ? <Tag style={{ marginInlineEnd: 0 }}>{t('categories.archived')}</Tag> : null}
        </Flex>
      ),
    },
    {
      title: t('categories.price.price'),
      key: 'price',
      align: 'right',
      width: 130,
      render: (_value, price) => `${yuan(price.price)}/${price.unit}`,
    },
    { title: t('categories.price.note'), dataIndex: 'note', render: (note: string | null) => note ?? '—' },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 130,
      render: (_value, price) => (
        <Flex gap={4}>
          <Button size="small" type="link" onClick={() => setEditing({ mode: 'edit', price })}>
            {t('common.edit')}
          </Button>
          <Popconfirm
            title={
              price.archived
                ? t('categories.price.restoreConfirm', { name: price.name })
                : t('categories.price.archiveConfirm', { name: price.name })
            }
            okText={price.archived ? t('categories.restore') : t('categories.archive')}
            cancelText={t('common.cancel')}
            onConfirm={() =>
              archive
                .mutateAsync({ id: price.id, body: { archived: !price.archived } })
                .then(() => undefined)
                .catch(() => undefined)
            }
          >
            <Button size="small" type="link" danger={!price.archived}>
              {price.archived ? t('categories.restore') : t('categories.archive')}
            </Button>
          </Popconfirm>
        </Flex>
      ),
    },
  ];

  const newButton = (
    <Button
      size="small"
      type="primary"
      icon={<PlusOutlined />}
      onClick={() => setEditing({ mode: 'create' })}
      disabled={category.archived}
      data-testid="price-new"
    >
      {t('categories.price.new')}
    </Button>
  );

  return (
    <Card
      size="small"
      title={t('categories.price.title', { name: category.name })}
      extra={
        <Flex gap={12} align="center">
          <Checkbox checked={includeArchived} onChange={(event) => setIncludeArchived(event.target.checked)}>
            {t('categories.includeArchived')}
          </Checkbox>
          {newButton}
        </Flex>
      }
      data-testid="price-list"
    >
      <Table<CategoryPrice>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={prices}
        loading={isLoading}
        pagination={false}
        locale={{ emptyText: isLoading ? ' ' : <EmptyState text={t('categories.price.empty')} /> }}
        onRow={(price) => ({ 'data-testid': `price-row-${price.name}` }) as React.HTMLAttributes<HTMLElement>}
      />
      <FormModal<PriceForm>
        open={editing !== null}
        title={
          editingPrice
            ? t('categories.price.editTitle', { name: editingPrice.name })
            : t('categories.price.new')
        }
        form={form}
        saving={create.isPending || update.isPending}
        okText={t('common.save')}
        initialValues={
          editingPrice
            ? {
                name: editingPrice.name,
                unit: editingPrice.unit,
                price: editingPrice.price,
                note: editingPrice.note ?? undefined,
                sort: editingPrice.sort,
              }
            : { unit: t('categories.price.defaultUnit') }
        }
        onCancel={() => setEditing(null)}
        onSubmit={(values) => {
          const body = {
            name: values.name.trim(),
            unit: values.unit.trim(),
            price: values.price,
            ...(values.note?.trim() ? { note: values.note.trim() } : {}),
            ...(typeof values.sort === 'number' ? { sort: values.sort } : {}),
          };
          const onSuccess = () => {
            void message.success(t('categories.price.saved', { name: body.name }));
            setEditing(null);
          };
          if (editingPrice) update.mutate({ id: editingPrice.id, body }, { onSuccess });
          else create.mutate({ categoryId: category.id, body }, { onSuccess });
        }}
        testId="price-form"
      >
        <Form.Item
          name="name"
          label={t('categories.price.name')}
          rules={[
            {
              required: true,
              whitespace: true,
              message: t('common.required', { field: t('categories.price.name') }),
            },
          ]}
        >
          <Input
            maxLength={50}
            placeholder={t('categories.price.namePlaceholder')}
            data-testid="price-name"
          />
        </Form.Item>
        <Flex gap={12}>
          <Form.Item
            name="price"
            label={t('categories.price.price')}
            style={{ flex: 1 }}
            rules={[
              { required: true, message: t('common.required', { field: t('categories.price.price') }) },
            ]}
          >
            <InputNumber
              min={0}
              max={1_000_000}
              precision={2}
              prefix="¥"
              style={{ width: '100%' }}
              inputMode="decimal"
              data-testid="price-price"
            />
          </Form.Item>
          <Form.Item
            name="unit"
            label={t('categories.price.unit')}
            style={{ width: 120 }}
            rules={[
              {
                required: true,
                whitespace: true,
                message: t('common.required', { field: t('categories.price.unit') }),
              },
            ]}
          >
            <Input maxLength={10} data-testid="price-unit" />
          </Form.Item>
          <Form.Item name="sort" label={t('categories.sort')} style={{ width: 100 }}>
            <InputNumber min={0} max={9999} precision={0} style={{ width: '100%' }} />
          </Form.Item>
        </Flex>
        <Form.Item name="note" label={t('categories.price.note')}>
          <Input maxLength={200} placeholder={t('categories.price.notePlaceholder')} />
        </Form.Item>
      </FormModal>
    </Card>
  );
}

/**
 * 工单分类: the two-level category tree, how each category is dispatched (派单 / 抢单 / 自动) and
 * to which team, and the published price list of paid work per category.
 */
export function CategoriesPage() {
  const t = useT();
  const { message } = App.useApp();
  const [params, setParams] = useSearchParams();
  const includeArchived = params.get('archived') === '1';
  const selectedId = params.get('category') ?? undefined;
  const { data: tree = [], isLoading } = useCategories(true);
  const [editing, setEditing] = useState<CategoryEditing>(null);
  const [form] = Form.useForm<CategoryForm>();
  const create = useCreateCategory(form);
  const update = useUpdateCategory(form);
  const archive = useUpdateCategory();
  const teams = useTeamOptions();
  const dispatchMode = Form.useWatch('dispatchMode', form);

  const index = useMemo(() => indexTree(tree), [tree]);
  const selected = selectedId ? index.get(selectedId) : undefined;
  const setParam = (name: string, value: string | undefined) => {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    setParams(next, { replace: true });
  };

  const treeData = useMemo<TreeDataNode[]>(() => {
    const label = (category: Category) => (
      <Flex gap={6} align="center" data-testid={`category-node-${category.code}`}>
        <Typography.Text type={category.archived ? 'secondary' : undefined} delete={category.archived}>
          {category.name}
        </Typography.Text>
        {category.dispatchMode !== 'assign' ? <DispatchTag mode={category.dispatchMode} /> : null}
      </Flex>
    );
    return tree
      .filter((parent) => includeArchived || !parent.archived)
      .map((parent) => ({
        key: parent.id,
        title: label(parent),
        children: parent.children
          .filter((child) => includeArchived || !child.archived)
          .map((child) => ({ key: child.id, title: label(child), isLeaf: true })),
      }));
  }, [tree, includeArchived]);

  const editingCategory = editing?.mode === 'edit' ? editing.category : null;
  const creatingUnder = editing?.mode === 'create' ? editing.parent : null;
  const needsTeam = dispatchMode === 'grab' || dispatchMode === 'auto';

  const submit = (values: CategoryForm) => {
    const teamId = values.teamId ?? null;
    const sort = typeof values.sort === 'number' ? { sort: values.sort } : {};
    if (editingCategory) {
      update.mutate(
        {
          id: editingCategory.id,
          body: { name: values.name.trim(), dispatchMode: values.dispatchMode, teamId, ...sort },
        },
        {
          onSuccess: (saved) => {
            void message.success(t('categories.saved', { name: saved.name }));
            setEditing(null);
          },
        },
      );
      return;
    }
    create.mutate(
      {
        name: values.name.trim(),
        code: values.code?.trim() ?? '',
        parentId: creatingUnder?.id ?? null,
        dispatchMode: values.dispatchMode,
        teamId,
        ...sort,
      },
      {
        onSuccess: (saved) => {
          void message.success(t('categories.created', { name: saved.name }));
          setEditing(null);
          setParam('category', saved.id);
        },
      },
    );
  };

  const detail = selected ? (
    <Flex vertical gap={16} style={{ flex: 1, minWidth: 0 }}>
      <Card
        size="small"
        title={
          <Flex gap={8} align="center">
            <span data-testid="category-title">{selected.category.name}</span>
            {selected.category.archived ? <Tag>{t('categories.archived')}</Tag> : null}
          </Flex>
        }
        extra={
          <Flex gap={8}>
            {!selected.parent && !selected.category.archived ? (
              <Button
                size="small"
                icon={<PlusOutlined />}
                onClick={() => setEditing({ mode: 'create', parent: selected.category as TicketCategory })}
                data-testid="category-new-child"
              >
                {t('categories.newChild')}
              </Button>
            ) : null}
            <Button
              size="small"
              onClick={() => setEditing({ mode: 'edit', category: selected.category })}
              data-testid="category-edit"
            >
              {t('common.edit')}
            </Button>
            <Popconfirm
              title={
                selected.category.archived
                  ? t('categories.restoreConfirm', { name: selected.category.name })
                  : t('categories.archiveConfirm', { name: selected.category.name })
              }
              okText={selected.category.archived ? t('categories.restore') : t('categories.archive')}
              cancelText={t('common.cancel')}
              onConfirm={() =>
                archive
                  .mutateAsync({ id: selected.category.id, body: { archived: !selected.category.archived } })
                  .then((saved) =>
                    message.success(
                      saved.archived
                        ? t('categories.archivedDone', { name: saved.name })
                        : t('categories.restoredDone', { name: saved.name }),
                    ),
                  )
                  .catch(() => undefined)
              }
            >
              <Button size="small" danger={!selected.category.archived}>
                {selected.category.archived ? t('categories.restore') : t('categories.archive')}
              </Button>
            </Popconfirm>
          </Flex>
        }
      >
        <Descriptions
          size="small"
          column={2}
          items={[
            {
              key: 'level',
              label: t('categories.level'),
              children: selected.parent
                ? t('categories.childOf', { name: selected.parent.name })
                : t('categories.firstLevel'),
            },
            { key: 'code', label: t('categories.code'), children: selected.category.code },
            {
              key: 'dispatch',
              label: t('categories.dispatch.label'),
              children: <DispatchTag mode={selected.category.dispatchMode} />,
            },
            {
              key: 'team',
              label: t('categories.team'),
              children:
                selected.category.teamName ?? (selected.category.teamId ? t('categories.teamHidden') : '—'),
            },
          ]}
        />
      </Card>
      <PriceList category={selected.category} />
    </Flex>
  ) : (
    <Flex flex={1} align="center" justify="center" style={{ minHeight: 240 }}>
      <Empty description={t('categories.pick')} />
    </Flex>
  );

  return (
    <>
      <PageHeader
        title={t('categories.title')}
        extra={
          <>
            <Checkbox
              checked={includeArchived}
              onChange={(event) => setParam('archived', event.target.checked ? '1' : undefined)}
            >
              {t('categories.includeArchived')}
            </Checkbox>
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => setEditing({ mode: 'create', parent: null })}
              data-testid="category-new"
            >
              {t('categories.newFirst')}
            </Button>
          </>
        }
      />
      <Flex gap={16} align="start" wrap>
        <Card size="small" style={{ width: 320, flex: '0 0 320px' }} title={t('categories.tree')}>
          {isLoading ? (
            <Skeleton active />
          ) : (
            <Tree
              treeData={treeData}
              selectedKeys={selectedId ? [selectedId] : []}
              defaultExpandAll
              blockNode
              onSelect={(keys) => setParam('category', keys[0] ? String(keys[0]) : undefined)}
              data-testid="category-tree"
            />
          )}
        </Card>
        {detail}
      </Flex>

      <FormModal<CategoryForm>
        open={editing !== null}
        title={
          editingCategory
            ? t('categories.editTitle', { name: editingCategory.name })
            : creatingUnder
              ? t('categories.newChildTitle', { name: creatingUnder.name })
              : t('categories.newFirst')
        }
        form={form}
        saving={create.isPending || update.isPending}
        okText={t('common.save')}
        initialValues={
          editingCategory
            ? {
                name: editingCategory.name,
                dispatchMode: editingCategory.dispatchMode,
                teamId: editingCategory.teamId,
                sort: editingCategory.sort,
              }
            : { dispatchMode: creatingUnder?.dispatchMode ?? 'assign', teamId: creatingUnder?.teamId ?? null }
        }
        onCancel={() => setEditing(null)}
        onSubmit={submit}
        testId="category-form"
      >
        <Flex gap={12}>
          <Form.Item
            name="name"
            label={t('categories.name')}
            style={{ flex: 1 }}
            rules={[
              {
                required: true,
                whitespace: true,
                message: t('common.required', { field: t('categories.name') }),
              },
            ]}
          >
            <Input
              maxLength={30}
              placeholder={t('categories.namePlaceholder')}
              data-testid="category-name"
              onBlur={(event) => {
                const name = event.target.value.trim();
                if (editingCategory || !name || form.getFieldValue('code')) return;
                void suggestCode(name).then((code) => {
                  if (!form.getFieldValue('code')) form.setFieldValue('code', code);
                });
              }}
            />
          </Form.Item>
          <Form.Item name="sort" label={t('categories.sort')} style={{ width: 100 }}>
            <InputNumber min={0} max={9999} precision={0} style={{ width: '100%' }} />
          </Form.Item>
        </Flex>
        {editingCategory ? null : (
          <Form.Item
            name="code"
            label={t('categories.code')}
            extra={t('categories.codeHint')}
            rules={[
              { required: true, message: t('common.required', { field: t('categories.code') }) },
              { pattern: CODE, message: t('categories.codeInvalid') },
            ]}
          >
            <Input maxLength={40} data-testid="category-code" />
          </Form.Item>
        )}
        <Form.Item
          name="dispatchMode"
          label={t('categories.dispatch.label')}
          extra={t(`categories.dispatch.hint`)}
        >
          <Radio.Group
            optionType="button"
            options={DISPATCH_MODES.map((mode) => ({ value: mode, label: t(`categories.dispatch.${mode}`) }))}
          />
        </Form.Item>
        <Form.Item
          name="teamId"
          label={t('categories.team')}
          extra={needsTeam ? t('categories.teamRequired') : t('categories.teamOptional')}
          rules={needsTeam ? [{ required: true, message: t('categories.teamRequired') }] : undefined}
        >
          <Select
            allowClear
            loading={teams.isLoading}
            options={teams.options}
            showSearch={{ optionFilterProp: 'label' }}
            placeholder={t('categories.teamPlaceholder')}
            notFoundContent={t('categories.noTeams')}
          />
        </Form.Item>
      </FormModal>
    </>
  );
}
