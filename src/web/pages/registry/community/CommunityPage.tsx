import { ArrowLeftOutlined, PlusOutlined } from '@ant-design/icons';
import {
  App,
  Button,
  Card,
  Col,
  Form,
  Input,
  InputNumber,
  Radio,
  Row,
  Table,
  type TableColumnsType,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import {
  type Building,
  ROOM_STATUSES,
  type Room,
  type RoomCreate,
  type RoomStatus,
  type Unit,
} from '../../../api/types';
import { useT } from '../../../app/i18n';
import { useAccess } from '../../../app/session';
import { LoadMore } from '../../../components/cursorList';
import { EmptyState } from '../../../components/EmptyState';
import { FormModal } from '../../../components/FormModal';
import { PageHeader } from '../../../components/PageHeader';
import {
  useBuildings,
  useCommunityDetail,
  useCreateBuilding,
  useCreatePublicArea,
  useCreateRoom,
  useCreateUnit,
  usePublicAreas,
  useRooms,
  useUnits,
} from '../queries';

const ROOM_STATUS_COLORS: Record<RoomStatus, string> = {
  occupied: 'green',
  vacant: 'default',
  renovating: 'orange',
};

type Creating = 'building' | 'unit' | 'room' | 'publicArea' | null;

function SelectableList<T extends { id: string; name: string }>({
  items,
  selectedId,
  onSelect,
  loading,
  empty,
  testId,
}: {
  items: T[];
  selectedId: string | undefined;
  onSelect: (id: string) => void;
  loading: boolean;
  empty: React.ReactNode;
  testId: string;
}) {
  return (
    <Table<T>
      data-testid={testId}
      rowKey="id"
      size="small"
      showHeader={false}
      pagination={false}
      loading={loading}
      dataSource={items}
      columns={[{ dataIndex: 'name', render: (name: string) => name }]}
      rowClassName={(item) =>
        item.id === selectedId ? 'clickable-row ant-table-row-selected' : 'clickable-row'
      }
      onRow={(item) => ({
        onClick: () => onSelect(item.id),
        onKeyDown: (event) => {
          if (event.key === 'Enter') onSelect(item.id);
        },
        tabIndex: 0,
        'aria-selected': item.id === selectedId,
      })}
      locale={{ emptyText: loading ? ' ' : empty }}
    />
  );
}

export function CommunityPage() {
  const t = useT();
  const access = useAccess();
  const { message } = App.useApp();
  const { communityId } = useParams();
  const [params, setParams] = useSearchParams();
  const buildingId = params.get('building') ?? undefined;
  const unitId = params.get('unit') ?? undefined;
  const [creating, setCreating] = useState<Creating>(null);

  const community = useCommunityDetail(communityId);
  const buildings = useBuildings(communityId);
  const units = useUnits(buildingId);
  const rooms = useRooms(unitId);
  const publicAreas = usePublicAreas(communityId);

  const [buildingForm] = Form.useForm<{ name: string; code?: string }>();
  const [unitForm] = Form.useForm<{ name: string }>();
  const [roomForm] = Form.useForm<Omit<RoomCreate, 'unitId'>>();
  const [areaForm] = Form.useForm<{ name: string }>();
  const createBuilding = useCreateBuilding(buildingForm);
  const createUnit = useCreateUnit(unitForm);
  const createRoom = useCreateRoom(roomForm);
  const createArea = useCreatePublicArea(areaForm);

  const select = (building: string | undefined, unit: string | undefined) => {
    const next = new URLSearchParams();
    if (building) next.set('building', building);
    if (unit) next.set('unit', unit);
    setParams(next, { replace: true });
  };
  const done = (name: string) => {
    void message.success(t('registry.created', { name }));
    setCreating(null);
  };
  const required = (field: string) => ({
    required: true,
    whitespace: true,
    message: t('common.required', { field }),
  });
  const addButton = (what: Exclude<Creating, null>, label: string, enabled = true) =>
    access.editRegistry ? (
      <Button size="small" icon={<PlusOutlined />} onClick={() => setCreating(what)} disabled={!enabled}>
        {label}
      </Button>
    ) : null;

  const unitName = units.items.find((unit) => unit.id === unitId)?.name;
  const buildingName = buildings.items.find((building) => building.id === buildingId)?.name;

  const roomColumns: TableColumnsType<Room> = [
    { title: t('registry.rooms.number'), dataIndex: 'number', width: 100 },
    {
      title: t('registry.rooms.floor'),
      dataIndex: 'floor',
      width: 80,
      render: (value: number | null) => value ?? '—',
    },
    {
      title: t('registry.rooms.areaShort'),
      dataIndex: 'area',
      width: 100,
      render: (value: number | null) => (value === null ? '—' : `${value} ㎡`),
    },
    {
      title: t('registry.rooms.status.label'),
      dataIndex: 'status',
      width: 100,
      render: (value: RoomStatus) => (
        <Tag color={ROOM_STATUS_COLORS[value]}>{t(`registry.rooms.status.${value}`)}</Tag>
      ),
    },
  ];

  return (
    <>
      <PageHeader
        title={
          <>
            <Link to="/registry/communities" aria-label={t('common.back')} style={{ marginInlineEnd: 12 }}>
              <ArrowLeftOutlined />
            </Link>
            {community.data?.name ?? '…'}
          </>
        }
      />
      <Row gutter={[16, 16]}>
        <Col xs={24} md={12} xl={6}>
          <Card
            size="small"
            title={t('registry.buildings.title')}
            extra={addButton('building', t('registry.buildings.new'))}
          >
            <SelectableList<Building>
              testId="buildings"
              items={buildings.items}
              selectedId={buildingId}
              onSelect={(id) => select(id, undefined)}
              loading={buildings.isLoading}
              empty={<EmptyState text={t('registry.buildings.empty')} />}
            />
          </Card>
        </Col>
        <Col xs={24} md={12} xl={6}>
          <Card
            size="small"
            title={
              buildingName ? `${t('registry.units.title')} · ${buildingName}` : t('registry.units.title')
            }
            extra={addButton('unit', t('registry.units.new'), !!buildingId)}
          >
            {buildingId ? (
              <SelectableList<Unit>
                testId="units"
                items={units.items}
                selectedId={unitId}
                onSelect={(id) => select(buildingId, id)}
                loading={units.isLoading}
                empty={<EmptyState text={t('registry.units.empty')} />}
              />
            ) : (
              <EmptyState text={t('registry.units.pickBuilding')} />
            )}
          </Card>
        </Col>
        <Col xs={24} xl={12}>
          <Card
            size="small"
            title={
              unitName
                ? `${t('registry.rooms.title')} · ${buildingName ?? ''}${unitName}`
                : t('registry.rooms.title')
            }
            extra={addButton('room', t('registry.rooms.new'), !!unitId)}
          >
            {unitId ? (
              <>
                <Table<Room>
                  rowKey="id"
                  size="small"
                  columns={roomColumns}
                  dataSource={rooms.items}
                  loading={rooms.isLoading}
                  pagination={false}
                  locale={{
                    emptyText: rooms.isLoading ? ' ' : <EmptyState text={t('registry.rooms.empty')} />,
                  }}
                />
                <LoadMore
                  count={rooms.items.length}
                  hasNextPage={rooms.hasNextPage}
                  isFetchingNextPage={rooms.isFetchingNextPage}
                  fetchNextPage={rooms.fetchNextPage}
                />
              </>
            ) : (
              <EmptyState text={t('registry.rooms.pickUnit')} />
            )}
          </Card>
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
              onSuccess: (building) => {
                done(building.name);
                select(building.id, undefined);
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
          <Input placeholder={t('registry.buildings.namePlaceholder')} maxLength={50} autoFocus />
        </Form.Item>
        <Form.Item name="code" label={t('registry.buildings.code')}>
          <Input maxLength={20} />
        </Form.Item>
      </FormModal>

      <FormModal
        open={creating === 'unit'}
        title={buildingName ? `${t('registry.units.new')} · ${buildingName}` : t('registry.units.new')}
        form={unitForm}
        saving={createUnit.isPending}
        onCancel={() => setCreating(null)}
        onSubmit={(values) =>
          buildingId &&
          createUnit.mutate(
            { buildingId, name: values.name.trim() },
            {
              onSuccess: (unit) => {
                done(unit.name);
                select(buildingId, unit.id);
              },
            },
          )
        }
      >
        <Form.Item name="name" label={t('registry.units.name')} rules={[required(t('registry.units.name'))]}>
          <Input placeholder={t('registry.units.namePlaceholder')} maxLength={50} autoFocus />
        </Form.Item>
      </FormModal>

      <FormModal<Omit<RoomCreate, 'unitId'>>
        open={creating === 'room'}
        title={
          unitName ? `${t('registry.rooms.new')} · ${buildingName ?? ''}${unitName}` : t('registry.rooms.new')
        }
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
              <InputNumber min={0} max={10000} step={0.01} style={{ width: '100%' }} />
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
