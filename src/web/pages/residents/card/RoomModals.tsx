import { App, DatePicker, Form, Radio } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { type CardRoom, RESIDENT_KINDS, type Resident, type ResidentKind } from '../../../api/types';
import { useT } from '../../../app/i18n';
import { FormModal } from '../../../components/FormModal';
import { RoomPicker } from '../../../components/pickers';
import type { Picked } from '../../../components/SearchSelect';
import { useAddRoom, useMoveOut } from '../queries';

const DATE = 'YYYY-MM-DD';

interface AddRoomForm {
  roomId?: Picked;
  kind: ResidentKind;
  moveInDate?: Dayjs | null;
}

/** Adds the resident to the household of another room in their community (e.g. a second flat). */
export function AddRoomModal({
  open,
  resident,
  onClose,
}: {
  open: boolean;
  resident: Resident;
  onClose: () => void;
}) {
  const t = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm<AddRoomForm>();
  const add = useAddRoom(form);
  return (
    <FormModal<AddRoomForm>
      open={open}
      title={t('residents.card.addRoomTitle', { name: resident.name })}
      form={form}
      saving={add.isPending}
      initialValues={{ kind: resident.kind }}
      onCancel={onClose}
      onSubmit={(values) =>
        add.mutate(
          {
            id: resident.id,
            body: {
              roomId: values.roomId?.value ?? '',
              kind: values.kind,
              moveInDate: values.moveInDate ? values.moveInDate.format(DATE) : null,
            },
          },
          {
            onSuccess: () => {
              void message.success(t('residents.card.roomAdded', { room: values.roomId?.label ?? '' }));
              onClose();
            },
          },
        )
      }
      testId="resident-add-room"
    >
      <Form.Item
        name="roomId"
        label={t('residents.room')}
        rules={[{ required: true, message: t('common.requiredSelect', { field: t('residents.room') }) }]}
      >
        <RoomPicker communityId={resident.communityId} />
      </Form.Item>
      <Form.Item name="kind" label={t('residents.kind.label')} rules={[{ required: true }]}>
        <Radio.Group
          optionType="button"
          options={RESIDENT_KINDS.map((code) => ({ value: code, label: t(`residents.kind.${code}`) }))}
        />
      </Form.Item>
      <Form.Item name="moveInDate" label={t('residents.moveInDate')}>
        <DatePicker style={{ width: '100%' }} />
      </Form.Item>
    </FormModal>
  );
}

/** Records that the resident moved out of one room; their history stays with the room. */
export function MoveOutModal({
  room,
  resident,
  onClose,
}: {
  room: CardRoom | null;
  resident: Resident;
  onClose: () => void;
}) {
  const t = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ date: Dayjs }>();
  const moveOut = useMoveOut(form);
  return (
    <FormModal<{ date: Dayjs }>
      open={room !== null}
      title={t('residents.card.moveOutTitle', { name: resident.name, room: room?.roomLabel ?? '' })}
      form={form}
      saving={moveOut.isPending}
      okText={t('residents.card.moveOut')}
      initialValues={{ date: dayjs() }}
      onCancel={onClose}
      onSubmit={(values) =>
        room &&
        moveOut.mutate(
          { id: resident.id, roomId: room.roomId, date: values.date.format(DATE) },
          {
            onSuccess: () => {
              void message.success(
                t('residents.card.movedOut', { name: resident.name, room: room.roomLabel }),
              );
              onClose();
            },
          },
        )
      }
      testId="resident-move-out"
    >
      <Form.Item
        name="date"
        label={t('residents.card.moveOutDate')}
        extra={t('residents.card.moveOutHint')}
        rules={[
          { required: true, message: t('common.requiredSelect', { field: t('residents.card.moveOutDate') }) },
        ]}
      >
        <DatePicker style={{ width: '100%' }} />
      </Form.Item>
    </FormModal>
  );
}
