import { BookOutlined, CopyOutlined } from '@ant-design/icons';
import { App, Button, Collapse, Drawer, Empty, Flex, Input, Select, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { useI18n } from '../../app/i18n';
import { useDebounced } from '../../components/useDebounced';
import {
  copyText,
  KB_CATEGORIES,
  type KbArticle,
  type KbCategory,
  type ScriptStage,
  useKnowledgeSearch,
  useScripts,
} from './queries';

/** 「复制答案」: copies and says so (or says to copy by hand). */
export function CopyButton({ text, label, testId }: { text: string; label: string; testId?: string }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  return (
    <Button
      size="small"
      icon={<CopyOutlined />}
      data-testid={testId}
      onClick={async () => {
        if (await copyText(text)) void message.success(t('knowledge.copied'));
        else void message.warning(t('knowledge.copyFailed'));
      }}
    >
      {label}
    </Button>
  );
}

export function CategoryTag({ category }: { category: KbCategory }) {
  const { t } = useI18n();
  return <Tag color="blue">{t(`knowledge.category.${category}` as 'knowledge.category.fees')}</Tag>;
}

/** An answer as the desk reads it: the template warning, the text, and 「复制答案」. */
export function AnswerBody({ article }: { article: KbArticle }) {
  const { t } = useI18n();
  return (
    <Flex vertical gap={8}>
      {article.template ? (
        <Typography.Text type="warning" style={{ fontSize: 12 }}>
          {t('knowledge.templateHint')}
        </Typography.Text>
      ) : null}
      <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }} data-testid="kb-answer">
        {article.answer}
      </Typography.Paragraph>
      <div>
        <CopyButton text={article.answer} label={t('knowledge.copy')} testId="kb-copy" />
      </div>
    </Flex>
  );
}

/**
 * The desk's quick look-up (R32): a button that opens a compact search beside the work in hand
 * (call desk, screen pop, request detail); results open in place with 「复制答案」.
 */
export function KnowledgeSearch({
  communityId,
  size = 'middle',
}: {
  communityId?: string | null;
  size?: 'small' | 'middle';
}) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const [text, setText] = useState('');
  const [category, setCategory] = useState<KbCategory | undefined>();
  const q = useDebounced(text.trim(), 250);
  const search = useKnowledgeSearch(
    {
      ...(q ? { q } : {}),
      ...(category ? { category } : {}),
      ...(communityId ? { communityId } : {}),
      limit: 20,
    },
    open,
  );
  const items = search.data?.items ?? [];
  return (
    <>
      <Button size={size} icon={<BookOutlined />} onClick={() => setOpen(true)} data-testid="kb-quick-open">
        {t('knowledge.quick.button')}
      </Button>
      <Drawer
        open={open}
        onClose={() => setOpen(false)}
        title={t('knowledge.quick.title')}
        size={480}
        mask={false}
        data-testid="kb-quick"
        extra={<Link to="/knowledge">{t('knowledge.quick.open')}</Link>}
      >
        <Flex vertical gap={12}>
          <Input.Search
            autoFocus
            allowClear
            value={text}
            onChange={(e) => setText(e.target.value)}
            placeholder={t('knowledge.quick.placeholder')}
            loading={search.isFetching}
            data-testid="kb-quick-input"
            maxLength={50}
          />
          <Select
            allowClear
            placeholder={t('knowledge.allCategories')}
            value={category}
            onChange={setCategory}
            options={KB_CATEGORIES.map((c) => ({
              value: c,
              label: t(`knowledge.category.${c}` as 'knowledge.category.fees'),
            }))}
          />
          {items.length === 0 && !search.isLoading ? (
            <Empty description={t('knowledge.empty')} />
          ) : (
            <Collapse
              size="small"
              data-testid="kb-quick-results"
              defaultActiveKey={items[0] ? [items[0].id] : []}
              key={items.map((a) => a.id).join()}
              items={items.map((article) => ({
                key: article.id,
                label: (
                  <Flex gap={6} align="center" wrap>
                    <span data-testid="kb-quick-question">{article.question}</span>
                    {article.template ? <Tag color="orange">{t('knowledge.template')}</Tag> : null}
                  </Flex>
                ),
                children: <AnswerBody article={article} />,
              }))}
            />
          )}
        </Flex>
      </Drawer>
    </>
  );
}

/**
 * One rendered script (the server fills in my 工号, name, company, and the resident's 王先生);
 * `fallback` while it loads or if the script cannot be had.
 */
export function ScriptText({
  stage,
  residentId,
  fallback,
}: {
  stage: ScriptStage;
  residentId?: string | null;
  fallback?: string;
}) {
  const scripts = useScripts({ stage, ...(residentId ? { residentId } : {}) });
  return <>{scripts.data?.items[0]?.text ?? fallback ?? ''}</>;
}

/** The scripts the screen pop offers while on the line: hold, transfer, message, closing (R29–R31). */
export function PopScripts({ residentId }: { residentId?: string | null }) {
  const { t } = useI18n();
  const scripts = useScripts(residentId ? { residentId } : {});
  const wanted: ScriptStage[] = ['hold', 'hold_check', 'transfer', 'message', 'complaint', 'closing'];
  const items = (scripts.data?.items ?? []).filter((s) => wanted.includes(s.stage));
  return (
    <Flex vertical gap={8} data-testid="pop-scripts">
      <Collapse
        size="small"
        items={[
          {
            key: 'scripts',
            label: t('knowledge.scripts.title'),
            children: (
              <Flex vertical gap={8}>
                {items.map((s) => (
                  <div key={s.id} data-testid={`pop-script-${s.stage}`}>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {t(`knowledge.scripts.stage.${s.stage}` as 'knowledge.scripts.stage.greeting')}
                    </Typography.Text>
                    <Typography.Paragraph copyable style={{ margin: 0 }}>
                      {s.text}
                    </Typography.Paragraph>
                    {s.note ? (
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {s.note}
                      </Typography.Text>
                    ) : null}
                  </div>
                ))}
              </Flex>
            ),
          },
        ]}
      />
      <div>
        <KnowledgeSearch size="small" />
      </div>
    </Flex>
  );
}
