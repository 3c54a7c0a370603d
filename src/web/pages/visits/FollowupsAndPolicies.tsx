import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Flex, Form, Input, InputNumber, Segmented, Select, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { api, unwrap } from '../../api/client';
import type { paths } from '../../api/schema';
import { useI18n } from '../../app/i18n';
import { EmptyState } from '../../components/EmptyState';
import { FormModal } from '../../components/FormModal';
import { formatFull } from '../../components/format';

type Json<R> = R extends { content: { 'application/json': infer T } } ? T : never;
type Followup = Json<paths['/api/v1/visit-followups']['get']['responses'][200]>['items'][number];
type FollowupStatus = 'open' | 'closed' | 'any';
type Policies = Json<paths['/api/v1/return-visit-policies']['get']['responses'][200]>;
type Policy = Policies['items'][number];
const DIMENSIONS = ['overall', 'speed', 'attitude', 'quality'] as const;
const FOLLOWUPS_KEY = ['return-visits', 'followups'] as const;
const POLICIES_KEY = ['return-visits', 'policies'] as const;

/** Who closes follow-ups (the server's FOLLOWUP_CLOSERS) and who sets the policies (POLICY_WRITERS). */
export const FOLLOWUP_CLOSERS = ['supervisor', 'manager', 'admin'];
export const POLICY_READERS = ['supervisor', 'manager', 'quality', 'admin'];
export const POLICY_WRITERS = ['manager', 'admin'];

/**
 * 差评跟进 (R34): the complaint follow-ups poor scores opened, for the 客服主管 to call the resident
 * and close each with what was done.
 */
export function FollowupsTab({ canClose }: { canClose: boolean }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<FollowupStatus>('open');
  const [closing, setClosing] = useState<Followup | null>(null);
  const [form] = Form.useForm<{ outcome: string }>();
  const { data, isLoading } = useQuery({
    queryKey: [...FOLLOWUPS_KEY, status],
    queryFn: () => unwrap(api.GET('/api/v1/visit-followups', { params: { query: { status, limit: 200 } } })),
  });
  const close = useMutation({
    mutationFn: ({ id, version, outcome }: { id: string; version: number; outcome: string }) =>
      unwrap(
        api.POST('/api/v1/visit-followups/{id}/close', {
          params: { path: { id } },
          body: { version, outcome },
        }),
      ),
    meta: { form },
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['return-visits'] });
      void queryClient.invalidateQueries({ queryKey: ['reports'] });
      void message.success(t('reports.followupsTab.closed'));
      setClosing(null);
      form.resetFields();
    },
  });
  return (
    <Flex vertical gap={12}>
      <Segmented<FollowupStatus>
        value={status}
        onChange={setStatus}
        options={(['open', 'closed', 'any'] as const).map((s) => ({
          value: s,
          label: t(`reports.followupsTab.status.${s}`),
        }))}
      />
      <Table<Followup>
        rowKey="id"
        size="middle"
        loading={isLoading}
        dataSource={data?.items ?? []}
        pagination={false}
        locale={{ emptyText: <EmptyState text={t('reports.followupsTab.empty')} /> }}
        data-testid="followups-table"
        columns={[
          {
            key: 'ticket',
            title: t('reports.followups.ticket'),
            render: (_, f) => (
              <Flex vertical gap={2}>
                <Link to={`/tickets/${f.ticketId}`}>{f.ticketNumber}</Link>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {formatFull(f.createdAt, t)}
                </Typography.Text>
              </Flex>
            ),
          },
          {
            key: 'scores',
            title: t('reports.followups.scores'),
            render: (_, f) => (
              <Flex vertical gap={2}>
                <span>
                  {DIMENSIONS.map((d) => (
                    <Tag key={d} color={f.reason.includes(d) ? 'red' : undefined}>
                      {t(`reports.column.${d}`)} {f.rating[d]}
                    </Tag>
                  ))}
                </span>
                {f.rating.comment ? <Typography.Text>{f.rating.comment}</Typography.Text> : null}
              </Flex>
            ),
          },
          {
            key: 'assignee',
            title: t('reports.followupsTab.assignee'),
            render: (_, f) => f.assignee?.name ?? '—',
          },
          {
            key: 'status',
            title: t('reports.followups.status'),
            render: (_, f) => (
              <Tag color={f.status === 'closed' ? 'green' : 'orange'}>
                {t(`reports.followups.${f.status}`)}
              </Tag>
            ),
          },
          {
            key: 'outcome',
            title: t('reports.followups.outcome'),
            render: (_, f) =>
              f.outcome ? (
                <Flex vertical gap={2}>
                  <Typography.Text>{f.outcome}</Typography.Text>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {f.closedBy?.name} · {f.closedAt ? formatFull(f.closedAt, t) : ''}
                  </Typography.Text>
                </Flex>
              ) : (
                '—'
              ),
          },
          ...(canClose
            ? [
                {
                  key: 'actions',
                  title: '',
                  render: (_: unknown, f: Followup) =>
                    f.status === 'open' ? (
                      <Button size="small" onClick={() => setClosing(f)} data-testid="followup-close">
                        {t('reports.followupsTab.close')}
                      </Button>
                    ) : null,
                },
              ]
            : []),
        ]}
      />
      <FormModal<{ outcome: string }>
        open={closing !== null}
        title={t('reports.followupsTab.closeTitle', { number: closing?.ticketNumber ?? '' })}
        form={form}
        onCancel={() => setClosing(null)}
        onSubmit={(values) =>
          closing && close.mutate({ id: closing.id, version: closing.version, outcome: values.outcome })
        }
        saving={close.isPending}
        okText={t('reports.followupsTab.close')}
        testId="followup-close-modal"
      >
        <Form.Item
          name="outcome"
          label={t('reports.followups.outcome')}
          rules={[{ required: true, whitespace: true, message: t('reports.followupsTab.outcomeRequired') }]}
        >
          <Input.TextArea maxLength={1000} autoSize={{ minRows: 3, maxRows: 6 }} />
        </Form.Item>
      </FormModal>
    </Flex>
  );
}

/** 回访策略 (R33): per kind of finished job, none / skip if rated / always, and the sampling rate. */
export function PoliciesTab({ canEdit }: { canEdit: boolean }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const { data, isLoading } = useQuery({
    queryKey: POLICIES_KEY,
    queryFn: () => unwrap(api.GET('/api/v1/return-visit-policies')),
  });
  const [edits, setEdits] = useState<Record<string, Pick<Policy, 'mode' | 'samplePercent'>>>({});
  const save = useMutation({
    mutationFn: (policies: Pick<Policy, 'kind' | 'mode' | 'samplePercent'>[]) =>
      unwrap(api.PUT('/api/v1/return-visit-policies', { body: { policies } })),
    onSuccess: (saved) => {
      queryClient.setQueryData(POLICIES_KEY, saved);
      setEdits({});
      void message.success(t('reports.policies.saved'));
    },
  });
  const rows = (data?.items ?? []).map((p) => ({ ...p, ...edits[p.kind] }));
  const changed = Object.keys(edits);
  return (
    <Flex vertical gap={12}>
      <Typography.Text type="secondary">{t('reports.policies.hint')}</Typography.Text>
      <Table<Policy>
        rowKey="kind"
        size="middle"
        loading={isLoading}
        dataSource={rows}
        pagination={false}
        data-testid="policies-table"
        columns={[
          { key: 'kind', title: t('reports.policies.kind'), render: (_, p) => t(`visits.kind.${p.kind}`) },
          {
            key: 'mode',
            title: t('reports.policies.mode'),
            render: (_, p) => (
              <Select<Policy['mode']>
                value={p.mode}
                disabled={!canEdit}
                style={{ width: 180 }}
                onChange={(mode) =>
                  setEdits((e) => ({ ...e, [p.kind]: { mode, samplePercent: p.samplePercent } }))
                }
                options={(['always', 'skip_if_rated', 'none'] as const).map((m) => ({
                  value: m,
                  label: t(`visits.mode.${m}`),
                }))}
              />
            ),
          },
          {
            key: 'sample',
            title: t('reports.policies.sample'),
            render: (_, p) => (
              <InputNumber<number>
                value={p.samplePercent}
                min={0}
                max={100}
                precision={0}
                suffix="%"
                disabled={!canEdit || p.mode === 'none'}
                onChange={(value) =>
                  setEdits((e) => ({ ...e, [p.kind]: { mode: p.mode, samplePercent: value ?? 0 } }))
                }
              />
            ),
          },
          {
            key: 'updatedAt',
            title: t('reports.policies.updatedAt'),
            render: (_, p) => formatFull(p.updatedAt, t),
          },
        ]}
      />
      {canEdit ? (
        <Flex gap={8}>
          <Button
            type="primary"
            disabled={!changed.length}
            loading={save.isPending}
            onClick={() =>
              save.mutate(
                rows
                  .filter((p) => changed.includes(p.kind))
                  .map(({ kind, mode, samplePercent }) => ({
                    kind,
                    mode,
                    samplePercent,
                  })),
              )
            }
            data-testid="policies-save"
          >
            {t('reports.policies.save')}
          </Button>
          <Button disabled={!changed.length} onClick={() => setEdits({})}>
            {t('reports.policies.reset')}
          </Button>
        </Flex>
      ) : null}
    </Flex>
  );
}
