import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import {
  App,
  Button,
  Card,
  DatePicker,
  Drawer,
  Flex,
  Form,
  type FormInstance,
  Input,
  Progress,
  Radio,
  Select,
  Skeleton,
  Statistic,
  Switch,
  Table,
  Tag,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useCommunity } from '../../app/community';
import { useI18n } from '../../app/i18n';
import { useCurrentUser } from '../../app/session';
import { CheckedInput, CheckedTextArea } from '../../components/CheckedTextArea';
import { EmptyState } from '../../components/EmptyState';
import { formatFull } from '../../components/format';
import type { LanguageOverride } from '../../components/languageApi';
import { PageHeader } from '../../components/PageHeader';
import { useLanguageOverride } from '../../components/useLanguageOverride';
import {
  type QuestionKind,
  type SurveyDetail,
  type SurveyItem,
  useSaveSurvey,
  useSurvey,
  useSurveyAction,
  useSurveyResults,
  useSurveys,
} from './queries';

/** Who builds, sends and closes surveys (the server's SURVEY_EDITORS). */
const EDITORS = ['supervisor', 'manager', 'admin'];
const KINDS: QuestionKind[] = ['single', 'multiple', 'scale', 'text'];
const STATUS_COLOR = { draft: 'default', open: 'processing', closed: 'success' } as const;

const percent = (rate: number) => `${Math.round(rate * 1000) / 10}%`;

interface QuestionForm {
  kind: QuestionKind;
  text: string;
  options?: string[];
  required: boolean;
}
interface BuilderForm {
  communityId?: string;
  title: string;
  intro?: string;
  anonymous: boolean;
  closesAt?: Dayjs | null;
  questions: QuestionForm[];
}

const choice = (kind: QuestionKind | undefined) => kind === 'single' || kind === 'multiple';

/** One question of the builder: its type, its text, required or not, and (choices) its options. */
function QuestionEditor({
  form,
  name,
  index,
  count,
  move,
  remove,
}: {
  form: FormInstance<BuilderForm>;
  name: number;
  index: number;
  count: number;
  move: (from: number, to: number) => void;
  remove: (index: number) => void;
}) {
  const { t } = useI18n();
  const kind = Form.useWatch(['questions', name, 'kind'], form) as QuestionKind | undefined;
  return (
    <Card
      size="small"
      data-testid={`question-${index}`}
      title={t('surveys.builder.question', { n: index + 1 })}
      extra={
        <Flex gap={4}>
          <Button
            size="small"
            icon={<ArrowUpOutlined />}
            aria-label={t('surveys.builder.moveUp')}
            disabled={index === 0}
            onClick={() => move(index, index - 1)}
          />
          <Button
            size="small"
            icon={<ArrowDownOutlined />}
            aria-label={t('surveys.builder.moveDown')}
            disabled={index === count - 1}
            onClick={() => move(index, index + 1)}
          />
          <Button
            size="small"
            danger
            icon={<DeleteOutlined />}
            aria-label={t('surveys.builder.remove')}
            onClick={() => remove(index)}
          />
        </Flex>
      }
    >
      <Form.Item name={[name, 'kind']} label={t('surveys.builder.kind')} style={{ marginBottom: 8 }}>
        <Radio.Group
          optionType="button"
          options={KINDS.map((k) => ({ value: k, label: t(`surveys.kind.${k}`) }))}
          onChange={(e) => {
            const next = e.target.value as QuestionKind;
            const options = form.getFieldValue(['questions', name, 'options']) as string[] | undefined;
            if (choice(next) && !options?.length)
              form.setFieldValue(['questions', name, 'options'], ['', '']);
          }}
        />
      </Form.Item>
      <Form.Item
        name={[name, 'text']}
        label={t('surveys.builder.questionText')}
        rules={[{ required: true, whitespace: true, max: 300 }]}
        style={{ marginBottom: 8 }}
      >
        <CheckedInput maxLength={300} data-testid={`question-text-${index}`} />
      </Form.Item>
      <Form.Item
        name={[name, 'required']}
        label={t('surveys.builder.required')}
        valuePropName="checked"
        style={{ marginBottom: 8 }}
      >
        <Switch size="small" />
      </Form.Item>
      {choice(kind) ? (
        <Form.Item label={t('surveys.builder.options')} style={{ marginBottom: 0 }}>
          <Form.List name={[name, 'options']}>
            {(fields, { add, remove: removeOption }) => (
              <Flex vertical gap={6}>
                {fields.map((field, j) => (
                  <Flex key={field.key} gap={6} align="start">
                    <Form.Item
                      name={field.name}
                      rules={[{ required: true, whitespace: true, max: 100 }]}
                      style={{ marginBottom: 0, flex: 1 }}
                    >
                      <Input
                        maxLength={100}
                        placeholder={t('surveys.builder.option', { n: j + 1 })}
                        data-testid={`question-${index}-option-${j}`}
                      />
                    </Form.Item>
                    <Button
                      icon={<DeleteOutlined />}
                      aria-label={t('surveys.builder.removeOption')}
                      disabled={fields.length <= 2}
                      onClick={() => removeOption(field.name)}
                    />
                  </Flex>
                ))}
                <Button
                  type="dashed"
                  icon={<PlusOutlined />}
                  disabled={fields.length >= 10}
                  onClick={() => add('')}
                  data-testid={`question-${index}-add-option`}
                >
                  {t('surveys.builder.addOption')}
                </Button>
              </Flex>
            )}
          </Form.List>
        </Form.Item>
      ) : (
        <Typography.Text type="secondary">
          {kind === 'scale' ? t('surveys.builder.scaleHint') : t('surveys.builder.textHint')}
        </Typography.Text>
      )}
    </Card>
  );
}

/** The builder: a new draft, or a draft's edit (its questions replaced as a whole). */
function Builder({ survey, onClose }: { survey: SurveyDetail | null; onClose: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const { communities, communityId } = useCommunity();
  const [form] = Form.useForm<BuilderForm>();
  const save = useSaveSurvey(form);
  const override = useLanguageOverride();
  const questions = Form.useWatch('questions', form) as QuestionForm[] | undefined;
  const initial: BuilderForm = survey
    ? {
        title: survey.title,
        intro: survey.intro ?? '',
        anonymous: survey.anonymous,
        closesAt: survey.closesAt ? dayjs(survey.closesAt) : null,
        questions: survey.questions.map((q) => ({
          kind: q.kind,
          text: q.text,
          options: q.options ?? [],
          required: q.required,
        })),
      }
    : {
        communityId: communityId ?? communities[0]?.id,
        title: '',
        intro: '',
        anonymous: true,
        closesAt: null,
        questions: [{ kind: 'scale', text: '', required: true }],
      };
  const submit = (values: BuilderForm, languageOverride?: LanguageOverride) => {
    const body = {
      ...(languageOverride ? { languageOverride } : {}),
      title: values.title,
      intro: values.intro?.trim() ? values.intro : null,
      anonymous: values.anonymous,
      closesAt: values.closesAt ? values.closesAt.toISOString() : null,
      questions: (values.questions ?? []).map((q) => ({
        kind: q.kind,
        text: q.text,
        options: choice(q.kind) ? (q.options ?? []) : null,
        required: q.required,
      })),
    };
    const done = () => {
      void message.success(t('surveys.saved'));
      onClose();
    };
    // §6: a forbidden phrase is fixed, or the survey saved anyway with a reason
    const onError = (error: Error) => void override.guard(error, (given) => submit(values, given));
    if (survey)
      save.mutate(
        { id: survey.id, body: { version: survey.version, ...body } },
        { onSuccess: done, onError },
      );
    else
      save.mutate(
        { id: null, body: { communityId: values.communityId!, ...body } },
        { onSuccess: done, onError },
      );
  };
  return (
    <Drawer
      open
      width={720}
      title={survey ? t('surveys.builder.editTitle') : t('surveys.builder.createTitle')}
      onClose={onClose}
      destroyOnHidden
      extra={
        <Button
          type="primary"
          loading={save.isPending}
          onClick={() => form.submit()}
          data-testid="survey-save"
        >
          {t('surveys.builder.save')}
        </Button>
      }
    >
      <Form<BuilderForm>
        form={form}
        layout="vertical"
        initialValues={initial}
        onFinish={(values) => submit(values)}
      >
        {survey ? null : (
          <Form.Item name="communityId" label={t('surveys.builder.community')} rules={[{ required: true }]}>
            <Select
              options={communities.map((c) => ({ value: c.id, label: c.name }))}
              data-testid="survey-community"
            />
          </Form.Item>
        )}
        <Form.Item
          name="title"
          label={t('surveys.builder.title')}
          rules={[{ required: true, whitespace: true, max: 100 }]}
        >
          <CheckedInput
            maxLength={100}
            placeholder={t('surveys.builder.titlePlaceholder')}
            data-testid="survey-title"
          />
        </Form.Item>
        <Form.Item name="intro" label={t('surveys.builder.intro')} rules={[{ max: 1000 }]}>
          <CheckedTextArea
            maxLength={1000}
            autoSize={{ minRows: 2, maxRows: 5 }}
            data-testid="survey-intro"
          />
        </Form.Item>
        <Flex gap={24} wrap>
          <Form.Item
            name="anonymous"
            label={t('surveys.builder.anonymous')}
            valuePropName="checked"
            extra={t('surveys.builder.anonymousHint')}
          >
            <Switch data-testid="survey-anonymous" />
          </Form.Item>
          <Form.Item name="closesAt" label={t('surveys.builder.closesAt')}>
            <DatePicker showTime disabledDate={(d) => d.isBefore(dayjs(), 'day')} />
          </Form.Item>
        </Flex>
        <Typography.Title level={5}>
          {t('surveys.builder.questions', { count: questions?.length ?? 0 })}
        </Typography.Title>
        <Form.List name="questions">
          {(fields, { add, move, remove }) => (
            <Flex vertical gap={12}>
              {fields.map((field, index) => (
                <QuestionEditor
                  key={field.key}
                  form={form}
                  name={field.name}
                  index={index}
                  count={fields.length}
                  move={move}
                  remove={remove}
                />
              ))}
              <Button
                type="dashed"
                icon={<PlusOutlined />}
                disabled={fields.length >= 30}
                onClick={() => add({ kind: 'single', text: '', options: ['', ''], required: true })}
                data-testid="survey-add-question"
              >
                {t('surveys.builder.addQuestion')}
              </Button>
            </Flex>
          )}
        </Form.List>
      </Form>
      {override.element}
    </Drawer>
  );
}

/** The results: the response rate, a bar per option or score, the average, the written answers. */
function Results({ id, onClose }: { id: string; onClose: () => void }) {
  const { t } = useI18n();
  const { data, isPending } = useSurveyResults(id);
  return (
    <Drawer
      open
      width={720}
      onClose={onClose}
      title={data ? t('surveys.results.title', { title: data.survey.title }) : ''}
    >
      {isPending || !data ? (
        <Skeleton active />
      ) : (
        <Flex vertical gap={16} data-testid="survey-results">
          <Flex gap={32} wrap>
            <Statistic title={t('surveys.results.invited')} value={data.invited} />
            <Statistic
              title={t('surveys.results.responded')}
              value={data.responded}
              valueRender={(node) => <span data-testid="survey-responded">{node}</span>}
            />
            <Statistic title={t('surveys.results.rate')} value={percent(data.responseRate)} />
          </Flex>
          {data.questions.map((q, i) => (
            <Card
              key={q.id}
              size="small"
              title={`${i + 1}. ${q.text}`}
              extra={
                <Flex gap={6}>
                  <Tag>{t(`surveys.kind.${q.kind}`)}</Tag>
                  <Typography.Text type="secondary">
                    {t('surveys.results.answered', { count: q.answered })}
                  </Typography.Text>
                </Flex>
              }
            >
              {q.kind === 'text' ? (
                q.texts?.length ? (
                  <Flex vertical gap={6} data-testid={`survey-texts-${i}`}>
                    {q.texts.map((text, j) => (
                      // biome-ignore lint/suspicious/noArrayIndexKey: the same answer may be given twice
                      <Typography.Paragraph key={j} style={{ margin: 0 }}>
                        “{text}”
                      </Typography.Paragraph>
                    ))}
                  </Flex>
                ) : (
                  <Typography.Text type="secondary">{t('surveys.results.noTexts')}</Typography.Text>
                )
              ) : (
                <Flex vertical gap={4}>
                  {q.kind === 'scale' && q.average !== null ? (
                    <Typography.Text strong>
                      {t('surveys.results.average', { value: q.average })}
                    </Typography.Text>
                  ) : null}
                  {(q.counts ?? []).map((count, j) => {
                    const label =
                      q.kind === 'scale' ? t('surveys.results.score', { n: j + 1 }) : q.options?.[j];
                    return (
                      <Flex key={label} gap={8} align="center" data-testid={`survey-bar-${i}-${j}`}>
                        <Typography.Text style={{ width: 140, flexShrink: 0 }} ellipsis={{ tooltip: label }}>
                          {label}
                        </Typography.Text>
                        <Progress
                          percent={q.answered ? Math.round((count / q.answered) * 100) : 0}
                          style={{ flex: 1, margin: 0 }}
                          size="small"
                        />
                        <Typography.Text type="secondary" style={{ width: 60, textAlign: 'end' }}>
                          {t('surveys.results.votes', { count })}
                        </Typography.Text>
                      </Flex>
                    );
                  })}
                </Flex>
              )}
            </Card>
          ))}
        </Flex>
      )}
    </Drawer>
  );
}

/**
 * Satisfaction surveys (R36): the list with each survey's response rate; supervisors and up build
 * a draft, send it (each current resident with a phone gets a one-time link) and close it; anyone
 * who reads requests reads the results.
 */
export function SurveysPage() {
  const { t } = useI18n();
  const { modal, message } = App.useApp();
  const me = useCurrentUser();
  const canEdit = me.roles.some((r) => EDITORS.includes(r));
  const { communityId } = useCommunity();
  const { data, isLoading } = useSurveys(communityId);
  const [editing, setEditing] = useState<string | 'new' | null>(null);
  const [resultsOf, setResultsOf] = useState<string | null>(null);
  const draft = useSurvey(editing && editing !== 'new' ? editing : null);
  const action = useSurveyAction();

  const confirm = (survey: SurveyItem, kind: 'open' | 'close') => {
    const texts = kind === 'open' ? 'confirmOpen' : 'confirmClose';
    modal.confirm({
      title: t(`surveys.${texts}.title`, { title: survey.title }),
      content: t(`surveys.${texts}.content`),
      okText: t(`surveys.${texts}.ok`),
      okButtonProps: { danger: kind === 'close' },
      onOk: () =>
        action.mutateAsync({ id: survey.id, action: kind, version: survey.version }).then((result) => {
          void message.success(
            kind === 'open' ? t('surveys.opened', { count: result.invited }) : t('surveys.closed'),
          );
        }),
    });
  };

  return (
    <Flex vertical gap={12}>
      <PageHeader
        title={t('surveys.title')}
        extra={
          canEdit ? (
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => setEditing('new')}
              data-testid="survey-create"
            >
              {t('surveys.create')}
            </Button>
          ) : null
        }
      />
      <Typography.Text type="secondary">{t('surveys.subtitle')}</Typography.Text>
      <Table<SurveyItem>
        rowKey="id"
        size="middle"
        loading={isLoading}
        dataSource={data?.items ?? []}
        pagination={false}
        locale={{ emptyText: <EmptyState text={t('surveys.empty')} /> }}
        onRow={(s) => ({ 'data-testid': `survey-row-${s.title}` }) as object}
        columns={[
          {
            key: 'title',
            title: t('surveys.column.title'),
            render: (_, s) => (
              <Flex gap={6} align="center" wrap>
                <Typography.Text strong>{s.title}</Typography.Text>
                <Tag>{s.anonymous ? t('surveys.anonymousTag') : t('surveys.namedTag')}</Tag>
              </Flex>
            ),
          },
          { key: 'community', title: t('surveys.column.community'), dataIndex: 'communityName' },
          {
            key: 'status',
            title: t('surveys.column.status'),
            render: (_, s) => <Tag color={STATUS_COLOR[s.status]}>{t(`surveys.status.${s.status}`)}</Tag>,
          },
          { key: 'questions', title: t('surveys.column.questions'), dataIndex: 'questionCount' },
          {
            key: 'responses',
            title: t('surveys.column.responses'),
            render: (_, s) =>
              s.status === 'draft'
                ? '—'
                : t('surveys.responses', { responded: s.responded, invited: s.invited }),
          },
          {
            key: 'rate',
            title: t('surveys.column.rate'),
            render: (_, s) =>
              s.status === 'draft' ? (
                '—'
              ) : (
                <Progress percent={Math.round(s.responseRate * 100)} size="small" style={{ width: 120 }} />
              ),
          },
          {
            key: 'opensAt',
            title: t('surveys.column.opensAt'),
            render: (_, s) => (s.opensAt ? formatFull(s.opensAt, t) : '—'),
          },
          {
            key: 'actions',
            title: t('surveys.column.actions'),
            render: (_, s) => (
              <Flex gap={6} wrap>
                {canEdit && s.status === 'draft' ? (
                  <>
                    <Button size="small" onClick={() => setEditing(s.id)}>
                      {t('surveys.action.edit')}
                    </Button>
                    <Button size="small" type="primary" onClick={() => confirm(s, 'open')}>
                      {t('surveys.action.open')}
                    </Button>
                  </>
                ) : null}
                {s.status !== 'draft' ? (
                  <Button size="small" onClick={() => setResultsOf(s.id)}>
                    {t('surveys.action.results')}
                  </Button>
                ) : null}
                {canEdit && s.status === 'open' ? (
                  <Button size="small" danger onClick={() => confirm(s, 'close')}>
                    {t('surveys.action.close')}
                  </Button>
                ) : null}
              </Flex>
            ),
          },
        ]}
      />
      {editing === 'new' ? <Builder survey={null} onClose={() => setEditing(null)} /> : null}
      {editing && editing !== 'new' && draft.data ? (
        <Builder key={draft.data.id} survey={draft.data} onClose={() => setEditing(null)} />
      ) : null}
      {resultsOf ? <Results id={resultsOf} onClose={() => setResultsOf(null)} /> : null}
    </Flex>
  );
}
