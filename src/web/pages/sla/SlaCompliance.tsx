import { Flex, Progress, Segmented, Select, Table, type TableColumnsType, Typography } from 'antd';
import dayjs from 'dayjs';
import { useMemo, useState } from 'react';
import { useCommunity } from '../../app/community';
import { useI18n } from '../../app/i18n';
import { EmptyState } from '../../components/EmptyState';
import { COMPLIANCE_GROUPS, type ComplianceGroup, useCompliance } from './queries';

type Period = 'today' | 'week' | 'month';
const PERIOD_DAYS: Record<Period, number> = { today: 0, week: 6, month: 29 };

/** The promise the on-time rate is judged by ([001]: 95%): below it the bar turns red. */
const PROMISED_RATE = 0.95;

interface Row {
  key: string | null;
  name: string | null;
  total: number;
  onTime: number;
  rate: number | null;
}

/**
 * The on-time rate of the clocks started in a period, per community, team, worker, request type
 * or target (GET /sla/compliance). A table: the console has no chart library.
 */
export function SlaCompliance() {
  const { t, tOr } = useI18n();
  const { communityId } = useCommunity();
  const [period, setPeriod] = useState<Period>('week');
  const [groupBy, setGroupBy] = useState<ComplianceGroup>('community');
  // whole days in the browser's zone, up to the end of today (the period is the desk's days)
  const range = useMemo(() => {
    const end = dayjs().endOf('day');
    const start = end.subtract(PERIOD_DAYS[period], 'day').startOf('day');
    return { from: start.toISOString(), to: end.add(1, 'millisecond').toISOString() };
  }, [period]);
  const { data, isLoading } = useCompliance({ ...range, communityId, groupBy });

  const nameOf = (row: Row): string => {
    if (row.key === null) return t('sla.compliance.unknown');
    if (groupBy === 'type') return tOr(`tickets.type.${row.key}`, row.key);
    if (groupBy === 'target') return tOr(`sla.target.${row.key}`, row.key);
    return row.name ?? row.key;
  };
  const columns: TableColumnsType<Row> = [
    { title: t(`sla.compliance.group.${groupBy}`), key: 'name', render: (_v, row) => nameOf(row) },
    { title: t('sla.compliance.total'), dataIndex: 'total', width: 110, align: 'right' },
    { title: t('sla.compliance.onTime'), dataIndex: 'onTime', width: 90, align: 'right' },
    {
      title: t('sla.compliance.rate'),
      dataIndex: 'rate',
      width: 220,
      render: (rate: number | null) =>
        rate === null ? (
          '—'
        ) : (
          <Progress
            percent={Math.round(rate * 1000) / 10}
            size="small"
            status={rate >= PROMISED_RATE ? 'success' : 'exception'}
            format={(percent) => `${percent}%`}
          />
        ),
    },
  ];
  return (
    <section data-testid="sla-compliance" aria-labelledby="sla-compliance-title">
      <Flex justify="space-between" align="center" wrap gap={8} style={{ marginBottom: 8 }}>
        <Typography.Title level={5} id="sla-compliance-title" style={{ margin: 0 }}>
          {t('sla.compliance.title')}
        </Typography.Title>
        <Flex gap={8} align="center" wrap>
          <Segmented<Period>
            aria-label={t('sla.compliance.period')}
            value={period}
            onChange={setPeriod}
            options={(['today', 'week', 'month'] as const).map((value) => ({
              value,
              label: t(`sla.compliance.${value}`),
            }))}
          />
          <Typography.Text type="secondary">{t('sla.compliance.groupBy')}</Typography.Text>
          <Select<ComplianceGroup>
            aria-label={t('sla.compliance.groupBy')}
            value={groupBy}
            onChange={setGroupBy}
            options={COMPLIANCE_GROUPS.map((value) => ({
              value,
              label: t(`sla.compliance.group.${value}`),
            }))}
            style={{ width: 140 }}
          />
        </Flex>
      </Flex>
      <Table<Row>
        rowKey={(row) => row.key ?? '∅'}
        size="small"
        columns={columns}
        dataSource={data?.rows ?? []}
        loading={isLoading}
        pagination={false}
        locale={{ emptyText: isLoading ? ' ' : <EmptyState text={t('sla.compliance.empty')} /> }}
      />
    </section>
  );
}
