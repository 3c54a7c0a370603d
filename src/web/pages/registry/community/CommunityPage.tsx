import { ArrowLeftOutlined, EditOutlined, PlusOutlined, UserOutlined } from '@ant-design/icons';
import {
  App,
  Button,
  Card,
  Col,
  Descriptions,
  Flex,
  Form,
  Input,
  InputNumber,
  Radio,
  Row,
  Skeleton,
  Switch,
  Table,
  type TableColumnsType,
  Tag,
  Tree,
  Typography,
} from 'antd';
import { type ReactNode, useEffect, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import {
  ROOM_STATUSES,
  type Room,
  type RoomCreate,
  type TreeBuilding,
  type TreeUnit,
} from '../../../api/types';
import { useT } from '../../../app/i18n';
import { useAccess } from '../../../app/session';
import { EmptyState } from '../../../components/EmptyState';
import { FormModal } from '../../../components/FormModal';
import { PageHeader } from '../../../components/PageHeader';
import { ResidentCardDrawer } from '../../residents/card/ResidentCardDrawer';
import { OccupancyCounts } from '../occupancy';
import {
  useCommunityDetail,
  useCommunityTree,
  useCreateBuilding,
  useCreatePublicArea,
  useCreateRoom,
  useCreateUnit,
  usePublicAreas,
  useRooms,
  useRoomsByStatus,
} from '../queries';
import { BuildingEditModal } from './BuildingEditModal';
import { RoomEditModal, RoomsTable } from './RoomsPanel';

type Creating = 'building' | 'unit' | 'room' | 'publicArea' | null;

function StewardTag({ building }: { building: TreeBuilding }) {
  const t = useT();
  if (!building.steward)
    return (
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {t('registry.buildings.noSteward')}
      </Typography.Text>
    );
  return (
    <Tag icon={<UserOutlined />} style={{ marginInlineEnd: 0 }}>
      {t('registry.buildings.stewardShort', { name: building.steward.name })}
    </Tag>
  );
}

/**
 * One community's registry (R1): the tree of buildings and units with their rooms counted by
 * status, the steward of each building, the rooms of a unit with their household, and the vacant
 * rooms anywhere in the community at one switch.
 */
export function CommunityPage() {
  const t = useT();
  const access = useAccess();
  const { message } = App.useApp();
  const { communityId } = useParams();
  const [params, setParams] = useSearchParams();
  const buildingId = params.get('building') ?? undefined;
  const unitId = params.get('unit') ?? undefined;
  const vacantOnly = params.get('vacant') === '1';
  const [creating, setCreating] = useState<Creating>(null);
  const [editingRoom, setEditingRoom] = useState<Room | null>(null);
  const [editingBuilding, setEditingBuilding] = useState<TreeBuilding | null>(null);
  const [residentId, setResidentId] = useState<string | undefined>();
  const [expanded, setExpanded] = useState<string[]>(buildingId ? [`b:${buildingId}`] : []);

  const community = useCommunityDetail(communityId);
  const tree = useCommunityTree(communityId);
  const rooms = useRooms(vacantOnly ? undefined : unitId);
  const vacant = useRoomsByStatus(
    { communityId, buildingId: unitId ? undefined : buildingId, unitId },
    vacantOnly ? 'vacant' : undefined,
  );
  const publicAreas = usePublicAreas(communityId);

  const [buildingForm] = Form.useForm<{ name: string; code?: string }>();
  const [unitForm] = Form.useForm<{ name: string }>();
  const [roomForm] = Form.useForm<Omit<RoomCreate, 'unitId'>>();
  const [areaForm] = Form.useForm<{ name: string }>();
  const createBuilding = useCreateBuilding(buildingForm);
  const createUnit = useCreateUnit(unitForm);
  const createRoom = useCreateRoom(roomForm);
  const createArea = useCreatePublicArea(areaForm);

  const buildings = tree.data?.buildings ?? [];
  const building = buildings.find((candidate) => candidate.id === buildingId);
  const unit = building?.units.find((candidate) => candidate.id === unitId);

  // A building chosen from the overview (or the address) opens in the tree.
  useEffect(() => {
    if (buildingId)
      setExpanded((keys) => (keys.includes(`b:${buildingId}`) ? keys : [...keys, `b:${buildingId}`]));
  }, [buildingId]);

  const update = (changes: Record<string, string | undefined>) =>
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        for (const [name, value] of Object.entries(changes)) {
          if (value) next.set(name, value);
          else next.delete(name);
        }
        return next;
      },
      { replace: true },
    );
  const select = (nextBuilding: string | undefined, nextUnit: string | undefined) =>
    update({ building: nextBuilding, unit: nextUnit });

  const done = (name: string) => {
    void message.success(t('registry.created', { name }));
    setCreating(null);
  };
  const required = (field: string) => ({
    required: true,
    whitespace: true,
    message: t('common.required', { field }),
  });
  const addButton = (what: Exclude<Creating, null>, label: string, testId?: string) =>
    access.editRegistry ? (
      <Button size="small" icon={<PlusOutlined />} onClick={() => setCreating(what)} data-testid={testId}>
        {label}
      </Button>
    ) : null;

  const unitLabel = building && unit ? `${building.name}${unit.name}` : undefined;
  const scopeLabel = unitLabel ?? building?.name ?? community.data?.name ?? '';

  const treeData = buildings.map((item) => ({
    key: `b:${item.id}`,
    title: (
      <Flex vertical gap={2} style={{ padding: '4px 0' }} data-testid={`tree-building-${item.name}`}>
        <Flex gap={8} align="center" wrap>
          <Typography.Text strong>{item.name}</Typography.Text>
          <StewardTag building={item} />
        </Flex>
        <OccupancyCounts occupancy={item.occupancy} />
      </Flex>
    ),
    children: item.units.map((child) => ({
      key: `u:${child.id}`,
      isLeaf: true,
      title: (
        <Flex
          vertical
          gap={2}
          style={{ padding: '2px 0' }}
          data-testid={`tree-unit-${item.name}${child.name}`}
        >
          <Typography.Text>{child.name}</Typography.Text>
          <OccupancyCounts occupancy={child.occupancy} bar={false} />
        </Flex>
      ),
    })),
  }));

  const buildingColumns: TableColumnsType<TreeBuilding> = [
    { title: t('registry.buildings.title'), dataIndex: 'name', width: 120 },
    {
      title: t('registry.buildings.steward'),
      key: 'steward',
      width: 160,
      render: (_value, item) =>
        item.steward ? (
          `${item.steward.name}（${item.steward.employeeNo}）`
        ) : (
          <Typography.Text type="secondary">{t('registry.buildings.noSteward')}</Typography.Text>
        ),
    },
    {
      title: t('registry.units.title'),
      key: 'units',
      width: 70,
      render: (_value, item) => item.units.length,
    },
    {
      title: t('registry.occupancy.title'),
      key: 'occupancy',
      render: (_value, item) => <OccupancyCounts occupancy={item.occupancy} />,
    },
  ];
  const unitColumns: TableColumnsType<TreeUnit> = [
    { title: t('registry.units.title'), dataIndex: 'name', width: 120 },
    {
      title: t('registry.occupancy.title'),
      key: 'occupancy',
      render: (_value, item) => <OccupancyCounts occupancy={item.occupancy} />,
    },
  ];

  let panel: ReactNode;
  if (vacantOnly) {
    panel = (
      <Card
        size="small"
        title={t('registry.vacant.title', { scope: scopeLabel })}
        extra={
          buildingId ? (
            <Button size="small" type="link" onClick={() => select(undefined, undefined)}>
              {t('registry.vacant.wholeCommunity')}
            </Button>
          ) : null
        }
      >
        <RoomsTable
          testId="vacant-rooms"
          rooms={vacant.items}
          loading={vacant.isLoading}
          showLabel
          empty={t('registry.vacant.empty')}
          hasNextPage={vacant.hasNextPage}
          isFetchingNextPage={vacant.isFetchingNextPage}
          fetchNextPage={vacant.fetchNextPage}
          onEdit={setEditingRoom}
          onOpenResident={setResidentId}
        />
      </Card>
    );
  } else if (building && unit) {
    panel = (
      <Card
        size="small"
        title={
          <Flex gap={16} align="center" wrap style={{ padding: '8px 0' }}>
            <span>{t('registry.rooms.titleOf', { unit: unitLabel ?? '' })}</span>
            <OccupancyCounts occupancy={unit.occupancy} bar={false} />
          </Flex>
        }
        extra={addButton('room', t('registry.rooms.new'))}
      >
        <RoomsTable
          testId="unit-rooms"
          rooms={rooms.items}
          loading={rooms.isLoading}
          showLabel={false}
          empty={t('registry.rooms.empty')}
          hasNextPage={rooms.hasNextPage}
          isFetchingNextPage={rooms.isFetchingNextPage}
          fetchNextPage={rooms.fetchNextPage}
          onEdit={setEditingRoom}
          onOpenResident={setResidentId}
        />
      </Card>
    );
  } else if (building) {
    panel = (
      <Card
        size="small"
        title={building.name}
        extra={
          <Flex gap={8}>
            {access.editRegistry ? (
              <Button
                size="small"
                icon={<EditOutlined />}
                onClick={() => setEditingBuilding(building)}
                data-testid="building-edit-open"
              >
                {t('registry.buildings.edit')}
              </Button>
            ) : null}
            {addButton('unit', t('registry.units.new'))}
          </Flex>
        }
      >
        <Descriptions
          size="small"
          column={{ xs: 1, md: 2 }}
          style={{ marginBottom: 16 }}
          items={[
            {
              key: 'steward',
              label: t('registry.buildings.steward'),
              children: building.steward
                ? `${building.steward.name}（${t('shell.employeeNo', { no: building.steward.employeeNo })}）`
                : t('registry.buildings.noSteward'),
            },
            { key: 'code', label: t('registry.buildings.code'), children: building.code ?? '—' },
            {
              key: 'occupancy',
              label: t('registry.occupancy.title'),
              span: 2,
              children: <OccupancyCounts occupancy={building.occupancy} size="large" />,
            },
          ]}
        />
        <Table<TreeUnit>
          rowKey="id"
          size="small"
          columns={unitColumns}
          dataSource={building.units}
          pagination={false}
          rowClassName="clickable-row"
          onRow={(item) => ({
            onClick: () => select(building.id, item.id),
            onKeyDown: (event) => {
              if (event.key === 'Enter') select(building.id, item.id);
            },
            tabIndex: 0,
          })}
          locale={{ emptyText: <EmptyState text={t('registry.units.empty')} /> }}
        />
      </Card>
    );
  } else {
    panel = (
      <Card size="small" title={t('registry.buildings.overview')}>
        <Table<TreeBuilding>
          rowKey="id"
          size="small"
          data-testid="buildings-overview"
          columns={buildingColumns}
          dataSource={buildings}
          loading={tree.isLoading}
          pagination={false}
          scroll={{ x: 640 }}
          rowClassName="clickable-row"
          onRow={(item) => ({
            onClick: () => select(item.id, undefined),
            onKeyDown: (event) => {
              if (event.key === 'Enter') select(item.id, undefined);
            },
            tabIndex: 0,
          })}
          locale={{
            emptyText: tree.isLoading ? ' ' : <EmptyState text={t('registry.buildings.empty')} />,
          }}
        />
      </Card>
    );
  }

  return (
    <>
      <PageHeader
        title={
          <Flex gap={16} align="center" wrap>
            <span>
              <Link to="/registry/communities" aria-label={t('common.back')} style={{ marginInlineEnd: 12 }}>
                <ArrowLeftOutlined />
              </Link>
              {community.data?.name ?? '…'}
            </span>
            {tree.data ? (
              <div style={{ fontWeight: 'normal' }} data-testid="community-occupancy">
                <OccupancyCounts occupancy={tree.data.occupancy} bar={false} size="large" />
              </div>
            ) : null}
          </Flex>
        }
        extra={
          <>
            <Flex gap={8} align="center">
              <Switch
                checked={vacantOnly}
                onChange={(checked) => update({ vacant: checked ? '1' : undefined })}
                aria-label={t('registry.vacant.only')}
                data-testid="vacant-only"
              />
              <Typography.Text>{t('registry.vacant.only')}</Typography.Text>
            </Flex>
            {addButton('building', t('registry.buildings.new'))}
          </>
        }
      />
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={9} xl={8}>
          <Card
            size="small"
            title={t('registry.tree.title')}
            extra={
              building ? (
                <Button size="small" type="link" onClick={() => select(undefined, undefined)}>
                  {t('registry.tree.all')}
                </Button>
              ) : null
            }
          >
            {tree.isLoading ? (
              <Skeleton active />
            ) : buildings.length === 0 ? (
              <EmptyState text={t('registry.buildings.empty')} />
            ) : (
              <Tree
                blockNode
                showLine
                data-testid="registry-tree"
                treeData={treeData}
                expandedKeys={expanded}
                onExpand={(keys) => setExpanded(keys.map(String))}
                selectedKeys={unitId ? [`u:${unitId}`] : buildingId ? [`b:${buildingId}`] : []}
                onSelect={(keys) => {
                  const key = String(keys[0] ?? '');
                  if (key.startsWith('b:')) {
                    const id = key.slice(2);
                    select(id, undefined);
                    setExpanded((current) => (current.includes(key) ? current : [...current, key]));
                  } else if (key.startsWith('u:')) {
                    const id = key.slice(2);
                    const parent = buildings.find((item) => item.units.some((child) => child.id === id));
                    select(parent?.id, id);
                  }
                }}
              />
            )}
          </Card>
        </Col>
        <Col xs={24} lg={15} xl={16}>
          {panel}
        </Col>
        <Col xs={24}>
          <Card
            size="small"
            title={t('registry.publicAreas.title')}
            extra={addButton('publicArea', t('registry.publicAreas.new'))}
          >
            {publicAreas.items.length === 0 && !publicAreas.isLoading ? (
              <EmptyState text={t('registry.publicAreas.empty')} />
            ) : (
              <Typography.Paragraph style={{ margin: 0 }}>
                {publicAreas.items.map((area) => (
                  <Tag key={area.id} style={{ marginBottom: 8 }}>
                    {area.name}
                  </Tag>
                ))}
              </Typography.Paragraph>
            )}
          </Card>
        </Col>
      </Row>

      <RoomEditModal room={editingRoom} onClose={() => setEditingRoom(null)} />
      <BuildingEditModal
        communityId={communityId}
        building={editingBuilding}
        onClose={() => setEditingBuilding(null)}
      />
      <ResidentCardDrawer
        residentId={residentId}
        onClose={() => setResidentId(undefined)}
        onOpenResident={setResidentId}
      />

      <FormModal
        open={creating === 'building'}
        title={t('registry.buildings.new')}
        form={buildingForm}
        saving={createBuilding.isPending}
        onCancel={() => setCreating(null)}
        onSubmit={(values) =>
          communityId &&
          createBuilding.mutate(
            { communityId, name: values.name.trim(), code: values.code?.trim() || undefined },
            {
              onSuccess: (created) => {
                done(created.name);
                select(created.id, undefined);
              },
            },
          )
        }
      >
        <Form.Item
          name="name"
          label={t('registry.buildings.name')}
          rules={[required(t('registry.buildings.name'))]}
        >
          <Input placeholder={t('registry.buildings.namePlaceholder')} maxLength={30} autoFocus />
        </Form.Item>
        <Form.Item name="code" label={t('registry.buildings.code')}>
          <Input maxLength={20} />
        </Form.Item>
      </FormModal>

      <FormModal
        open={creating === 'unit'}
        title={building ? `${t('registry.units.new')} · ${building.name}` : t('registry.units.new')}
        form={unitForm}
        saving={createUnit.isPending}
        onCancel={() => setCreating(null)}
        onSubmit={(values) =>
          buildingId &&
          createUnit.mutate(
            { buildingId, name: values.name.trim() },
            {
              onSuccess: (created) => {
                done(created.name);
                select(buildingId, created.id);
              },
            },
          )
        }
      >
        <Form.Item name="name" label={t('registry.units.name')} rules={[required(t('registry.units.name'))]}>
          <Input placeholder={t('registry.units.namePlaceholder')} maxLength={30} autoFocus />
        </Form.Item>
      </FormModal>

      <FormModal<Omit<RoomCreate, 'unitId'>>
        open={creating === 'room'}
        title={unitLabel ? `${t('registry.rooms.new')} · ${unitLabel}` : t('registry.rooms.new')}
        form={roomForm}
        saving={createRoom.isPending}
        initialValues={{ status: 'occupied' }}
        onCancel={() => setCreating(null)}
        onSubmit={(values) =>
          unitId &&
          createRoom.mutate(
            { ...values, unitId, number: values.number.trim() },
            { onSuccess: (room) => done(room.label) },
          )
        }
      >
        <Form.Item
          name="number"
          label={t('registry.rooms.number')}
          rules={[required(t('registry.rooms.number'))]}
        >
          <Input placeholder={t('registry.rooms.numberPlaceholder')} maxLength={20} autoFocus />
        </Form.Item>
        <Row gutter={16}>
          <Col span={12}>
            <Form.Item name="floor" label={t('registry.rooms.floor')}>
              <InputNumber precision={0} min={-10} max={200} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="area" label={t('registry.rooms.area')}>
              <InputNumber min={0} max={100000} step={0.01} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="status" label={t('registry.rooms.status.label')}>
          <Radio.Group
            optionType="button"
            options={ROOM_STATUSES.map((status) => ({
              value: status,
              label: t(`registry.rooms.status.${status}`),
            }))}
          />
        </Form.Item>
      </FormModal>

      <FormModal
        open={creating === 'publicArea'}
        title={t('registry.publicAreas.new')}
        form={areaForm}
        saving={createArea.isPending}
        onCancel={() => setCreating(null)}
        onSubmit={(values) =>
          communityId &&
          createArea.mutate(
            { communityId, name: values.name.trim() },
            { onSuccess: (area) => done(area.name) },
          )
        }
      >
        <Form.Item
          name="name"
          label={t('registry.publicAreas.name')}
          rules={[required(t('registry.publicAreas.name'))]}
        >
          <Input placeholder={t('registry.publicAreas.namePlaceholder')} maxLength={50} autoFocus />
        </Form.Item>
      </FormModal>
    </>
  );
}
