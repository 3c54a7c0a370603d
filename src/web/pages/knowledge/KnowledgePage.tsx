import { CheckOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import {
  App,
  Button,
  Card,
  Checkbox,
  Col,
  DatePicker,
  Empty,
  Flex,
  Form,
  Input,
  List,
  Modal,
  Row,
  Select,
  Table,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import dayjs from 'dayjs';
import { useEffect, useState } from 'react';
import { useCommunities, useCommunity } from '../../app/community';
import { useI18n } from '../../app/i18n';
import { useCurrentUser } from '../../app/session';
import { formatFull } from '../../components/format';
import { PageHeader } from '../../components/PageHeader';
import { useDebounced } from '../../components/useDebounced';
import { AnswerBody, CategoryTag, CopyButton } from './KnowledgeSearch';
import {
  canKeepKnowledge,
  KB_CATEGORIES,
  type KbArticle,
  type KbCategory,
  type KbScript,
  useCreateArticle,
  useKnowledgeSearch,
  useReviewArticle,
  useReviewDue,
  useScripts,
  useUpdateArticle,
  useUpdateScript,
} from './queries';

function categoryOptions(t: ReturnType<typeof useI18n>['t']) {
  return KB_CATEGORIES.map((c) => ({
    value: c,
    label: t(`knowledge.category.${c}` as 'knowledge.category.fees'),
  }));
}

function ReviewButton({ article }: { article: KbArticle }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const review = useReviewArticle();
  return (
    <Button
      size="small"
      type="primary"
      icon={<CheckOutlined />}
      loading={review.isPending}
      data-testid="kb-review"
      onClick={() =>
        review.mutate(
          { id: article.id, version: article.version },
          { onSuccess: (a) => void message.success(t('knowledge.reviewedDone', { date: a.reviewBy ?? '' })) },
        )
      }
    >
      {t('knowledge.reviewed')}
    </Button>
  );
}

interface ArticleForm {
  communityId: string | null;
  category: KbCategory;
  question: string;
  answer: string;
  keywords: string[];
  reviewBy: dayjs.Dayjs | null;
}

function ArticleEditor({
  open,
  article,
  onClose,
  onSaved,
}: {
  open: boolean;
  article: KbArticle | null;
  onClose: () => void;
  onSaved: (article: KbArticle) => void;
}) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<ArticleForm>();
  const communities = useCommunities();
  const create = useCreateArticle();
  const update = useUpdateArticle();
  useEffect(() => {
    if (!open) return;
    form.setFieldsValue(
      article
        ? {
            communityId: article.communityId,
            category: article.category,
            question: article.question,
            answer: article.answer,
            keywords: article.keywords,
            reviewBy: article.reviewBy ? dayjs(article.reviewBy) : null,
          }
        : { communityId: null, category: 'other', question: '', answer: '', keywords: [], reviewBy: null },
    );
  }, [open, article, form]);
  const submit = async () => {
    const v = await form.validateFields();
    const reviewBy = v.reviewBy ? v.reviewBy.format('YYYY-MM-DD') : undefined;
    const done = (saved: KbArticle) => {
      void message.success(t('knowledge.saved'));
      onSaved(saved);
    };
    if (article)
      update.mutate(
        {
          id: article.id,
          version: article.version,
          category: v.category,
          question: v.question,
          answer: v.answer,
          keywords: v.keywords ?? [],
          ...(reviewBy && reviewBy !== article.reviewBy ? { reviewBy } : {}),
        },
        { onSuccess: done },
      );
    else
      create.mutate(
        {
          communityId: v.communityId ?? null,
          category: v.category,
          question: v.question,
          answer: v.answer,
          keywords: v.keywords ?? [],
          ...(reviewBy ? { reviewBy } : {}),
        },
        { onSuccess: done },
      );
  };
  return (
    <Modal
      open={open}
      onCancel={onClose}
      onOk={submit}
      confirmLoading={create.isPending || update.isPending}
      title={article ? t('knowledge.form.titleEdit') : t('knowledge.form.titleNew')}
      width={720}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" data-testid="kb-editor">
        <Form.Item name="communityId" label={t('knowledge.form.community')}>
          <Select
            disabled={!!article}
            options={[
              { value: null, label: t('knowledge.companyWide') },
              ...(communities.data ?? []).map((c) => ({ value: c.id, label: c.name })),
            ]}
          />
        </Form.Item>
        <Form.Item name="category" label={t('knowledge.form.category')} rules={[{ required: true }]}>
          <Select options={categoryOptions(t)} />
        </Form.Item>
        <Form.Item
          name="question"
          label={t('knowledge.form.question')}
          rules={[{ required: true, whitespace: true, max: 200 }]}
        >
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item
          name="answer"
          label={t('knowledge.form.answer')}
          rules={[{ required: true, whitespace: true, max: 4000 }]}
        >
          <Input.TextArea autoSize={{ minRows: 5, maxRows: 14 }} maxLength={4000} showCount />
        </Form.Item>
        <Form.Item
          name="keywords"
          label={t('knowledge.form.keywords')}
          extra={t('knowledge.form.keywordsHint')}
        >
          <Select mode="tags" tokenSeparators={[',', '，', ' ']} open={false} maxCount={20} />
        </Form.Item>
        <Form.Item name="reviewBy" label={t('knowledge.form.reviewBy')}>
          <DatePicker disabledDate={(d) => !d.isAfter(dayjs(), 'day')} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function ArticleDetail({
  article,
  keeper,
  onEdit,
}: {
  article: KbArticle;
  keeper: boolean;
  onEdit: () => void;
}) {
  const { t } = useI18n();
  const update = useUpdateArticle();
  return (
    <Card
      data-testid="kb-article"
      title={
        <Typography.Text strong style={{ whiteSpace: 'normal' }}>
          {article.question}
        </Typography.Text>
      }
      extra={
        keeper ? (
          <Flex gap={8}>
            <Button size="small" icon={<EditOutlined />} onClick={onEdit} data-testid="kb-edit">
              {t('knowledge.edit')}
            </Button>
            <Button
              size="small"
              loading={update.isPending}
              onClick={() =>
                update.mutate({
                  id: article.id,
                  version: article.version,
                  status: article.status === 'active' ? 'archived' : 'active',
                })
              }
            >
              {article.status === 'active' ? t('knowledge.archive') : t('knowledge.restore')}
            </Button>
          </Flex>
        ) : null
      }
    >
      <Flex vertical gap={12}>
        <Flex gap={6} wrap>
          <CategoryTag category={article.category} />
          <Tag>{article.communityName ?? t('knowledge.companyWide')}</Tag>
          {article.template ? <Tag color="orange">{t('knowledge.template')}</Tag> : null}
          {article.status === 'archived' ? <Tag>{t('knowledge.archived')}</Tag> : null}
          {article.reviewDue ? <Tag color="red">{t('knowledge.reviewDue')}</Tag> : null}
          {article.keywords.map((k) => (
            <Tag key={k} bordered={false}>
              {k}
            </Tag>
          ))}
        </Flex>
        <AnswerBody article={article} />
        <Flex gap={12} wrap align="center">
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {article.reviewBy
              ? t('knowledge.reviewBy', { date: article.reviewBy })
              : t('knowledge.neverReviewed')}
            {article.reviewedAt && article.reviewedBy
              ? ` · ${t('knowledge.reviewedBy', { name: article.reviewedBy.name, when: formatFull(article.reviewedAt, t) })}`
              : ''}
          </Typography.Text>
          {keeper && article.reviewDue ? <ReviewButton article={article} /> : null}
        </Flex>
      </Flex>
    </Card>
  );
}

function ArticlesTab({ keeper }: { keeper: boolean }) {
  const { t } = useI18n();
  const { communityId } = useCommunity();
  const [text, setText] = useState('');
  const [category, setCategory] = useState<KbCategory | undefined>();
  const [archived, setArchived] = useState(false);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [editing, setEditing] = useState<KbArticle | null | 'new'>(null);
  const q = useDebounced(text.trim(), 200);
  const search = useKnowledgeSearch({
    ...(q ? { q } : {}),
    ...(category ? { category } : {}),
    ...(communityId ? { communityId } : {}),
    status: archived ? 'all' : 'active',
    limit: 100,
  });
  const items = search.data?.items ?? [];
  const selected = items.find((a) => a.id === selectedId) ?? items[0] ?? null;
  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} lg={10}>
        <Flex vertical gap={12}>
          <Input.Search
            allowClear
            autoFocus
            value={text}
            onChange={(e) => setText(e.target.value)}
            placeholder={t('knowledge.search')}
            loading={search.isFetching}
            maxLength={50}
            data-testid="kb-search"
          />
          <Flex gap={8} wrap align="center">
            <Select
              allowClear
              placeholder={t('knowledge.allCategories')}
              value={category}
              onChange={setCategory}
              options={categoryOptions(t)}
              style={{ minWidth: 160 }}
              data-testid="kb-category"
            />
            {keeper ? (
              <>
                <Checkbox checked={archived} onChange={(e) => setArchived(e.target.checked)}>
                  {t('knowledge.showArchived')}
                </Checkbox>
                <Button icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="kb-add">
                  {t('knowledge.add')}
                </Button>
              </>
            ) : null}
          </Flex>
          <List
            bordered
            size="small"
            loading={search.isLoading}
            dataSource={items}
            locale={{ emptyText: <Empty description={t('knowledge.empty')} /> }}
            data-testid="kb-results"
            renderItem={(article) => (
              <List.Item
                onClick={() => setSelectedId(article.id)}
                style={{
                  cursor: 'pointer',
                  background:
                    selected?.id === article.id ? 'var(--ant-color-primary-bg, #e6f4ff)' : undefined,
                }}
                data-testid="kb-result"
              >
                <Flex vertical gap={4} style={{ minWidth: 0 }}>
                  <Typography.Text strong>{article.question}</Typography.Text>
                  <Flex gap={4} wrap>
                    <CategoryTag category={article.category} />
                    {article.communityName ? <Tag>{article.communityName}</Tag> : null}
                    {article.template ? <Tag color="orange">{t('knowledge.template')}</Tag> : null}
                    {article.status === 'archived' ? <Tag>{t('knowledge.archived')}</Tag> : null}
                  </Flex>
                </Flex>
              </List.Item>
            )}
          />
        </Flex>
      </Col>
      <Col xs={24} lg={14}>
        {selected ? (
          <ArticleDetail article={selected} keeper={keeper} onEdit={() => setEditing(selected)} />
        ) : null}
      </Col>
      <ArticleEditor
        open={editing !== null}
        article={editing === 'new' ? null : editing}
        onClose={() => setEditing(null)}
        onSaved={(a) => {
          setEditing(null);
          setSelectedId(a.id);
        }}
      />
    </Row>
  );
}

function ReviewDueTab() {
  const { t } = useI18n();
  const { communityId } = useCommunity();
  const due = useReviewDue(true, communityId);
  return (
    <Table<KbArticle>
      rowKey="id"
      size="small"
      loading={due.isLoading}
      dataSource={due.data?.items ?? []}
      pagination={false}
      locale={{ emptyText: <Empty description={t('knowledge.noneDue')} /> }}
      data-testid="kb-due"
      columns={[
        { title: t('knowledge.form.question'), dataIndex: 'question' },
        {
          title: t('knowledge.form.community'),
          width: 140,
          render: (_, a) => a.communityName ?? t('knowledge.companyWide'),
        },
        {
          title: t('knowledge.form.reviewBy'),
          width: 140,
          render: (_, a) => a.reviewBy ?? t('knowledge.neverReviewed'),
        },
        {
          width: 140,
          render: (_, a) => (
            <Flex gap={6} align="center">
              {a.template ? <Tag color="orange">{t('knowledge.template')}</Tag> : null}
              <ReviewButton article={a} />
            </Flex>
          ),
        },
      ]}
    />
  );
}

function ScriptEditor({ script, onClose }: { script: KbScript | null; onClose: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ title: string; body: string; note: string }>();
  const update = useUpdateScript();
  useEffect(() => {
    if (script) form.setFieldsValue({ title: script.title, body: script.body, note: script.note ?? '' });
  }, [script, form]);
  return (
    <Modal
      open={script !== null}
      onCancel={onClose}
      title={t('knowledge.scripts.edit')}
      confirmLoading={update.isPending}
      destroyOnHidden
      onOk={async () => {
        if (!script) return;
        const v = await form.validateFields();
        update.mutate(
          { id: script.id, version: script.version, title: v.title, body: v.body, note: v.note || null },
          {
            onSuccess: () => {
              void message.success(t('knowledge.saved'));
              onClose();
            },
          },
        );
      }}
    >
      <Form form={form} layout="vertical">
        <Form.Item
          name="title"
          label={t('knowledge.scripts.name')}
          rules={[{ required: true, whitespace: true, max: 40 }]}
        >
          <Input maxLength={40} />
        </Form.Item>
        <Form.Item
          name="body"
          label={t('knowledge.scripts.body')}
          extra={t('knowledge.scripts.hint')}
          rules={[{ required: true, whitespace: true, max: 500 }]}
        >
          <Input.TextArea autoSize={{ minRows: 3 }} maxLength={500} />
        </Form.Item>
        <Form.Item name="note" label={t('knowledge.scripts.note')} rules={[{ max: 300 }]}>
          <Input.TextArea autoSize={{ minRows: 2 }} maxLength={300} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function ScriptsTab({ keeper }: { keeper: boolean }) {
  const { t } = useI18n();
  const { communityId } = useCommunity();
  const scripts = useScripts(communityId ? { communityId } : {});
  const [editing, setEditing] = useState<KbScript | null>(null);
  return (
    <Flex vertical gap={12} data-testid="kb-scripts">
      <Typography.Text type="secondary">{t('knowledge.scripts.hint')}</Typography.Text>
      <Row gutter={[12, 12]}>
        {(scripts.data?.items ?? []).map((s) => (
          <Col key={s.id} xs={24} md={12} xl={8}>
            <Card
              size="small"
              title={t(`knowledge.scripts.stage.${s.stage}` as 'knowledge.scripts.stage.greeting')}
              data-testid={`kb-script-${s.stage}`}
              extra={
                <Flex gap={6}>
                  <CopyButton text={s.text} label={t('knowledge.scripts.copy')} />
                  {keeper ? (
                    <Button size="small" icon={<EditOutlined />} onClick={() => setEditing(s)}>
                      {t('knowledge.edit')}
                    </Button>
                  ) : null}
                </Flex>
              }
            >
              <Typography.Paragraph style={{ fontSize: 15 }}>{s.text}</Typography.Paragraph>
              {s.unfilled.length ? (
                <Tag color="orange">{t('knowledge.scripts.unfilled', { names: s.unfilled.join(' ') })}</Tag>
              ) : null}
              {s.note ? (
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {t('knowledge.scripts.note')}：{s.note}
                </Typography.Text>
              ) : null}
            </Card>
          </Col>
        ))}
      </Row>
      <ScriptEditor script={editing} onClose={() => setEditing(null)} />
    </Flex>
  );
}

/** /knowledge (R32): search the standard answers, keep them and their reviews, and the scripts. */
export function KnowledgePage() {
  const { t } = useI18n();
  const me = useCurrentUser();
  const keeper = canKeepKnowledge(me.roles);
  const dueCount = useReviewDue(keeper).data?.items.length ?? 0;
  return (
    <Flex vertical gap={8}>
      <PageHeader title={t('knowledge.title')} />
      <Typography.Text type="secondary">{t('knowledge.subtitle')}</Typography.Text>
      <Tabs
        items={[
          { key: 'articles', label: t('knowledge.tab.articles'), children: <ArticlesTab keeper={keeper} /> },
          ...(keeper
            ? [
                {
                  key: 'due',
                  label: (
                    <span data-testid="kb-tab-due">
                      {t('knowledge.tab.due')}
                      {dueCount ? ` (${dueCount})` : ''}
                    </span>
                  ),
                  children: <ReviewDueTab />,
                },
              ]
            : []),
          {
            key: 'scripts',
            label: <span data-testid="kb-tab-scripts">{t('knowledge.tab.scripts')}</span>,
            children: <ScriptsTab keeper={keeper} />,
          },
        ]}
      />
    </Flex>
  );
}
