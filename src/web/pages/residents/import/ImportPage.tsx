import {
  ArrowLeftOutlined,
  CheckCircleFilled,
  CloudUploadOutlined,
  DownloadOutlined,
  FileExcelOutlined,
  ReloadOutlined,
} from '@ant-design/icons';
import {
  Alert,
  Button,
  Card,
  Col,
  Flex,
  Form,
  Progress,
  Result,
  Row,
  Segmented,
  Select,
  Skeleton,
  Statistic,
  Steps,
  Switch,
  Table,
  type TableColumnsType,
  Tag,
  Typography,
  Upload,
} from 'antd';
import { type ReactNode, useEffect, useMemo, useRef, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { IMPORT_FIELDS, type ImportColumn, type ImportField, type ImportJob } from '../../../api/types';
import { useCommunity } from '../../../app/community';
import { useT } from '../../../app/i18n';
import { saveFile } from '../../../components/download';
import { PageHeader } from '../../../components/PageHeader';
import { CommunityPicker } from '../../../components/pickers';
import { groupIssues, type IssueRow } from './issues';
import {
  useCommitImport,
  useDownloadReport,
  useDownloadTemplate,
  useImportJob,
  useRefreshAfterImport,
  useRemap,
  useUploadSheet,
} from './queries';

const IGNORE = '__ignore__';
const ACCEPT = '.xlsx,.csv';

function TemplateLink() {
  const t = useT();
  const template = useDownloadTemplate();
  return (
    <Button
      type="link"
      icon={<DownloadOutlined />}
      loading={template.isPending}
      onClick={() => template.mutate(undefined, { onSuccess: saveFile })}
      style={{ paddingInline: 0 }}
      data-testid="import-template"
    >
      {t('imports.upload.template')}
    </Button>
  );
}

/** Step 1: the community and the file; the upload answers with the mapping and the dry run. */
function UploadStep({ onUploaded }: { onUploaded: (job: ImportJob) => void }) {
  const t = useT();
  const { communityId: headerCommunity, communities } = useCommunity();
  // The header's community until the user picks one (communities may still be loading on first render).
  const [chosen, setCommunityId] = useState<string | undefined>();
  const communityId =
    chosen ?? headerCommunity ?? (communities.length === 1 ? communities[0]?.id : undefined);
  const upload = useUploadSheet();
  const [fileName, setFileName] = useState<string | null>(null);

  return (
    <Row gutter={[24, 24]}>
      <Col xs={24} lg={14}>
        <Form layout="vertical">
          <Form.Item label={t('imports.upload.community')} required extra={t('imports.upload.communityHint')}>
            <CommunityPicker value={communityId} onChange={setCommunityId} data-testid="import-community" />
          </Form.Item>
          <Form.Item label={t('imports.upload.file')} required>
            <Upload.Dragger
              accept={ACCEPT}
              multiple={false}
              showUploadList={false}
              disabled={!communityId || upload.isPending}
              beforeUpload={(file) => {
                if (communityId) {
                  setFileName(file.name);
                  upload.mutate({ communityId, file }, { onSuccess: onUploaded });
                }
                return false;
              }}
              data-testid="import-file"
            >
              <p className="ant-upload-drag-icon">
                <CloudUploadOutlined />
              </p>
              <p className="ant-upload-text">
                {upload.isPending
                  ? t('imports.upload.checking', { file: fileName ?? '' })
                  : communityId
                    ? t('imports.upload.drop')
                    : t('imports.upload.chooseCommunityFirst')}
              </p>
              <p className="ant-upload-hint">{t('imports.upload.formats')}</p>
            </Upload.Dragger>
          </Form.Item>
        </Form>
      </Col>
      <Col xs={24} lg={10}>
        <Card size="small" title={t('imports.upload.howTitle')}>
          <Typography.Paragraph>{t('imports.upload.how1')}</Typography.Paragraph>
          <Typography.Paragraph>{t('imports.upload.how2')}</Typography.Paragraph>
          <Typography.Paragraph>{t('imports.upload.how3')}</Typography.Paragraph>
          <TemplateLink />
        </Card>
      </Col>
    </Row>
  );
}

/** Step 2: how each column is read (pre-filled by the server) and what the dry run found. */
function ReviewStep({
  job,
  onRestart,
  onCommitted,
}: {
  job: ImportJob;
  onRestart: () => void;
  onCommitted: (job: ImportJob) => void;
}) {
  const t = useT();
  const { nameOf } = useCommunity();
  const remap = useRemap();
  const commit = useCommitImport();
  const report = useDownloadReport();
  const [level, setLevel] = useState<'error' | 'note'>(job.counts.invalid > 0 ? 'error' : 'note');
  const groups = useMemo(() => groupIssues(job.issues), [job.issues]);
  const shown = groups.filter((group) => group.level === level || (level === 'note' && group.row === null));
  const sheetProblems = job.issues.filter((issue) => issue.row === null && issue.level === 'error');
  const headerOf = (column: number | null) => job.columns.find((item) => item.index === column)?.header;

  const fieldOptions = [
    { value: IGNORE, label: t('imports.mapping.ignore') },
    ...IMPORT_FIELDS.map((field) => ({ value: field, label: t(`imports.field.${field}`) })),
  ];
  const columnColumns: TableColumnsType<ImportColumn> = [
    { title: t('imports.mapping.column'), dataIndex: 'letter', width: 60 },
    {
      title: t('imports.mapping.header'),
      dataIndex: 'header',
      render: (header: string) =>
        header || <Typography.Text type="secondary">{t('imports.mapping.noHeader')}</Typography.Text>,
    },
    {
      title: t('imports.mapping.field'),
      key: 'field',
      width: 190,
      render: (_value, column) => (
        <Select<string>
          aria-label={t('imports.mapping.fieldOf', { column: column.letter })}
          value={column.field ?? IGNORE}
          options={fieldOptions}
          // all 14 choices at once: a column is mapped at a glance, without scrolling the list
          listHeight={480}
          disabled={remap.isPending}
          style={{ width: '100%' }}
          data-testid={`import-map-${column.letter}`}
          onChange={(value) =>
            remap.mutate({
              job,
              columns: [{ index: column.index, field: value === IGNORE ? null : (value as ImportField) }],
            })
          }
        />
      ),
    },
    {
      title: '',
      key: 'suggested',
      width: 84,
      render: (_value, column) =>
        column.suggested && column.field === column.suggested ? (
          <Tag color="green">{t('imports.mapping.recognised')}</Tag>
        ) : column.field !== column.suggested ? (
          <Tag color="blue">{t('imports.mapping.changed')}</Tag>
        ) : null,
    },
  ];
  const issueColumns: TableColumnsType<IssueRow> = [
    {
      title: t('imports.report.row'),
      dataIndex: 'row',
      width: 90,
      render: (row: number | null) =>
        row === null ? t('imports.report.wholeSheet') : t('imports.report.rowN', { row }),
    },
    {
      title: t('imports.report.problems'),
      key: 'issues',
      render: (_value, group) => (
        <Flex vertical gap={2}>
          {group.issues.map((issue) => (
            <Typography.Text
              key={`${issue.column}-${issue.code}`}
              type={issue.level === 'error' ? 'danger' : 'secondary'}
            >
              {issue.columnLetter ? (
                <Typography.Text strong type={issue.level === 'error' ? 'danger' : 'secondary'}>
                  {t('imports.report.cell', {
                    column: issue.columnLetter,
                    header: headerOf(issue.column) ?? (issue.field ? t(`imports.field.${issue.field}`) : ''),
                  })}
                </Typography.Text>
              ) : null}
              {issue.message}
            </Typography.Text>
          ))}
        </Flex>
      ),
    },
  ];

  const { counts, places } = job;
  const ready = job.status === 'ready' && counts.new > 0;
  const working = remap.isPending;

  return (
    <Flex vertical gap={20}>
      <Flex gap={12} align="center" wrap>
        <FileExcelOutlined style={{ fontSize: 20, color: '#237804' }} aria-hidden />
        <Typography.Text strong>{job.fileName}</Typography.Text>
        <Typography.Text type="secondary">
          {t('imports.review.into', { community: nameOf(job.communityId) })}
          {job.headerRow ? ` · ${t('imports.review.headerRow', { row: job.headerRow })}` : ''}
          {job.encoding ? ` · ${job.encoding.toUpperCase()}` : ''}
        </Typography.Text>
      </Flex>

      {sheetProblems.length > 0 || job.status === 'dry_run' ? (
        <Alert
          type="error"
          showIcon
          title={t('imports.review.cannotImport')}
          description={
            sheetProblems.length > 0
              ? sheetProblems.map((issue) => <div key={issue.code}>{issue.message}</div>)
              : undefined
          }
        />
      ) : null}

      <Card size="small" data-testid="import-counts">
        <Row gutter={[16, 16]}>
          <Col xs={12} md={4}>
            <Statistic title={t('imports.counts.rows')} value={counts.rows} />
          </Col>
          <Col xs={12} md={5}>
            <Statistic
              title={t('imports.counts.new')}
              value={counts.new}
              styles={{ content: { color: '#237804' } }}
            />
          </Col>
          <Col xs={12} md={5}>
            <Statistic title={t('imports.counts.existing')} value={counts.existing} />
          </Col>
          <Col xs={12} md={5}>
            <Statistic
              title={t('imports.counts.invalid')}
              value={counts.invalid}
              styles={{ content: { color: counts.invalid > 0 ? '#cf1322' : undefined } }}
            />
          </Col>
          <Col xs={12} md={5}>
            <Statistic title={t('imports.counts.empty')} value={counts.empty} />
          </Col>
        </Row>
        <Flex gap={12} align="center" wrap style={{ marginTop: 12 }}>
          <Switch
            checked={job.createMissing}
            loading={working}
            onChange={(createMissing) => remap.mutate({ job, createMissing })}
            aria-label={t('imports.review.createMissing')}
            data-testid="import-create-missing"
          />
          <Typography.Text>{t('imports.review.createMissing')}</Typography.Text>
          <Typography.Text type="secondary">
            {places.buildings + places.units + places.rooms > 0
              ? t('imports.review.places', places)
              : t('imports.review.noPlaces')}
          </Typography.Text>
        </Flex>
      </Card>

      <Row gutter={[16, 16]}>
        <Col xs={24} xl={11}>
          <Card
            size="small"
            title={t('imports.mapping.title')}
            extra={<Typography.Text type="secondary">{t('imports.mapping.hint')}</Typography.Text>}
          >
            <Table<ImportColumn>
              rowKey="index"
              size="small"
              columns={columnColumns}
              dataSource={job.columns}
              pagination={false}
              loading={working}
              data-testid="import-mapping"
            />
          </Card>
        </Col>
        <Col xs={24} xl={13}>
          <Card
            size="small"
            title={t('imports.report.title')}
            extra={
              <Button
                size="small"
                icon={<DownloadOutlined />}
                loading={report.isPending}
                onClick={() => report.mutate(job.id, { onSuccess: saveFile })}
                data-testid="import-report"
              >
                {t('imports.report.download')}
              </Button>
            }
          >
            <Flex vertical gap={8}>
              <Segmented<'error' | 'note'>
                value={level}
                onChange={setLevel}
                options={[
                  { value: 'error', label: t('imports.report.errors', { count: counts.invalid }) },
                  { value: 'note', label: t('imports.report.notes') },
                ]}
              />
              <Table<IssueRow>
                rowKey={(group) => `${group.row ?? 'sheet'}`}
                size="small"
                columns={issueColumns}
                dataSource={shown}
                loading={working}
                pagination={{ pageSize: 20, hideOnSinglePage: true, showSizeChanger: false }}
                data-testid="import-issues"
                locale={{
                  emptyText: level === 'error' ? t('imports.report.noErrors') : t('imports.report.noNotes'),
                }}
              />
              {job.issuesTotal > job.issues.length ? (
                <Typography.Text type="secondary">
                  {t('imports.report.truncated', { shown: job.issues.length, total: job.issuesTotal })}
                </Typography.Text>
              ) : null}
            </Flex>
          </Card>
        </Col>
      </Row>

      <Flex justify="space-between" align="center" gap={12} wrap>
        <Button icon={<ReloadOutlined />} onClick={onRestart}>
          {t('imports.review.another')}
        </Button>
        <Flex gap={12} align="center" wrap>
          <Typography.Text type="secondary">
            {ready
              ? counts.invalid > 0
                ? t('imports.review.skipInvalid', { count: counts.invalid })
                : t('imports.review.allGood')
              : t('imports.review.nothingToImport')}
          </Typography.Text>
          <Button
            type="primary"
            size="large"
            disabled={!ready || working}
            loading={commit.isPending}
            onClick={() => commit.mutate(job, { onSuccess: onCommitted })}
            data-testid="import-commit"
          >
            {t('imports.review.commit', { count: counts.new })}
          </Button>
        </Flex>
      </Flex>
    </Flex>
  );
}

/** Step 3: the commit's progress, polled from the job, then what was imported. */
function CommitStep({ job, onRestart }: { job: ImportJob; onRestart: () => void }) {
  const t = useT();
  const commit = useCommitImport();
  const refresh = useRefreshAfterImport();
  const refreshed = useRef(false);
  useEffect(() => {
    if (job.status === 'done' && !refreshed.current) {
      refreshed.current = true;
      void refresh();
    }
  }, [job.status, refresh]);

  const { progress, createdPlaces } = job;
  if (job.status === 'done') {
    return (
      <Result
        status="success"
        icon={<CheckCircleFilled />}
        title={t('imports.done.title', { created: progress.created })}
        subTitle={
          <Flex vertical gap={4} data-testid="import-summary">
            <span>{t('imports.done.summary', { created: progress.created, skipped: progress.skipped })}</span>
            {createdPlaces.buildings + createdPlaces.units + createdPlaces.rooms > 0 ? (
              <span>{t('imports.done.places', createdPlaces)}</span>
            ) : null}
          </Flex>
        }
        extra={[
          <Link key="residents" to="/residents">
            <Button type="primary" data-testid="import-to-residents">
              {t('imports.done.toResidents')}
            </Button>
          </Link>,
          <Button key="again" onClick={onRestart}>
            {t('imports.review.another')}
          </Button>,
        ]}
      />
    );
  }
  const failed = job.status === 'failed';
  return (
    <Flex vertical gap={16} style={{ maxWidth: 720, margin: '24px auto' }}>
      <Typography.Title level={5} style={{ margin: 0 }}>
        {failed ? t('imports.progress.failedTitle') : t('imports.progress.title', { file: job.fileName })}
      </Typography.Title>
      <Progress
        percent={progress.percent}
        status={failed ? 'exception' : job.stalled ? 'normal' : 'active'}
        data-testid="import-progress"
      />
      <Typography.Text type="secondary">
        {t('imports.progress.counts', {
          processed: progress.processed,
          total: progress.total,
          created: progress.created,
          skipped: progress.skipped,
        })}
      </Typography.Text>
      {failed || job.stalled ? (
        <Alert
          type={failed ? 'error' : 'warning'}
          showIcon
          title={failed ? (job.error ?? t('imports.progress.failed')) : t('imports.progress.stalled')}
          description={t('imports.progress.resumeHint')}
          action={
            <Button loading={commit.isPending} onClick={() => commit.mutate(job)}>
              {t('imports.progress.resume')}
            </Button>
          }
        />
      ) : (
        <Typography.Text type="secondary">{t('imports.progress.keepOpen')}</Typography.Text>
      )}
    </Flex>
  );
}

/**
 * The import wizard (R2): upload a sheet as the company already keeps it, check how its columns
 * are read and what would go wrong row by row, then import with a progress bar. Nothing is
 * written to the registry before the commit. The job id is in the address, so a reload resumes.
 */
export function ImportPage() {
  const t = useT();
  const [params, setParams] = useSearchParams();
  const jobId = params.get('job') ?? undefined;
  const { data: job, isLoading, isError } = useImportJob(jobId);
  const setJob = (next: ImportJob | undefined) => setParams(next ? { job: next.id } : {}, { replace: !next });

  let step = 0;
  if (job) step = job.status === 'dry_run' || job.status === 'ready' ? 1 : 2;

  let body: ReactNode;
  if (jobId && isLoading) body = <Skeleton active paragraph={{ rows: 8 }} />;
  else if (jobId && (isError || !job))
    body = (
      <Result
        status="warning"
        title={t('imports.notFound')}
        extra={<Button onClick={() => setJob(undefined)}>{t('imports.review.another')}</Button>}
      />
    );
  else if (!job) body = <UploadStep onUploaded={setJob} />;
  else if (step === 1)
    body = <ReviewStep job={job} onRestart={() => setJob(undefined)} onCommitted={setJob} />;
  else body = <CommitStep job={job} onRestart={() => setJob(undefined)} />;

  return (
    <>
      <PageHeader
        title={
          <>
            <Link to="/residents" aria-label={t('common.back')} style={{ marginInlineEnd: 12 }}>
              <ArrowLeftOutlined />
            </Link>
            {t('imports.title')}
          </>
        }
      />
      <Steps
        current={step}
        status={job?.status === 'failed' ? 'error' : job?.status === 'done' ? 'finish' : 'process'}
        style={{ marginBottom: 24 }}
        items={[
          { title: t('imports.steps.upload') },
          { title: t('imports.steps.review') },
          { title: t('imports.steps.commit') },
        ]}
      />
      {body}
    </>
  );
}
