import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Button, Flex, type GetProps, Input, Tag, Typography, theme } from 'antd';
import {
  type CSSProperties,
  type RefObject,
  useCallback,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import { useI18n } from '../app/i18n';
import { checkLanguage } from './languageApi';
import { applyReplacement, type LanguageHit, mergeHits, rebaseHits, segmentText } from './languageHits';
import { useDebounced } from './useDebounced';

/** The longest text the check route takes (its body limit). */
const CHECK_LIMIT = 5000;
const DEBOUNCE_MS = 300;

/**
 * The service-language hits of a text as it is typed (§6): the check runs once typing pauses,
 * an answer for an older text is carried over to the text as it is now (its hits moved past the
 * edit), and a failing check shows nothing rather than a toast per keystroke.
 */
export function useLanguageHits(text: string, enabled = true): LanguageHit[] {
  const debounced = useDebounced(text, DEBOUNCE_MS);
  const active = enabled && debounced.trim().length > 0 && debounced.length <= CHECK_LIMIT;
  const { data } = useQuery({
    queryKey: ['language', 'check', debounced],
    queryFn: async ({ signal }) => ({ text: debounced, hits: (await checkLanguage(debounced, signal)).hits }),
    enabled: active,
    staleTime: 5 * 60_000,
    retry: false,
    placeholderData: keepPreviousData,
    meta: { silent: true },
  });
  return useMemo(() => {
    if (!enabled || !data || text.trim().length === 0) return [];
    return mergeHits(rebaseHits(data.hits, data.text, text));
  }, [enabled, data, text]);
}

type TextAreaProps = GetProps<typeof Input.TextArea>;
type InputProps = GetProps<typeof Input>;

/** The hits under the box: what, which category, and the one-click replacement (§6). */
function HitList({
  text,
  hits,
  onReplace,
  disabled,
}: {
  text: string;
  hits: LanguageHit[];
  onReplace: (hit: LanguageHit) => void;
  disabled: boolean;
}) {
  const { t } = useI18n();
  const { token } = theme.useToken();
  if (hits.length === 0) return null;
  const colour = (hit: LanguageHit) => (hit.severity === 'forbidden' ? token.colorError : token.colorWarning);
  return (
    <Flex
      vertical
      gap={4}
      role="list"
      aria-label={t('language.check.found', { count: hits.length })}
      aria-live="polite"
      style={{ marginTop: 6 }}
      data-testid="language-hits"
    >
      {hits.map((hit) => (
        <Flex
          key={`${hit.start}-${hit.end}-${hit.phrase}`}
          role="listitem"
          align="center"
          gap={8}
          wrap
          data-testid="language-hit"
          data-severity={hit.severity}
        >
          <Tag color={hit.severity === 'forbidden' ? 'error' : 'warning'} style={{ marginInlineEnd: 0 }}>
            {hit.severity === 'forbidden' ? t('language.check.forbidden') : t('language.check.warning')}
          </Tag>
          <Typography.Text strong style={{ color: colour(hit) }}>
            {text.slice(hit.start, hit.end)}
          </Typography.Text>
          <Typography.Text type="secondary">{hit.category}</Typography.Text>
          {hit.alternative ? (
            <Button
              size="small"
              type="link"
              style={{ paddingInline: 0, height: 'auto', whiteSpace: 'normal', textAlign: 'start' }}
              onClick={() => onReplace(hit)}
              disabled={disabled}
              data-testid="language-replace"
            >
              {t('language.check.replaceWith', { alternative: hit.alternative })}
            </Button>
          ) : (
            <Typography.Text type="secondary">{t('language.check.noAlternative')}</Typography.Text>
          )}
        </Flex>
      ))}
    </Flex>
  );
}

/**
 * After a replacement: the focus back in the box, the caret just after the alternative (once the
 * new text is in the box).
 */
function useCaretAfterReplace(box: RefObject<HTMLDivElement | null>, text: string, after?: () => void) {
  const pendingCaret = useRef<number | null>(null);
  useLayoutEffect(() => {
    const caret = pendingCaret.current;
    const field = box.current?.querySelector<HTMLInputElement | HTMLTextAreaElement>('textarea, input');
    if (caret === null || !field || field.value !== text) return;
    pendingCaret.current = null;
    field.focus();
    field.setSelectionRange(caret, caret);
    after?.();
  });
  return pendingCaret;
}

type Props = Omit<TextAreaProps, 'value' | 'onChange' | 'defaultValue'> & {
  value?: string;
  onChange?: (value: string) => void;
  /** Off: a plain text area (e.g. while the text is not meant for a resident). */
  check?: boolean;
};

/** The textarea's box, copied onto the highlight layer so the marks sit under the letters. */
const MIRRORED = [
  'fontFamily',
  'fontSize',
  'fontWeight',
  'fontStyle',
  'letterSpacing',
  'lineHeight',
  'textIndent',
  'textTransform',
  'wordSpacing',
  'tabSize',
  'paddingTop',
  'paddingRight',
  'paddingBottom',
  'paddingLeft',
  'borderTopWidth',
  'borderRightWidth',
  'borderBottomWidth',
  'borderLeftWidth',
  'boxSizing',
  'wordBreak',
] as const;

/**
 * A text area for words a resident reads (§6, antd Form compatible: `value` / `onChange`). The
 * service-language check runs as the agent types: forbidden phrases are marked red and warnings
 * orange in place (a mirrored layer behind the transparent textarea), and listed under the box
 * with their category and a 「替换为：…」 button that puts the polite alternative in the text
 * (the caret then follows the alternative). The buttons come after the box in the tab order.
 */
export function CheckedTextArea({ value, onChange, check = true, style, ...rest }: Props) {
  const { token } = theme.useToken();
  const text = value ?? '';
  const hits = useLanguageHits(text, check);
  const box = useRef<HTMLDivElement>(null);
  const layer = useRef<HTMLDivElement>(null);
  const [mirror, setMirror] = useState<CSSProperties | null>(null);

  const textarea = useCallback(() => box.current?.querySelector('textarea') ?? null, []);

  const sync = useCallback(() => {
    const area = textarea();
    if (!area) return;
    const computed = window.getComputedStyle(area);
    const next: Record<string, string | number> = {
      top: area.offsetTop,
      left: area.offsetLeft,
      width: area.offsetWidth,
      height: area.offsetHeight,
    };
    for (const property of MIRRORED) next[property] = computed[property];
    setMirror((current) =>
      current && Object.entries(next).every(([key, v]) => current[key as keyof CSSProperties] === v)
        ? current
        : (next as CSSProperties),
    );
    if (layer.current) layer.current.scrollTop = area.scrollTop;
  }, [textarea]);

  useLayoutEffect(() => {
    const area = textarea();
    if (!area) return;
    sync();
    const observer = new ResizeObserver(sync);
    observer.observe(area);
    area.addEventListener('scroll', sync);
    return () => {
      observer.disconnect();
      area.removeEventListener('scroll', sync);
    };
  }, [textarea, sync]);

  const pendingCaret = useCaretAfterReplace(box, text, sync);

  const replace = (hit: LanguageHit) => {
    const result = applyReplacement(text, hits, hit);
    if (result.text === text) return;
    pendingCaret.current = result.caret;
    onChange?.(result.text);
  };

  const segments = hits.length > 0 ? segmentText(text, hits) : [];

  return (
    <div data-testid="checked-text">
      <div
        ref={box}
        style={{
          position: 'relative',
          background: rest.disabled ? token.colorBgContainerDisabled : token.colorBgContainer,
          borderRadius: token.borderRadius,
        }}
      >
        {mirror && segments.length > 0 ? (
          <div
            ref={(node) => {
              layer.current = node;
              if (node) node.scrollTop = textarea()?.scrollTop ?? 0;
            }}
            aria-hidden
            data-testid="language-highlights"
            style={{
              ...mirror,
              position: 'absolute',
              margin: 0,
              overflow: 'hidden',
              whiteSpace: 'pre-wrap',
              overflowWrap: 'break-word',
              color: 'transparent',
              borderStyle: 'solid',
              borderColor: 'transparent',
              pointerEvents: 'none',
              zIndex: 0,
            }}
          >
            {segments.map((segment) =>
              segment.hit ? (
                <mark
                  key={`${segment.hit.start}-${segment.hit.end}`}
                  data-testid="language-mark"
                  data-severity={segment.hit.severity}
                  style={{
                    color: 'transparent',
                    padding: 0,
                    borderRadius: 2,
                    background:
                      segment.hit.severity === 'forbidden'
                        ? token.colorErrorBgHover
                        : token.colorWarningBgHover,
                    boxShadow: `inset 0 -2px 0 ${segment.hit.severity === 'forbidden' ? token.colorError : token.colorWarning}`,
                    WebkitBoxDecorationBreak: 'clone',
                    boxDecorationBreak: 'clone',
                  }}
                >
                  {segment.text}
                </mark>
              ) : (
                <span key={`plain-${segment.start}`}>{segment.text}</span>
              ),
            )}
            {/* a trailing line break needs a character after it to take up its line */}
            {text.endsWith('\n') ? ' ' : null}
          </div>
        ) : null}
        <Input.TextArea
          {...rest}
          value={text}
          onChange={(event) => onChange?.(event.target.value)}
          style={{ ...style, position: 'relative', zIndex: 1, background: 'transparent' }}
        />
      </div>
      <HitList text={text} hits={hits} onReplace={replace} disabled={!!rest.disabled || !!rest.readOnly} />
    </div>
  );
}

/**
 * The one-line form of CheckedTextArea (a title, a question, a next step): the same check, the
 * hits listed under the box with their replacement (an input scrolls sideways, so no in-place
 * marks). A real <input>, so Enter behaves as in any other form field.
 */
export function CheckedInput({
  value,
  onChange,
  check = true,
  ...rest
}: Omit<InputProps, 'value' | 'onChange' | 'defaultValue'> & {
  value?: string;
  onChange?: (value: string) => void;
  check?: boolean;
}) {
  const text = value ?? '';
  const hits = useLanguageHits(text, check);
  const box = useRef<HTMLDivElement>(null);
  const pendingCaret = useCaretAfterReplace(box, text);
  const replace = (hit: LanguageHit) => {
    const result = applyReplacement(text, hits, hit);
    if (result.text === text) return;
    pendingCaret.current = result.caret;
    onChange?.(result.text);
  };
  return (
    <div ref={box} data-testid="checked-text">
      <Input {...rest} value={text} onChange={(event) => onChange?.(event.target.value)} />
      <HitList text={text} hits={hits} onReplace={replace} disabled={!!rest.disabled || !!rest.readOnly} />
    </div>
  );
}
