import { PlusOutlined } from '@ant-design/icons';
import {
  App,
  AutoComplete,
  Button,
  DatePicker,
  Flex,
  Form,
  Input,
  Select,
  Switch,
  Table,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { useCommunity } from '../../../app/community';
import { useI18n } from '../../../app/i18n';
import { useCurrentUser } from '../../../app/session';
import { FormModal } from '../../../components/FormModal';
import { formatFull } from '../../../components/format';
import type { LanguagePhrase, PhraseSeverity } from '../../../components/languageApi';
import { PageHeader } from '../../../components/PageHeader';
import { canEditLanguage, canSeeOverrides } from './access';
import { useCreatePhrase, useOverrides, usePatchPhrase, usePhrases } from './queries';

const SEVERITIES: readonly PhraseSeverity[] = ['forbidden', 'warning', 'polite'];
const SEVERITY_COLOUR: Record<PhraseSeverity, string> = {
  forbidden: 'error',
  warning: 'warning',
  polite: 'success',
};

interface PhraseForm {
  phrase: string;
  category: string;
  severity: PhraseSeverity;
  alternative?: string;
}

/** Add a phrase, or edit one (the phrase itself stays: a built-in entry is kept by its text). */
function PhraseModal({
  editing,
  categories,
  onClose,
}: {
  editing: LanguagePhrase | null;
  categories: string[];
  onClose: () => void;
}) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<PhraseForm>();
  const create = useCreatePhrase(form);
  const patch = usePatchPhrase(form);
  const severity = Form.useWatch('severity', form);
  const done = () => {
    void message.success(t('language.page.saved'));
    onClose();
  };
  const submit = (values: PhraseForm) => {
    const alternative = values.alternative?.trim() ? values.alternative.trim() : null;
    if (editing)
      patch.mutate(
        {
          id: editing.id,
          body: {
            version: editing.version,
            category: values.category.trim(),
            severity: values.severity,
            alternative,
          },
        },
        { onSuccess: done },
      );
    else
      create.mutate(
        {
          phrase: values.phrase.trim(),
          category: values.category.trim(),
          severity: values.severity,
          alternative,
        },
        { onSuccess: done },
      );
  };
  const required = (field: string) => [
    { required: true, whitespace: true, message: t('common.required', { field }) },
  ];
  return (
    <FormModal<PhraseForm>
      open
      title={editing ? t('language.page.editTitle') : t('language.page.addTitle')}
      form={form}
      onCancel={onClose}
      onSubmit={submit}
      saving={create.isPending || patch.isPending}
      initialValues={
        editing
          ? {
              phrase: editing.phrase,
              category: editing.category,
              severity: editing.severity,
              alternative: editing.alternative ?? '',
            }
          : { severity: 'forbidden' }
      }
      testId="phrase-form"
    >
      <Form.Item
        name="phrase"
        label={t('language.page.column.phrase')}
        rules={required(t('language.page.column.phrase'))}
      >
        <Input maxLength={100} disabled={!!editing} data-testid="phrase-text" />
      </Form.Item>
      <Form.Item
        name="category"
        label={t('language.page.column.category')}
        rules={required(t('language.page.column.category'))}
      >
        <AutoComplete
          options={categories.map((category) => ({ value: category }))}
          placeholder={t('language.page.categoryPlaceholder')}
          filterOption={(input, option) => String(option?.value ?? '').includes(input)}
          data-testid="phrase-category"
        />
      </Form.Item>
      <Form.Item name="severity" label={t('language.page.column.severity')}>
        <Select
          options={SEVERITIES.map((value) => ({ value, label: t(`language.page.severity.${value}`) }))}
          data-testid="phrase-severity"
        />
      </Form.Item>
      <Form.Item
        name="alternative"
        label={t('language.page.column.alternative')}
        extra={t('language.page.alternativeHint')}
        rules={severity === 'forbidden' ? required(t('language.page.column.alternative')) : undefined}
      >
        <Input.TextArea
          autoSize={{ minRows: 1, maxRows: 3 }}
          maxLength={200}
          data-testid="phrase-alternative"
        />
      </Form.Item>
    </FormModal>
  );
}

function Library({ editable }: { editable: boolean }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const phrases = usePhrases();
  const toggle = usePatchPhrase();
  const [search, setSearch] = useState('');
  const [category, setCategory] = useState<string | undefined>();
  const [severity, setSeverity] = useState<PhraseSeverity | undefined>();
  const [editing, setEditing] = useState<LanguagePhrase | 'new' | null>(null);
  const all = phrases.data ?? [];
  const categories = useMemo(() => [...new Set(all.map((p) => p.category))].sort(), [all]);
  const needle = search.trim();
  const rows = all.filter(
    (p) =>
      (!category || p.category === category) &&
      (!severity || p.severity === severity) &&
      (!needle ||
        p.phrase.includes(needle) ||
        (p.alternative ?? '').includes(needle) ||
        p.category.includes(needle)),
  );
  return (
    <>
      <Flex gap={8} wrap style={{ marginBottom: 12 }}>
        <Input.Search
          allowClear
          placeholder={t('language.page.search')}
          value={search}
          onChange={(event) => setSearch(event.target.value)}
          style={{ width: 260 }}
          data-testid="phrase-search"
        />
        <Select
          allowClear
          placeholder={t('language.page.allCategories')}
          value={category}
          onChange={setCategory}
          options={categories.map((value) => ({ value, label: value }))}
          style={{ minWidth: 160 }}
          data-testid="phrase-category-filter"
        />
        <Select
          allowClear
          placeholder={t('language.page.allSeverities')}
          value={severity}
          onChange={setSeverity}
          options={SEVERITIES.map((value) => ({ value, label: t(`language.page.severity.${value}`) }))}
          style={{ minWidth: 140 }}
          data-testid="phrase-severity-filter"
        />
        {editable ? (
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => setEditing('new')}
            data-testid="phrase-add"
          >
            {t('language.page.add')}
          </Button>
        ) : null}
      </Flex>
      <Table<LanguagePhrase>
        rowKey="id"
        size="middle"
        loading={phrases.isLoading}
        dataSource={rows}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        locale={{ emptyText: t('language.page.empty') }}
        data-testid="phrase-table"
        columns={[
          {
            title: t('language.page.column.phrase'),
            dataIndex: 'phrase',
            render: (_value, p) => (
              <Flex gap={6} align="center" wrap>
                <Typography.Text strong delete={!p.enabled}>
                  {p.phrase}
                </Typography.Text>
                {p.phraseTw && p.phraseTw !== p.phrase ? (
                  <Typography.Text type="secondary">{p.phraseTw}</Typography.Text>
                ) : null}
                {p.builtIn ? (
                  <Tag>{t('language.page.builtIn')}</Tag>
                ) : (
                  <Tag color="blue">{t('language.page.custom')}</Tag>
                )}
              </Flex>
            ),
          },
          { title: t('language.page.column.category'), dataIndex: 'category', width: 140 },
          {
            title: t('language.page.column.severity'),
            dataIndex: 'severity',
            width: 110,
            render: (value: PhraseSeverity) => (
              <Tag color={SEVERITY_COLOUR[value]}>{t(`language.page.severity.${value}`)}</Tag>
            ),
          },
          {
            title: t('language.page.column.alternative'),
            dataIndex: 'alternative',
            render: (value: string | null) => value ?? '—',
          },
          {
            title: t('language.page.column.enabled'),
            dataIndex: 'enabled',
            width: 80,
            render: (value: boolean, p) => (
              <Switch
                size="small"
                checked={value}
                disabled={!editable}
                loading={toggle.isPending && toggle.variables?.id === p.id}
                aria-label={`${t('language.page.column.enabled')} ${p.phrase}`}
                onChange={(enabled) =>
                  toggle.mutate(
                    { id: p.id, body: { version: p.version, enabled } },
                    {
                      onSuccess: () =>
                        void message.success(
                          t(enabled ? 'language.page.enabledOn' : 'language.page.enabledOff', {
                            phrase: p.phrase,
                          }),
                        ),
                    },
                  )
                }
                data-testid={`phrase-enabled-${p.id}`}
              />
            ),
          },
          ...(editable
            ? [
                {
                  title: t('language.page.column.actions'),
                  key: 'actions',
                  width: 90,
                  render: (_: unknown, p: LanguagePhrase) => (
                    <Button size="small" onClick={() => setEditing(p)} data-testid={`phrase-edit-${p.id}`}>
                      {t('language.page.edit')}
                    </Button>
                  ),
                },
              ]
            : []),
        ]}
      />
      {editing ? (
        <PhraseModal
          editing={editing === 'new' ? null : editing}
          categories={categories}
          onClose={() => setEditing(null)}
        />
      ) : null}
    </>
  );
}

/** The texts sent anyway with a forbidden phrase (§6): who, when, what, which phrases, why. */
function Overrides() {
  const { t } = useI18n();
  const { communityId } = useCommunity();
  const [range, setRange] = useState<[Dayjs, Dayjs]>(() => [dayjs().startOf('month'), dayjs().endOf('day')]);
  const filters = {
    from: range[0].startOf('day').toISOString(),
    to: range[1].endOf('day').toISOString(),
    ...(communityId ? { communityId } : {}),
  };
  const overrides = useOverrides(filters, true);
  return (
    <>
      <Flex gap={8} align="center" wrap style={{ marginBottom: 12 }}>
        <Typography.Text>{t('language.overrides.period')}</Typography.Text>
        <DatePicker.RangePicker
          value={range}
          allowClear={false}
          onChange={(next) => {
            if (next?.[0] && next[1]) setRange([next[0], next[1]]);
          }}
          data-testid="override-period"
        />
      </Flex>
      <Table
        rowKey="id"
        size="middle"
        loading={overrides.isLoading}
        dataSource={overrides.data ?? []}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        locale={{ emptyText: t('language.overrides.empty') }}
        data-testid="override-table"
        columns={[
          {
            title: t('language.overrides.when'),
            dataIndex: 'at',
            width: 170,
            render: (value: string) => formatFull(value, t),
          },
          {
            title: t('language.overrides.who'),
            key: 'who',
            width: 140,
            render: (_: unknown, row) =>
              row.user.employeeNo ? `${row.user.name}（${row.user.employeeNo}）` : row.user.name,
          },
          {
            title: t('language.overrides.field'),
            key: 'where',
            width: 120,
            render: (_: unknown, row) => {
              const key = `language.overrides.entity.${row.entityType}`;
              const entity = t(key as 'language.overrides.entity.ticket');
              return `${entity === key ? row.entityType : entity} · ${row.field}`;
            },
          },
          {
            title: t('language.overrides.what'),
            dataIndex: 'text',
            render: (value: string) => (
              <Typography.Paragraph ellipsis={{ rows: 3, expandable: true }} style={{ marginBottom: 0 }}>
                {value}
              </Typography.Paragraph>
            ),
          },
          {
            title: t('language.overrides.phrases'),
            dataIndex: 'phrases',
            width: 160,
            render: (value: string[]) => (
              <Flex gap={4} wrap>
                {value.map((phrase) => (
                  <Tag key={phrase} color="error">
                    {phrase}
                  </Tag>
                ))}
              </Flex>
            ),
          },
          { title: t('language.overrides.reason'), dataIndex: 'reason', width: 200 },
        ]}
      />
    </>
  );
}

/** /admin/language (§6): the phrase library and, for the quality watchers, the overrides. */
export function LanguagePage() {
  const { t } = useI18n();
  const me = useCurrentUser();
  const overrides = canSeeOverrides(me.roles);
  return (
    <>
      <PageHeader title={t('language.page.title')} />
      <Typography.Paragraph type="secondary">{t('language.page.subtitle')}</Typography.Paragraph>
      <Tabs
        destroyOnHidden
        items={[
          {
            key: 'library',
            label: t('language.page.tabs.library'),
            children: <Library editable={canEditLanguage(me.roles)} />,
          },
          ...(overrides
            ? [{ key: 'overrides', label: t('language.page.tabs.overrides'), children: <Overrides /> }]
            : []),
        ]}
        data-testid="language-tabs"
      />
    </>
  );
}
