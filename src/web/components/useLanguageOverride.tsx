import { Button, Flex, Form, Input, Modal, Typography } from 'antd';
import { type ReactNode, useCallback, useState } from 'react';
import { ApiError, type FieldProblem } from '../api/errors';
import { useI18n } from '../app/i18n';
import type { LanguageOverride } from './languageApi';
import { OVERRIDE_REASON_MAX, overrideReason } from './languageHits';

/** The server's answer to a resident-facing text with a forbidden phrase and no override (§6). */
export function isForbiddenPhrase(error: unknown): error is ApiError {
  return error instanceof ApiError && error.status === 422 && error.code === 'FORBIDDEN_PHRASE';
}

interface Pending {
  message: string;
  problems: FieldProblem[];
  resend: (override: LanguageOverride) => void;
}

function OverrideModal({ pending, onClose }: { pending: Pending; onClose: () => void }) {
  const { t } = useI18n();
  const [reason, setReason] = useState('');
  const [invalid, setInvalid] = useState(false);
  const insist = () => {
    const valid = overrideReason(reason);
    if (!valid) {
      setInvalid(true);
      return;
    }
    onClose();
    pending.resend({ reason: valid });
  };
  return (
    <Modal
      open
      title={t('language.override.title')}
      onCancel={onClose}
      destroyOnHidden
      data-testid="language-override"
      footer={
        <Flex justify="end" gap={8} wrap>
          <Button danger onClick={insist} data-testid="language-override-insist">
            {t('language.override.insist')}
          </Button>
          {/* the default: fix the text */}
          <Button type="primary" autoFocus onClick={onClose} data-testid="language-override-back">
            {t('language.override.back')}
          </Button>
        </Flex>
      }
    >
      <Typography.Paragraph>{t('language.override.intro')}</Typography.Paragraph>
      <ul style={{ paddingInlineStart: 20, marginBottom: 16 }} data-testid="language-override-phrases">
        {(pending.problems.length > 0 ? pending.problems.map((p) => p.message) : [pending.message]).map(
          (text) => (
            <li key={text}>
              <Typography.Text type="danger">{text}</Typography.Text>
            </li>
          ),
        )}
      </ul>
      <Form layout="vertical" component="div">
        <Form.Item
          label={t('language.override.reason')}
          validateStatus={invalid ? 'error' : undefined}
          help={invalid ? t('language.override.reasonLength') : undefined}
          style={{ marginBottom: 0 }}
        >
          <Input.TextArea
            value={reason}
            onChange={(event) => {
              setReason(event.target.value);
              if (invalid && overrideReason(event.target.value)) setInvalid(false);
            }}
            maxLength={OVERRIDE_REASON_MAX}
            showCount
            autoSize={{ minRows: 2, maxRows: 4 }}
            placeholder={t('language.override.reasonPlaceholder')}
            data-testid="language-override-reason"
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/**
 * The override of a refused resident-facing text (§6). Call `guard(error, resend)` first in a
 * save's onError: for a 422 FORBIDDEN_PHRASE it opens a dialog listing the forbidden phrases with
 * their alternatives and returns true; the agent goes back to fix the text (the default), or
 * sends it anyway with a reason (2–200 characters), which calls `resend({ reason })` to repeat
 * the same request with `languageOverride`. Render `element` somewhere in the form's tree.
 */
export function useLanguageOverride(): {
  guard: (error: unknown, resend: (override: LanguageOverride) => void) => boolean;
  element: ReactNode;
} {
  const [pending, setPending] = useState<Pending | null>(null);
  const guard = useCallback((error: unknown, resend: (override: LanguageOverride) => void) => {
    if (!isForbiddenPhrase(error)) return false;
    setPending({ message: error.message, problems: error.details ?? [], resend });
    return true;
  }, []);
  const element = pending ? <OverrideModal pending={pending} onClose={() => setPending(null)} /> : null;
  return { guard, element };
}
