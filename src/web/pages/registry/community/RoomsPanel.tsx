import { EditOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Flex,
  Form,
  InputNumber,
  Radio,
  Spin,
  Table,
  type TableColumnsType,
  Typography,
} from 'antd';
import { useState } from 'react';
import { api, unwrap } from '../../../api/client';
import { ApiError } from '../../../api/errors';
import { ROOM_STATUSES, type Room, type RoomStatus } from '../../../api/types';
import { useT } from '../../../app/i18n';
import { useAccess } from '../../../app/session';
import { LoadMore } from '../../../components/cursorList';
import { EmptyState } from '../../../components/EmptyState';
import { FormModal } from '../../../components/FormModal';
import { KindTag, useNameWithSalutation } from '../../residents/tags';
import { RoomStatusTag } from '../occupancy';
import { useHousehold, useUpdateRoom } from '../queries';

interface RoomForm {
  status: RoomStatus;
  floor?: number | null;
  area?: number | null;
}

/**
 * Edit a room's status, floor and area with the version that was read. On a 409 the server's
 * message is shown, the room is read again and the form keeps what was typed.
 */
export function RoomEditModal({ room, onClose }: { room: Room | null; onClose: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm<RoomForm>();
  const update = useUpdateRoom(form);
  const [latest, setLatest] = useState<Room | null>(null);
  const current = latest && latest.id === room?.id ? latest : room;

  const close = () => {
    setLatest(null);
    onClose();
  };

  return (
    <FormModal<RoomForm>
      open={room !== null}
      title={t('registry.rooms.editTitle', { room: room?.label ?? '' })}
      form={form}
      saving={update.isPending}
      okText={t('common.save')}
      initialValues={room ? { status: room.status, floor: room.floor, area: room.area } : undefined}
      onCancel={close}
      onSubmit={(values) =>
        current &&
        update.mutate(
          {
            id: current.id,
            body: {
              version: current.version,
              status: values.status,
              floor: values.floor ?? null,
              area: values.area ?? null,
            },
          },
          {
            onSuccess: (saved) => {
              void message.success(t('registry.rooms.saved', { room: saved.label }));
              close();
            },
            onError: (error) => {
              if (error instanceof ApiError && error.status === 409) {
                void unwrap(api.GET('/api/v1/rooms/{id}', { params: { path: { id: current.id } } })).then(
                  setLatest,
                );
              }
            },
          },
        )
      }
      testId="room-edit"
    >
      {latest && latest.id === room?.id ? (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          title={t('registry.rooms.conflict', {
            status: t(`registry.rooms.status.${latest.status}`),
            area: latest.area === null ? '—' : `${latest.area} ㎡`,
          })}
          action={
            <Button
              size="small"
              onClick={() =>
                form.setFieldsValue({ status: latest.status, floor: latest.floor, area: latest.area })
              }
            >
              {t('residents.edit.useLatest')}
            </Button>
          }
        />
      ) : null}
      <Form.Item name="status" label={t('registry.rooms.status.label')} rules={[{ required: true }]}>
        <Radio.Group
          optionType="button"
          buttonStyle="solid"
          options={ROOM_STATUSES.map((status) => ({
            value: status,
            label: t(`registry.rooms.status.${status}`),
          }))}
        />
      </Form.Item>
      <Flex gap={16}>
        <Form.Item name="floor" label={t('registry.rooms.floor')} style={{ flex: 1 }}>
          <InputNumber precision={0} min={-10} max={200} style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="area" label={t('registry.rooms.area')} style={{ flex: 1 }}>
          <InputNumber min={0} max={100000} step={0.01} style={{ width: '100%' }} />
        </Form.Item>
      </Flex>
    </FormModal>
  );
}

/** Who lives in a room, shown under its row; a name opens the resident card. */
function HouseholdRow({ roomId, onOpenResident }: { roomId: string; onOpenResident: (id: string) => void }) {
  const t = useT();
  const nameOf = useNameWithSalutation();
  const { data, isLoading } = useHousehold(roomId);
  if (isLoading) return <Spin size="small" />;
  if (!data || data.members.length === 0)
    return <Typography.Text type="secondary">{t('registry.rooms.noHousehold')}</Typography.Text>;
  return (
    <Flex gap={8} wrap align="center">
      <Typography.Text type="secondary">{t('registry.rooms.household')}</Typography.Text>
      {data.members.map((member) => (
        <Button key={member.residentId} size="small" onClick={() => onOpenResident(member.residentId)}>
          {nameOf(member.name, member.salutation)}
          <KindTag kind={member.kind} />
        </Button>
      ))}
    </Flex>
  );
}

/** A table of rooms with status, area and household; editable by those who keep the registry. */
export function RoomsTable({
  rooms,
  loading,
  showLabel,
  empty,
  hasNextPage,
  isFetchingNextPage,
  fetchNextPage,
  onEdit,
  onOpenResident,
  testId,
}: {
  rooms: Room[];
  loading: boolean;
  /** Show the full label (3栋2单元1502) instead of the number, for lists across units. */
  showLabel: boolean;
  empty: string;
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  fetchNextPage: () => unknown;
  onEdit: (room: Room) => void;
  onOpenResident: (id: string) => void;
  testId: string;
}) {
  const t = useT();
  const access = useAccess();
  const columns: TableColumnsType<Room> = [
    showLabel
      ? { title: t('registry.rooms.label'), dataIndex: 'label', width: 180 }
      : { title: t('registry.rooms.number'), dataIndex: 'number', width: 100 },
    {
      title: t('registry.rooms.floor'),
      dataIndex: 'floor',
      width: 80,
      render: (value: number | null) => value ?? '—',
    },
    {
      title: t('registry.rooms.areaShort'),
      dataIndex: 'area',
      width: 110,
      render: (value: number | null) => (value === null ? '—' : `${value} ㎡`),
    },
    {
      title: t('registry.rooms.status.label'),
      dataIndex: 'status',
      width: 100,
      render: (value: RoomStatus) => <RoomStatusTag status={value} />,
    },
  ];
  if (access.editRegistry) {
    columns.push({
      title: t('common.actions'),
      key: 'actions',
      width: 90,
      render: (_value, room) => (
        <Button
          size="small"
          type="link"
          icon={<EditOutlined />}
          onClick={(event) => {
            event.stopPropagation();
            onEdit(room);
          }}
          data-testid={`room-edit-${room.number}`}
        >
          {t('common.edit')}
        </Button>
      ),
    });
  }
  return (
    <>
      <Table<Room>
        rowKey="id"
        size="small"
        data-testid={testId}
        columns={columns}
        dataSource={rooms}
        loading={loading}
        pagination={false}
        expandable={{
          expandRowByClick: true,
          expandedRowRender: (room) => <HouseholdRow roomId={room.id} onOpenResident={onOpenResident} />,
        }}
        rowClassName="clickable-row"
        locale={{ emptyText: loading ? ' ' : <EmptyState text={empty} /> }}
      />
      <LoadMore
        count={rooms.length}
        hasNextPage={hasNextPage}
        isFetchingNextPage={isFetchingNextPage}
        fetchNextPage={fetchNextPage}
      />
    </>
  );
}
