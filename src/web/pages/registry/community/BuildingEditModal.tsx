import { App, Form, Input } from 'antd';
import type { TreeBuilding } from '../../../api/types';
import { useT } from '../../../app/i18n';
import { FormModal } from '../../../components/FormModal';
import { StaffPicker } from '../../../components/pickers';
import type { Picked } from '../../../components/SearchSelect';
import { useUpdateBuilding } from '../queries';

interface BuildingForm {
  name: string;
  code?: string | null;
  stewardUserId?: Picked | null;
}

/**
 * Rename a building, change its code, and name its steward (楼栋管家) from the stewards who can
 * see the community (GET /staff/directory, which admins and managers both read).
 */
export function BuildingEditModal({
  communityId,
  building,
  onClose,
}: {
  communityId: string | undefined;
  building: TreeBuilding | null;
  onClose: () => void;
}) {
  const t = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm<BuildingForm>();
  const update = useUpdateBuilding(form);
  const steward = building?.steward;
  return (
    <FormModal<BuildingForm>
      open={building !== null}
      title={t('registry.buildings.editTitle', { name: building?.name ?? '' })}
      form={form}
      saving={update.isPending}
      okText={t('common.save')}
      initialValues={
        building
          ? {
              name: building.name,
              code: building.code,
              stewardUserId: steward
                ? { value: steward.id, label: `${steward.name}（${steward.employeeNo}）` }
                : null,
            }
          : undefined
      }
      onCancel={onClose}
      onSubmit={(values) =>
        building &&
        update.mutate(
          {
            id: building.id,
            body: {
              name: values.name.trim(),
              code: values.code?.trim() || null,
              // only when changed: renaming a building does not re-check a steward chosen long ago
              ...((values.stewardUserId?.value ?? null) !== (steward?.id ?? null)
                ? { stewardUserId: values.stewardUserId?.value ?? null }
                : {}),
            },
          },
          {
            onSuccess: (saved) => {
              void message.success(t('registry.buildings.saved', { name: saved.name }));
              onClose();
            },
          },
        )
      }
      testId="building-edit"
    >
      <Form.Item
        name="name"
        label={t('registry.buildings.name')}
        rules={[
          {
            required: true,
            whitespace: true,
            message: t('common.required', { field: t('registry.buildings.name') }),
          },
        ]}
      >
        <Input maxLength={30} />
      </Form.Item>
      <Form.Item name="code" label={t('registry.buildings.code')}>
        <Input maxLength={30} />
      </Form.Item>
      <Form.Item
        name="stewardUserId"
        label={t('registry.buildings.steward')}
        extra={t('registry.buildings.stewardHint')}
      >
        <StaffPicker
          communityId={communityId}
          staffRole="steward"
          placeholder={t('registry.buildings.stewardPlaceholder')}
          data-testid="building-steward"
        />
      </Form.Item>
    </FormModal>
  );
}
