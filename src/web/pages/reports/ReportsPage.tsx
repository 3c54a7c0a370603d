import { FileExcelOutlined } from '@ant-design/icons';
import {
  App,
  Button,
  Card,
  Col,
  DatePicker,
  Flex,
  Row,
  Segmented,
  Statistic,
  Table,
  Tag,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { Link } from 'react-router';
import { useCommunity } from '../../app/community';
import { useI18n } from '../../app/i18n';
import { saveFile } from '../../components/download';
import { EChart, type EChartOption } from '../../components/EChart';
import { EmptyState } from '../../components/EmptyState';
import { formatFull } from '../../components/format';
import { PageHeader } from '../../components/PageHeader';
import {
  type FollowupLine,
  type GroupBy,
  type SatisfactionReport,
  useReportExport,
  useReturnVisitsReport,
  useSatisfactionReport,
} from './queries';

const GROUP_BYS: GroupBy[] = ['community', 'team', 'worker', 'category', 'month'];
const DAY = 'YYYY-MM-DD';
type Group = SatisfactionReport['groups'][number];

/** Numbers and shares as the locale writes them: 1,234 · 3.7 · 66.7%. */
function useFormat() {
  const { locale } = useI18n();
  return useMemo(() => {
    const decimal = new Intl.NumberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
    const integer = new Intl.NumberFormat(locale);
    const percent = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 });
    return {
      score: (v: number | null) => (v === null ? '—' : decimal.format(v)),
      count: (v: number) => integer.format(v),
      rate: (v: number | null) => (v === null ? '—' : percent.format(v)),
    };
  }, [locale]);
}

/**
 * 满意度报表 (§5 R33 R34): satisfaction by community, team, worker, category or month over a
 * period (this month by default), the trend by month, the return visits done on time, the reopen
 * rate and the complaint follow-ups with their outcomes; each part exported as .xlsx.
 */
export function ReportsPage() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const fmt = useFormat();
  const { communityId } = useCommunity();
  const [range, setRange] = useState<[Dayjs, Dayjs]>(() => [
    dayjs().startOf('month'),
    dayjs().endOf('month'),
  ]);
  const [groupBy, setGroupBy] = useState<GroupBy>('community');
  const period = { from: range[0].format(DAY), to: range[1].format(DAY), communityId };
  const satisfaction = useSatisfactionReport({ ...period, groupBy });
  const visits = useReturnVisitsReport(period);
  const exporter = useReportExport();
  const report = satisfaction.data;
  const noneName = t('reports.none');
  const nameOf = (g: Group) => g.name ?? noneName;

  const exportButton = (which: 'satisfaction' | 'return-visits') => (
    <Button
      icon={<FileExcelOutlined />}
      loading={exporter.isPending && exporter.variables?.report === which}
      onClick={() =>
        exporter.mutate(
          { report: which, query: { ...period, groupBy } },
          {
            onSuccess: (file) => {
              saveFile(file);
              void message.success(t('reports.exported', { file: file.fileName }));
            },
          },
        )
      }
      data-testid={`report-export-${which}`}
    >
      {t('reports.export')}
    </Button>
  );

  const groupLabel = t(`reports.groupBy.${groupBy}`);
  const barOption = useMemo<EChartOption>(
    () => ({
      tooltip: { trigger: 'axis' },
      legend: { top: 0, data: [t('reports.chart.overall'), t('reports.chart.rate')] },
      grid: { left: 48, right: 56, top: 56, bottom: 48 },
      xAxis: {
        type: 'category',
        data: (report?.groups ?? []).map((g) => g.name ?? noneName),
        axisLabel: { interval: 0, rotate: (report?.groups.length ?? 0) > 6 ? 30 : 0 },
      },
      yAxis: [
        { type: 'value', min: 0, max: 5, name: t('reports.chart.overall') },
        {
          type: 'value',
          min: 0,
          max: 100,
          name: t('reports.chart.rate'),
          axisLabel: { formatter: '{value}%' },
        },
      ],
      series: [
        {
          name: t('reports.chart.overall'),
          type: 'bar',
          barMaxWidth: 40,
          data: (report?.groups ?? []).map((g) => g.overall),
          label: { show: true, position: 'top' },
        },
        {
          name: t('reports.chart.rate'),
          type: 'line',
          yAxisIndex: 1,
          data: (report?.groups ?? []).map((g) =>
            g.satisfiedRate === null ? null : Math.round(g.satisfiedRate * 1000) / 10,
          ),
        },
      ],
    }),
    [report, t, noneName],
  );
  const lineOption = useMemo<EChartOption>(
    () => ({
      tooltip: { trigger: 'axis' },
      legend: { top: 0, data: [t('reports.chart.overall'), t('reports.chart.rate')] },
      grid: { left: 48, right: 56, top: 56, bottom: 32 },
      xAxis: { type: 'category', data: (report?.months ?? []).map((m) => m.month) },
      yAxis: [
        { type: 'value', min: 0, max: 5, name: t('reports.chart.overall') },
        {
          type: 'value',
          min: 0,
          max: 100,
          name: t('reports.chart.rate'),
          axisLabel: { formatter: '{value}%' },
        },
      ],
      series: [
        {
          name: t('reports.chart.overall'),
          type: 'line',
          connectNulls: true,
          data: (report?.months ?? []).map((m) => m.overall),
        },
        {
          name: t('reports.chart.rate'),
          type: 'line',
          yAxisIndex: 1,
          connectNulls: true,
          data: (report?.months ?? []).map((m) =>
            m.satisfiedRate === null ? null : Math.round(m.satisfiedRate * 1000) / 10,
          ),
        },
      ],
    }),
    [report, t],
  );

  const v = visits.data?.visits;
  const reopen = visits.data?.reopen;
  const followups = visits.data?.followups;
  return (
    <Flex vertical gap={16}>
      <PageHeader title={t('reports.title')} extra={exportButton('satisfaction')} />
      <Flex gap={12} wrap align="center">
        <Typography.Text>{t('reports.period')}</Typography.Text>
        <DatePicker.RangePicker
          value={range}
          allowClear={false}
          onChange={(value) => {
            if (value?.[0] && value[1]) setRange([value[0], value[1]]);
          }}
          presets={[
            { label: t('reports.thisMonth'), value: [dayjs().startOf('month'), dayjs().endOf('month')] },
            {
              label: t('reports.lastMonth'),
              value: [
                dayjs().subtract(1, 'month').startOf('month'),
                dayjs().subtract(1, 'month').endOf('month'),
              ],
            },
            { label: t('reports.thisYear'), value: [dayjs().startOf('year'), dayjs().endOf('year')] },
          ]}
          data-testid="report-period"
        />
        <Segmented<GroupBy>
          value={groupBy}
          onChange={setGroupBy}
          options={GROUP_BYS.map((g) => ({ value: g, label: t(`reports.groupBy.${g}`) }))}
          data-testid="report-group-by"
        />
      </Flex>
      <Typography.Text type="secondary">{t('reports.rule')}</Typography.Text>

      <Row gutter={[16, 16]}>
        <Col xs={12} md={4}>
          <Card size="small">
            <Statistic title={t('reports.kpi.count')} value={report ? fmt.count(report.totals.count) : '—'} />
          </Card>
        </Col>
        <Col xs={12} md={4}>
          <Card size="small">
            <Statistic
              title={t('reports.kpi.overall')}
              value={report ? fmt.score(report.totals.overall) : '—'}
              data-testid="report-overall"
            />
          </Card>
        </Col>
        <Col xs={12} md={4}>
          <Card size="small">
            <Statistic
              title={t('reports.kpi.satisfiedRate')}
              value={report ? fmt.rate(report.totals.satisfiedRate) : '—'}
            />
          </Card>
        </Col>
        <Col xs={12} md={4}>
          <Card size="small">
            <Statistic title={t('reports.kpi.onTimeRate')} value={v ? fmt.rate(v.onTimeRate) : '—'} />
          </Card>
        </Col>
        <Col xs={12} md={4}>
          <Card size="small">
            <Statistic title={t('reports.kpi.reopenRate')} value={reopen ? fmt.rate(reopen.rate) : '—'} />
          </Card>
        </Col>
        <Col xs={12} md={4}>
          <Card size="small">
            <Statistic
              title={t('reports.kpi.followups')}
              value={followups ? fmt.count(followups.opened) : '—'}
            />
          </Card>
        </Col>
      </Row>

      <Row gutter={[16, 16]}>
        <Col xs={24} lg={14}>
          <Card size="small" title={t('reports.chart.byGroup', { group: groupLabel })}>
            {report && report.groups.length === 0 ? (
              <EmptyState text={t('reports.empty')} />
            ) : (
              <EChart option={barOption} testId="report-chart-groups" />
            )}
          </Card>
        </Col>
        <Col xs={24} lg={10}>
          <Card size="small" title={t('reports.chart.byMonth')}>
            {report && report.totals.count === 0 ? (
              <EmptyState text={t('reports.empty')} />
            ) : (
              <EChart option={lineOption} testId="report-chart-months" />
            )}
          </Card>
        </Col>
      </Row>

      <Table<Group>
        rowKey={(g) => g.key ?? ''}
        size="middle"
        loading={satisfaction.isLoading}
        dataSource={report?.groups ?? []}
        pagination={false}
        locale={{ emptyText: <EmptyState text={t('reports.empty')} /> }}
        data-testid="report-table"
        columns={[
          { key: 'group', title: groupLabel, render: (_, g) => nameOf(g) },
          {
            key: 'count',
            title: t('reports.column.count'),
            align: 'right',
            render: (_, g) => fmt.count(g.count),
          },
          ...(['overall', 'speed', 'attitude', 'quality'] as const).map((d) => ({
            key: d,
            title: t(`reports.column.${d}`),
            align: 'right' as const,
            render: (_: unknown, g: Group) => fmt.score(g[d]),
          })),
          {
            key: 'satisfied',
            title: t('reports.column.satisfied'),
            align: 'right',
            render: (_, g) => fmt.count(g.satisfied),
          },
          {
            key: 'satisfiedRate',
            title: t('reports.column.satisfiedRate'),
            align: 'right',
            render: (_, g) => fmt.rate(g.satisfiedRate),
          },
        ]}
        summary={() =>
          report && report.groups.length > 1 ? (
            <Table.Summary.Row>
              <Table.Summary.Cell index={0}>
                <Typography.Text strong>∑</Typography.Text>
              </Table.Summary.Cell>
              <Table.Summary.Cell index={1} align="right">
                {fmt.count(report.totals.count)}
              </Table.Summary.Cell>
              {(['overall', 'speed', 'attitude', 'quality'] as const).map((d, i) => (
                <Table.Summary.Cell key={d} index={2 + i} align="right">
                  {fmt.score(report.totals[d])}
                </Table.Summary.Cell>
              ))}
              <Table.Summary.Cell index={6} align="right">
                {fmt.count(report.totals.satisfied)}
              </Table.Summary.Cell>
              <Table.Summary.Cell index={7} align="right">
                {fmt.rate(report.totals.satisfiedRate)}
              </Table.Summary.Cell>
            </Table.Summary.Row>
          ) : null
        }
      />

      <Card size="small" title={t('reports.visits.title')} extra={exportButton('return-visits')}>
        {v && reopen && followups ? (
          <Flex vertical gap={12}>
            <Flex gap={8} wrap data-testid="report-visits">
              {(
                [
                  'due',
                  'onTime',
                  'late',
                  'open',
                  'overdue',
                  'unreachable',
                  'refused',
                  'rated',
                  'cancelled',
                ] as const
              ).map((k) => (
                <Tag
                  key={k}
                  color={k === 'onTime' ? 'green' : k === 'late' || k === 'overdue' ? 'orange' : undefined}
                >
                  {t(`reports.visits.${k}`)} {fmt.count(v[k])}
                </Tag>
              ))}
              <Tag>
                {t('reports.visits.completed')} {fmt.count(reopen.completed)}
              </Tag>
              <Tag color={reopen.reopened ? 'red' : undefined}>
                {t('reports.visits.reopened')} {fmt.count(reopen.reopened)}
              </Tag>
            </Flex>
            <Typography.Text strong>{t('reports.followups.title')}</Typography.Text>
            <Typography.Text type="secondary">
              {t('reports.visits.followupsOpened', {
                opened: fmt.count(followups.opened),
                closed: fmt.count(followups.closed),
                open: fmt.count(followups.open),
              })}
            </Typography.Text>
            <FollowupTable items={followups.items} loading={visits.isLoading} />
          </Flex>
        ) : null}
      </Card>
    </Flex>
  );
}

function FollowupTable({ items, loading }: { items: FollowupLine[]; loading: boolean }) {
  const { t } = useI18n();
  return (
    <Table<FollowupLine>
      rowKey="id"
      size="small"
      loading={loading}
      dataSource={items}
      pagination={items.length > 20 ? { pageSize: 20 } : false}
      locale={{ emptyText: <EmptyState text={t('reports.followups.empty')} /> }}
      data-testid="report-followups"
      columns={[
        {
          key: 'ticket',
          title: t('reports.followups.ticket'),
          render: (_, f) => <Link to={`/tickets/${f.ticketId}`}>{f.ticketNumber}</Link>,
        },
        { key: 'community', title: t('reports.followups.community'), dataIndex: 'communityName' },
        {
          key: 'createdAt',
          title: t('reports.followups.createdAt'),
          render: (_, f) => formatFull(f.createdAt, t),
        },
        {
          key: 'scores',
          title: t('reports.followups.scores'),
          render: (_, f) =>
            (['overall', 'speed', 'attitude', 'quality'] as const)
              .map((d) => `${t(`reports.column.${d}`)} ${f[d]}`)
              .join(' · '),
        },
        { key: 'comment', title: t('reports.followups.comment'), render: (_, f) => f.comment ?? '—' },
        {
          key: 'status',
          title: t('reports.followups.status'),
          render: (_, f) => (
            <Tag color={f.status === 'closed' ? 'green' : 'orange'}>{t(`reports.followups.${f.status}`)}</Tag>
          ),
        },
        { key: 'outcome', title: t('reports.followups.outcome'), render: (_, f) => f.outcome ?? '—' },
      ]}
    />
  );
}
