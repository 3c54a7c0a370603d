import { PhoneOutlined } from '@ant-design/icons';
import { App, Button, Card, Col, Flex, Input, Row, Statistic, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useEffect, useState } from 'react';
import { RequireAccess } from '../../app/guards';
import { useI18n } from '../../app/i18n';
import { useAccess } from '../../app/session';
import { EmptyState } from '../../components/EmptyState';
import { formatWhen } from '../../components/format';
import { PageHeader } from '../../components/PageHeader';
import { CallbacksPanel } from '../callbacks/CallbacksPanel';
import { KnowledgeSearch } from '../knowledge/KnowledgeSearch';
import {
  type CallItem,
  useCallStatsToday,
  useLiveCalls,
  useMyCallsToday,
  useMyExtension,
  useSetExtension,
} from './queries';

function OutcomeTag({ call }: { call: CallItem }) {
  const { t } = useI18n();
  if (call.status !== 'ended') return <Tag color="processing">{t(`calls.status.${call.status}`)}</Tag>;
  const outcome = call.outcome ?? 'missed';
  const color =
    outcome === 'answered' ? 'green' : ['missed', 'abandoned'].includes(outcome) ? 'red' : 'default';
  return <Tag color={color}>{t(`calls.outcome.${outcome as 'answered'}`)}</Tag>;
}

function useColumns(withAgent: boolean): ColumnsType<CallItem> {
  const { t } = useI18n();
  const seconds = (n: number | null) => (n === null ? '—' : t('calls.seconds', { n }));
  const columns: ColumnsType<CallItem> = [
    {
      title: t('calls.col.time'),
      dataIndex: 'ringingAt',
      width: 120,
      render: (v: string) => formatWhen(v, t),
    },
    {
      title: t('calls.col.direction'),
      dataIndex: 'direction',
      width: 80,
      render: (v: 'in' | 'out') => t(`calls.direction.${v}`),
    },
    { title: t('calls.col.number'), dataIndex: 'number', width: 140, render: (v: string | null) => v ?? '—' },
    {
      title: t('calls.col.resident'),
      key: 'resident',
      render: (_, call) => (call.resident ? `${call.resident.greeting}（${call.resident.name}）` : '—'),
    },
  ];
  if (withAgent)
    columns.push({
      title: t('calls.col.agent'),
      key: 'agent',
      width: 120,
      render: (_, call) => (call.agent ? `${call.agent.name} ${call.agent.employeeNo}` : '—'),
    });
  columns.push(
    {
      title: t('calls.col.ring'),
      dataIndex: 'ringSeconds',
      width: 90,
      render: (v: number | null, call) => (
        <Typography.Text
          type={call.withinThreshold === false ? 'danger' : undefined}
          data-testid="call-ring-seconds"
        >
          {seconds(v)}
        </Typography.Text>
      ),
    },
    {
      title: t('calls.col.talk'),
      dataIndex: 'talkSeconds',
      width: 90,
      render: (v: number | null) => seconds(v),
    },
    {
      title: t('calls.col.outcome'),
      key: 'outcome',
      width: 110,
      render: (_, call) => <OutcomeTag call={call} />,
    },
    {
      title: t('calls.col.tickets'),
      key: 'tickets',
      width: 140,
      render: (_, call) =>
        call.tickets.length ? call.tickets.map((ticket) => <Tag key={ticket.id}>{ticket.number}</Tag>) : '—',
    },
  );
  return columns;
}

function ExtensionBox() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const { data } = useMyExtension();
  const save = useSetExtension();
  const [value, setValue] = useState('');
  useEffect(() => setValue(data?.extension ?? ''), [data?.extension]);
  return (
    <Flex gap={8} align="center" wrap>
      <Typography.Text strong>
        <PhoneOutlined aria-hidden /> {t('calls.extension')}
      </Typography.Text>
      <Input
        aria-label={t('calls.extension')}
        value={value}
        placeholder={t('calls.extensionNone')}
        onChange={(e) => setValue(e.target.value)}
        style={{ width: 140 }}
        data-testid="extension-input"
      />
      <Button
        loading={save.isPending}
        onClick={() =>
          save.mutate(value.trim() || null, {
            onSuccess: () => void message.success(t('calls.extensionSaved')),
          })
        }
        data-testid="extension-save"
      >
        {t('calls.extensionSave')}
      </Button>
      <Typography.Text type="secondary">{t('calls.extensionHint')}</Typography.Text>
    </Flex>
  );
}

/**
 * The call desk (§4): calls ringing or on the line now, my calls today with ring-to-answer and talk
 * times, the three-ring rate today, my extension, and the messages and callbacks due.
 */
export function CallsPage() {
  const { t } = useI18n();
  const live = useLiveCalls();
  const mine = useMyCallsToday();
  const stats = useCallStatsToday();
  const liveColumns = useColumns(true);
  const mineColumns = useColumns(false);
  const overall = stats.data?.overall;

  return (
    <Flex vertical gap={16}>
      <PageHeader
        title={t('calls.title')}
        extra={
          <>
            <KnowledgeSearch />
            <ExtensionBox />
          </>
        }
      />
      <Row gutter={[16, 16]}>
        <Col xs={24} md={8}>
          <Card size="small" data-testid="calls-rate">
            <Statistic
              title={t('calls.rate')}
              value={
                overall?.rate === null || overall?.rate === undefined ? '—' : Math.round(overall.rate * 100)
              }
              suffix={overall?.rate === null || overall?.rate === undefined ? undefined : '%'}
            />
            <Flex gap={8} wrap>
              <Tag>{t('calls.offered', { n: overall?.offered ?? 0 })}</Tag>
              <Tag color="green">{t('calls.answeredWithin', { n: overall?.answeredWithin ?? 0 })}</Tag>
            </Flex>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('calls.rateHint', { seconds: stats.data?.thresholdSeconds ?? 15 })}
            </Typography.Text>
          </Card>
        </Col>
        <Col xs={24} md={16}>
          <CallbacksPanel />
        </Col>
      </Row>
      <Card size="small" title={t('calls.live')} data-testid="calls-live">
        <Table<CallItem>
          rowKey="id"
          size="small"
          columns={liveColumns}
          dataSource={live.data?.items ?? []}
          loading={live.isLoading}
          pagination={false}
          locale={{ emptyText: <EmptyState text={t('calls.liveEmpty')} /> }}
          scroll={{ x: 900 }}
        />
      </Card>
      <Card size="small" title={t('calls.myLog')} data-testid="calls-mine">
        <Table<CallItem>
          rowKey="id"
          size="small"
          columns={mineColumns}
          dataSource={mine.data?.items ?? []}
          loading={mine.isLoading}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          locale={{ emptyText: <EmptyState text={t('calls.myLogEmpty')} /> }}
          scroll={{ x: 900 }}
        />
      </Card>
    </Flex>
  );
}

/** /calls for the desk roles (those who take calls and log requests). */
export function CallsRoute() {
  const access = useAccess();
  return (
    <RequireAccess allowed={access.createTickets}>
      <CallsPage />
    </RequireAccess>
  );
}
