import { MessageOutlined } from '@ant-design/icons';
import { Button, Flex, Segmented, Select, Table, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useSearchParams } from 'react-router';
import { DESK_ROLES, READ_ROLES, type Role } from '../../../domain/roles';
import { useCommunity } from '../../app/community';
import { useI18n } from '../../app/i18n';
import { useCurrentUser } from '../../app/session';
import { PageHeader } from '../../components/PageHeader';
import { CallbackActions, CallbackCountdown, CallbackSummary } from './CallbackRow';
import { MessageModal } from './MessageModal';
import { type CallbackItem, type CallbackQuery, useCallbacks } from './queries';

type View = NonNullable<CallbackQuery['view']>;
type Status = NonNullable<CallbackQuery['status']>;

/**
 * 回电与留言 (R30): the callbacks due, the one due first on top, each with its countdown, the
 * number to call (tel:), the attempt buttons and close-with-reason; and 记录留言, the message
 * form with its read-back step. The desk sees its communities' callbacks; a colleague sees theirs.
 * `?focus=<id>` (from an alert) highlights one.
 */
export function CallbacksPage() {
  const { t } = useI18n();
  const me = useCurrentUser();
  const roles = me.roles as Role[];
  const desk = roles.some((r) => READ_ROLES.includes(r));
  const canTake = roles.some((r) => DESK_ROLES.includes(r));
  const { communityId } = useCommunity();
  const [params] = useSearchParams();
  const focus = params.get('focus');
  const [view, setView] = useState<View>(desk ? 'all' : 'mine');
  const [status, setStatus] = useState<Status>(focus ? 'any' : 'open');
  const [taking, setTaking] = useState(false);
  const { data, isLoading } = useCallbacks({
    view,
    status,
    communityId: desk ? communityId : undefined,
    limit: 200,
  });

  useEffect(() => {
    // once the rows are there
    if (!focus || !data) return;
    document.querySelector(`[data-row-key="${focus}"]`)?.scrollIntoView({ block: 'center' });
  }, [focus, data]);

  const views: View[] = desk ? ['all', 'mine', 'team', 'desk'] : ['mine', 'team'];
  return (
    <Flex vertical gap={16}>
      <PageHeader
        title={t('callbacks.title')}
        extra={
          canTake && (
            <Button
              type="primary"
              icon={<MessageOutlined />}
              onClick={() => setTaking(true)}
              data-testid="take-message"
            >
              {t('callbacks.takeMessage')}
            </Button>
          )
        }
      />
      <Typography.Text type="secondary">{t('callbacks.subtitle')}</Typography.Text>
      <Flex gap={12} wrap>
        <Segmented<View>
          value={view}
          onChange={setView}
          options={views.map((v) => ({ value: v, label: t(`callbacks.view.${v}`) }))}
        />
        <Select<Status>
          value={status}
          onChange={setStatus}
          style={{ width: 140 }}
          aria-label={t('callbacks.column.actions')}
          options={(['open', 'done', 'closed', 'any'] as const).map((s) => ({
            value: s,
            label: t(`callbacks.status.${s}`),
          }))}
        />
      </Flex>
      <Table<CallbackItem>
        rowKey="id"
        loading={isLoading}
        dataSource={data?.items ?? []}
        pagination={false}
        locale={{ emptyText: t('callbacks.empty') }}
        data-testid="callbacks-table"
        onRow={(row) =>
          ({
            'data-testid': `callback-row-${row.id}`,
            style: row.id === focus ? { outline: '2px solid #1677ff', outlineOffset: -2 } : undefined,
          }) as never
        }
        columns={[
          {
            title: t('callbacks.column.due'),
            key: 'due',
            width: 150,
            render: (_v, row) => <CallbackCountdown callback={row} offsetMs={data?.offsetMs ?? 0} />,
          },
          {
            title: t('callbacks.column.caller'),
            key: 'caller',
            render: (_v, row) => <CallbackSummary callback={row} />,
          },
          {
            title: t('callbacks.column.forWhom'),
            key: 'for',
            width: 160,
            render: (_v, row) =>
              row.forUser
                ? `${row.forUser.name}（${row.forUser.employeeNo}）`
                : (row.forTeam?.name ?? t('callbacks.deskPool')),
          },
          {
            title: t('callbacks.column.attempts'),
            key: 'attempts',
            width: 110,
            render: (_v, row) =>
              row.status === 'open'
                ? row.outcome
                  ? `${row.attempts} · ${t(`callbacks.outcome.${row.outcome}`)}`
                  : '—'
                : t(`callbacks.status.${row.status}`) + (row.closeReason ? `：${row.closeReason}` : ''),
          },
          {
            title: t('callbacks.column.actions'),
            key: 'actions',
            width: 330,
            render: (_v, row) => <CallbackActions callback={row} />,
          },
        ]}
      />
      <MessageModal open={taking} onClose={() => setTaking(false)} />
    </Flex>
  );
}
