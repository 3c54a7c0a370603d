import { PhoneOutlined } from '@ant-design/icons';
import { App, Button, Flex, Form, Input, Modal, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import type { Role } from '../../../domain/roles';
import { useI18n } from '../../app/i18n';
import { useCurrentUser } from '../../app/session';
import { formatFull, formatWhen } from '../../components/format';
import { SlaCountdown } from '../../components/SlaCountdown';
import type { SlaClock } from '../../components/slaClock';
import { type CallbackItem, type Outcome, useAttempt, useCloseCallback } from './queries';

/** Who sees the callbacks page: everyone on staff (colleagues see only what is for them). */
export function canSeeCallbacks(roles: readonly Role[]): boolean {
  return roles.length > 0;
}

/** Who may log attempts and close (the server's ACTORS: everyone but 品质部). */
export function canActOnCallbacks(roles: readonly Role[]): boolean {
  return roles.some((role) => role !== 'quality');
}

/** The callback's promise as an SLA chip: counting down, amber at the warn time, red once due. */
export function CallbackCountdown({ callback, offsetMs }: { callback: CallbackItem; offsetMs: number }) {
  const { t } = useI18n();
  if (!callback.dueAt || !callback.warnAt) return <Tag>{t('callbacks.noClock')}</Tag>;
  const answered = callback.respondedAt !== null || callback.status !== 'open';
  const clock = {
    target: callback.kind === 'message' ? 'message_callback' : 'callback',
    status: answered ? 'met' : callback.breachedAt ? 'breached' : 'running',
    dueAt: callback.dueAt,
    warnAt: callback.warnAt,
    warnedAt: callback.warnedAt,
    breachedAt: callback.breachedAt,
    metAt: callback.respondedAt ?? callback.doneAt,
    remainingMs: callback.remainingMs,
  } as unknown as SlaClock;
  if (answered && callback.breachedAt) {
    return <Tag color="error">{t('callbacks.late')}</Tag>;
  }
  return <SlaCountdown clock={clock} offsetMs={offsetMs} showTarget={false} />;
}

const OUTCOMES: Outcome[] = ['reached', 'no_answer', 'busy', 'wrong_number'];

/** The attempt buttons (已接通 / 无人接听 / 忙线 / 号码错误) and close-with-reason, for one callback. */
export function CallbackActions({
  callback,
  compact = false,
}: {
  callback: CallbackItem;
  compact?: boolean;
}) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const me = useCurrentUser();
  const [closing, setClosing] = useState(false);
  const [wrong, setWrong] = useState(false);
  const [closeForm] = Form.useForm<{ reason: string }>();
  const [wrongForm] = Form.useForm<{ correctedPhone?: string; closeReason?: string }>();
  const attempt = useAttempt(wrongForm);
  const close = useCloseCallback(closeForm);
  if (callback.status !== 'open' || !canActOnCallbacks(me.roles as Role[])) return null;

  const log = (outcome: Outcome, extra: { correctedPhone?: string; closeReason?: string } = {}) =>
    attempt.mutate(
      {
        id: callback.id,
        body: {
          version: callback.version,
          outcome,
          correctedPhone: extra.correctedPhone?.trim() || null,
          closeReason: extra.closeReason?.trim() || null,
        },
      },
      {
        onSuccess: () => {
          void message.success(t('callbacks.attemptSaved', { outcome: t(`callbacks.outcome.${outcome}`) }));
          setWrong(false);
        },
      },
    );

  return (
    <>
      <Space size={4} wrap>
        {OUTCOMES.map((outcome) => (
          <Button
            key={outcome}
            size="small"
            type={outcome === 'reached' ? 'primary' : 'default'}
            loading={attempt.isPending && attempt.variables?.body.outcome === outcome}
            data-testid={`callback-${outcome}`}
            onClick={() => (outcome === 'wrong_number' ? setWrong(true) : log(outcome))}
          >
            {t(`callbacks.outcome.${outcome}`)}
          </Button>
        ))}
        {!compact && (
          <Button size="small" type="link" onClick={() => setClosing(true)} data-testid="callback-close">
            {t('callbacks.close')}
          </Button>
        )}
      </Space>
      <Modal
        open={closing}
        title={t('callbacks.closeTitle')}
        onCancel={() => setClosing(false)}
        confirmLoading={close.isPending}
        destroyOnHidden
        onOk={() =>
          void closeForm
            .validateFields()
            .then((v) =>
              close.mutate(
                { id: callback.id, version: callback.version, reason: v.reason },
                {
                  onSuccess: () => {
                    void message.success(t('callbacks.closed'));
                    setClosing(false);
                  },
                },
              ),
            )
            .catch(() => {})
        }
      >
        <Form form={closeForm} layout="vertical">
          <Form.Item
            name="reason"
            label={t('callbacks.closeReason')}
            rules={[
              {
                required: true,
                whitespace: true,
                message: t('common.required', { field: t('callbacks.closeReason') }),
              },
            ]}
          >
            <Input.TextArea rows={2} maxLength={200} placeholder={t('callbacks.closeReasonPlaceholder')} />
          </Form.Item>
        </Form>
      </Modal>
      <Modal
        open={wrong}
        title={t('callbacks.correctTitle')}
        onCancel={() => setWrong(false)}
        confirmLoading={attempt.isPending}
        destroyOnHidden
        onOk={() =>
          void wrongForm
            .validateFields()
            .then((v) => log('wrong_number', v))
            .catch(() => {})
        }
      >
        <Typography.Paragraph type="secondary">{t('callbacks.correctHint')}</Typography.Paragraph>
        <Form form={wrongForm} layout="vertical">
          <Form.Item name="correctedPhone" label={t('callbacks.correctedPhone')}>
            <Input inputMode="tel" maxLength={40} />
          </Form.Item>
          <Form.Item name="closeReason" label={t('callbacks.closeReason')}>
            <Input maxLength={200} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}

/** The caller, their number (tel: link) and what the callback is about. */
export function CallbackSummary({ callback }: { callback: CallbackItem }) {
  const { t } = useI18n();
  return (
    <Flex vertical gap={2} style={{ minWidth: 0 }}>
      <Flex gap={6} align="baseline" wrap>
        <Tag color={callback.kind === 'message' ? 'blue' : 'orange'}>
          {t(`callbacks.kind.${callback.kind}`)}
        </Tag>
        <Typography.Text strong>{callback.callerName ?? t('callbacks.column.caller')}</Typography.Text>
        {callback.room && <Typography.Text type="secondary">{callback.room}</Typography.Text>}
        <a href={`tel:${callback.phone}`} aria-label={t('callbacks.call', { phone: callback.phone })}>
          <PhoneOutlined /> {callback.phone}
        </a>
        {callback.misses > 1 && <Tag>{t('callbacks.misses', { n: callback.misses })}</Tag>}
      </Flex>
      {callback.content && (
        <Typography.Text style={{ whiteSpace: 'normal' }} data-testid="callback-content">
          {callback.content}
        </Typography.Text>
      )}
      <Typography.Text type="secondary" title={formatFull(callback.calledAt, t)}>
        {formatWhen(callback.calledAt, t)}
        {callback.nextAttemptAt && callback.status === 'open'
          ? ` · ${t('callbacks.nextAttempt', { when: formatWhen(callback.nextAttemptAt, t) })}`
          : ''}
      </Typography.Text>
    </Flex>
  );
}
