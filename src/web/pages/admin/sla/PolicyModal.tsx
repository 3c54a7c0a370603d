import {
  App,
  Checkbox,
  Descriptions,
  Flex,
  Form,
  InputNumber,
  Radio,
  Select,
  Space,
  TreeSelect,
  type TreeSelectProps,
  Typography,
} from 'antd';
import { useMemo } from 'react';
import { TICKET_PRIORITIES, TICKET_TYPES, type TicketPriority, type TicketType } from '../../../api/types';
import { useCommunity } from '../../../app/community';
import { useT } from '../../../app/i18n';
import { useAccess } from '../../../app/session';
import { FormModal } from '../../../components/FormModal';
import { useCategories, useCategoryNames } from '../../tickets/categories';
import {
  DURATION_UNITS,
  type DurationUnit,
  formatPolicyMinutes,
  splitMinutes,
  toMinutes,
} from './policyForm';
import { SLA_TARGETS, type SlaPolicy, type SlaTarget, useCreatePolicy, useUpdatePolicy } from './queries';

/** The scope field's value for the company's own policies (a community's is its id). */
export const COMPANY_SCOPE = '__company__';

interface PolicyFormValues {
  communityId?: string;
  ticketType?: TicketType;
  priority?: TicketPriority;
  categoryId?: string;
  target?: SlaTarget;
  noClock: boolean;
  amount?: number | null;
  unit: DurationUnit;
  businessHours: boolean;
  warnPercent: number;
}

export type PolicyEditing = { mode: 'create' } | { mode: 'edit'; policy: SlaPolicy } | null;

/** The category tree to pick from: a first level covers its children (a policy for 水电 covers 漏水). */
function useCategoryTree(): TreeSelectProps['treeData'] {
  const { data } = useCategories();
  return useMemo(
    () =>
      (data ?? []).map((parent) => ({
        value: parent.id,
        title: parent.name,
        children: parent.children
          .filter((child) => !child.archived)
          .map((child) => ({ value: child.id, title: child.name })),
      })),
    [data],
  );
}

/**
 * Adds a policy (scope, type, priority, category, target, time, counting, warning) or changes the
 * time, counting and warning of one; what a policy applies to is fixed once it exists.
 */
export function PolicyModal({
  editing,
  defaultCommunityId,
  onClose,
}: {
  editing: PolicyEditing;
  /** The header's community: a manager adds overrides there first. */
  defaultCommunityId: string | undefined;
  onClose: () => void;
}) {
  const t = useT();
  const { message } = App.useApp();
  const access = useAccess();
  const { communities, nameOf } = useCommunity();
  const categoryNames = useCategoryNames();
  const categoryTree = useCategoryTree();
  const [form] = Form.useForm<PolicyFormValues>();
  const create = useCreatePolicy(form);
  const update = useUpdatePolicy(form);
  const noClock = Form.useWatch('noClock', form);
  const businessHours = Form.useWatch('businessHours', form);
  const policy = editing?.mode === 'edit' ? editing.policy : null;

  const scopeOptions = [
    ...(access.editCompanySla ? [{ value: COMPANY_SCOPE, label: t('slaSettings.scope.company') }] : []),
    ...(access.editSlaSettings
      ? communities.map((community) => ({ value: community.id, label: community.name }))
      : []),
  ];
  const initialScope =
    defaultCommunityId && access.editSlaSettings
      ? defaultCommunityId
      : access.editCompanySla
        ? COMPANY_SCOPE
        : communities[0]?.id;

  const initialValues: Partial<PolicyFormValues> = policy
    ? {
        noClock: policy.minutes === null,
        ...(policy.minutes === null ? { unit: 'minute' as const } : splitMinutes(policy.minutes)),
        businessHours: policy.businessHours,
        warnPercent: policy.warnPercent,
      }
    : { communityId: initialScope, noClock: false, unit: 'minute', businessHours: false, warnPercent: 80 };

  const submit = (values: PolicyFormValues) => {
    const minutes = values.noClock ? null : toMinutes(values.amount, values.unit);
    const timing = { minutes, businessHours: values.businessHours, warnPercent: values.warnPercent };
    if (policy) {
      update.mutate(
        { id: policy.id, body: timing },
        {
          onSuccess: (saved) => {
            void message.success(t('slaSettings.policy.saved', { target: t(`sla.target.${saved.target}`) }));
            onClose();
          },
        },
      );
      return;
    }
    create.mutate(
      {
        communityId: values.communityId === COMPANY_SCOPE ? null : (values.communityId ?? null),
        ticketType: values.ticketType ?? null,
        priority: values.priority ?? null,
        categoryId: values.categoryId ?? null,
        target: values.target as SlaTarget,
        ...timing,
      },
      {
        onSuccess: (saved) => {
          void message.success(t('slaSettings.policy.created', { target: t(`sla.target.${saved.target}`) }));
          onClose();
        },
      },
    );
  };

  const anyText = (text: string) => <Typography.Text type="secondary">{text}</Typography.Text>;

  return (
    <FormModal<PolicyFormValues>
      open={editing !== null}
      title={
        policy
          ? t('slaSettings.policy.editTitle', { target: t(`sla.target.${policy.target}`) })
          : t('slaSettings.policy.newTitle')
      }
      form={form}
      saving={create.isPending || update.isPending}
      okText={t('common.save')}
      initialValues={initialValues}
      onCancel={onClose}
      onSubmit={submit}
      testId="sla-policy-form"
    >
      {policy ? (
        <Descriptions
          size="small"
          column={2}
          style={{ marginBottom: 16 }}
          items={[
            {
              key: 'scope',
              label: t('slaSettings.policy.scope'),
              children: policy.communityId ? nameOf(policy.communityId) : t('slaSettings.scope.company'),
            },
            {
              key: 'target',
              label: t('slaSettings.policy.target'),
              children: t(`sla.target.${policy.target}`),
            },
            {
              key: 'type',
              label: t('slaSettings.policy.type'),
              children: policy.ticketType
                ? t(`tickets.type.${policy.ticketType}`)
                : anyText(t('slaSettings.any.type')),
            },
            {
              key: 'priority',
              label: t('slaSettings.policy.priority'),
              children: policy.priority
                ? t(`tickets.priority.${policy.priority}`)
                : anyText(t('slaSettings.any.priority')),
            },
            {
              key: 'category',
              label: t('slaSettings.policy.category'),
              span: 2,
              children: policy.categoryId
                ? (categoryNames.get(policy.categoryId) ?? policy.categoryId)
                : anyText(t('slaSettings.any.category')),
            },
            {
              key: 'now',
              label: t('slaSettings.policy.duration'),
              span: 2,
              children: formatPolicyMinutes(policy.minutes, t, policy.businessHours),
            },
          ]}
        />
      ) : (
        <>
          <Flex gap={12}>
            <Form.Item
              name="communityId"
              label={t('slaSettings.policy.scope')}
              style={{ flex: 1 }}
              rules={[{ required: true, message: t('slaSettings.policy.pickScope') }]}
            >
              <Select
                options={scopeOptions}
                showSearch={{ optionFilterProp: 'label' }}
                data-testid="sla-policy-scope"
              />
            </Form.Item>
            <Form.Item
              name="target"
              label={t('slaSettings.policy.target')}
              style={{ flex: 1 }}
              rules={[
                {
                  required: true,
                  message: t('common.requiredSelect', { field: t('slaSettings.policy.target') }),
                },
              ]}
            >
              <Select
                options={SLA_TARGETS.map((target) => ({ value: target, label: t(`sla.target.${target}`) }))}
                showSearch={{ optionFilterProp: 'label' }}
                data-testid="sla-policy-target"
              />
            </Form.Item>
          </Flex>
          <Flex gap={12}>
            <Form.Item name="ticketType" label={t('slaSettings.policy.type')} style={{ flex: 1 }}>
              <Select
                allowClear
                placeholder={t('slaSettings.any.type')}
                options={TICKET_TYPES.map((type) => ({ value: type, label: t(`tickets.type.${type}`) }))}
                data-testid="sla-policy-type"
              />
            </Form.Item>
            <Form.Item name="priority" label={t('slaSettings.policy.priority')} style={{ flex: 1 }}>
              <Select
                allowClear
                placeholder={t('slaSettings.any.priority')}
                options={TICKET_PRIORITIES.map((priority) => ({
                  value: priority,
                  label: t(`tickets.priority.${priority}`),
                }))}
                data-testid="sla-policy-priority"
              />
            </Form.Item>
          </Flex>
          <Form.Item name="categoryId" label={t('slaSettings.policy.category')}>
            <TreeSelect
              allowClear
              treeData={categoryTree}
              treeDefaultExpandAll
              placeholder={t('slaSettings.any.category')}
              showSearch={{ treeNodeFilterProp: 'title' }}
              popupMatchSelectWidth={false}
            />
          </Form.Item>
        </>
      )}
      {/* the amount and unit are noStyle items: their errors show under this line */}
      <Form.Item label={t('slaSettings.policy.duration')} required={!noClock}>
        <Flex gap={16} align="center" wrap>
          <Space.Compact>
            <Form.Item
              name="amount"
              noStyle
              dependencies={['unit', 'noClock']}
              rules={[
                ({ getFieldValue }) => ({
                  validator: (_rule, value: number | null | undefined) =>
                    getFieldValue('noClock') || toMinutes(value, getFieldValue('unit')) !== null
                      ? Promise.resolve()
                      : Promise.reject(new Error(t('slaSettings.policy.durationInvalid'))),
                }),
              ]}
            >
              <InputNumber
                min={1}
                max={527_040}
                precision={0}
                disabled={noClock}
                style={{ width: 110 }}
                aria-label={t('slaSettings.policy.amount')}
                inputMode="numeric"
                data-testid="sla-policy-amount"
              />
            </Form.Item>
            <Form.Item name="unit" noStyle>
              <Select
                disabled={noClock}
                style={{ width: 90 }}
                aria-label={t('slaSettings.policy.duration')}
                options={DURATION_UNITS.map((unit) => ({
                  value: unit,
                  label: t(`slaSettings.unit.${unit}`),
                }))}
                data-testid="sla-policy-unit"
              />
            </Form.Item>
          </Space.Compact>
          <Form.Item name="noClock" valuePropName="checked" noStyle>
            <Checkbox data-testid="sla-policy-noclock">{t('slaSettings.policy.noClock')}</Checkbox>
          </Form.Item>
        </Flex>
      </Form.Item>
      <Form.Item
        name="businessHours"
        label={t('slaSettings.policy.mode')}
        extra={businessHours ? t('slaSettings.policy.businessHoursHint') : undefined}
      >
        <Radio.Group
          optionType="button"
          disabled={noClock}
          options={[
            { value: false, label: t('slaSettings.policy.allDay') },
            { value: true, label: t('slaSettings.policy.businessHours') },
          ]}
        />
      </Form.Item>
      <Form.Item
        name="warnPercent"
        label={t('slaSettings.policy.warnPercent')}
        extra={t('slaSettings.policy.warnHint')}
        rules={[
          { required: true, message: t('common.required', { field: t('slaSettings.policy.warnPercent') }) },
        ]}
      >
        <InputNumber min={1} max={100} precision={0} suffix="%" style={{ width: 110 }} disabled={noClock} />
      </Form.Item>
    </FormModal>
  );
}
