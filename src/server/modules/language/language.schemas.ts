import { Type } from '@sinclair/typebox';
import { LANGUAGE_TEXT_MAX, PHRASE_SEVERITIES } from '../../../domain/service-language.js';
import { Nullable, StringEnum, Text } from '../../platform/schemas.js';

/**
 * §6: accepted by every route whose text a resident reads. Needed to send a text with a forbidden
 * phrase (服务禁用语); recorded with its reason in language_overrides and the audit trail.
 */
export const LanguageOverride = Type.Optional(
  Type.Object(
    {
      reason: Type.String({
        minLength: 2,
        maxLength: 200,
        description: 'Why the forbidden phrase is sent anyway (2–200 characters)',
      }),
    },
    {
      additionalProperties: false,
      description:
        'Send a text containing a forbidden service phrase anyway (§6); without it such a text is refused with 422 FORBIDDEN_PHRASE',
    },
  ),
);

export const CheckBody = Type.Object(
  { text: Type.String({ maxLength: LANGUAGE_TEXT_MAX }) },
  { additionalProperties: false },
);

export const LanguageHit = Type.Object({
  start: Type.Integer({ minimum: 0, description: 'UTF-16 offset into the original text' }),
  end: Type.Integer({ minimum: 0, description: 'UTF-16 offset (exclusive): replace text.slice(start, end)' }),
  phrase: Type.String({ description: 'The library phrase matched' }),
  category: Type.String(),
  severity: StringEnum(['forbidden', 'warning'] as const, {
    description: 'forbidden: needs an override to send; warning: a confrontational pattern, never blocks',
  }),
  alternative: Nullable(Type.String()),
});

export const CheckResult = Type.Object({ hits: Type.Array(LanguageHit) });

const Severity = StringEnum(PHRASE_SEVERITIES);
const Script = StringEnum(['zh-CN', 'zh-TW'] as const);
const PhraseText = Text(100, {
  description:
    'The phrase; a trailing * extends the hit to the next punctuation, a leading ^ / trailing $ anchor it to a sentence',
});

export const Phrase = Type.Object({
  id: Type.String(),
  phrase: Type.String(),
  phraseTw: Nullable(Type.String({ description: 'The zh-TW form of a built-in phrase, where it differs' })),
  category: Type.String(),
  severity: Severity,
  alternative: Nullable(Type.String()),
  alternativeTw: Nullable(Type.String()),
  script: Script,
  source: Nullable(Type.String({ description: 'The seed standard of a built-in phrase' })),
  enabled: Type.Boolean(),
  builtIn: Type.Boolean(),
  updatedAt: Type.String({ format: 'date-time' }),
  version: Type.Integer(),
});

export const PhraseList = Type.Object({ items: Type.Array(Phrase) });

export const CreatePhraseBody = Type.Object(
  {
    phrase: PhraseText,
    category: Text(50),
    severity: Severity,
    alternative: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
    script: Type.Optional(Script),
    enabled: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export const UpdatePhraseBody = Type.Object(
  {
    version: Type.Integer({ minimum: 1 }),
    phrase: Type.Optional(PhraseText),
    category: Type.Optional(Text(50)),
    severity: Type.Optional(Severity),
    alternative: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
    script: Type.Optional(Script),
    enabled: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export const OverridesQuery = Type.Object(
  {
    from: Type.Optional(Type.String({ format: 'date-time' })),
    to: Type.Optional(Type.String({ format: 'date-time' })),
    communityId: Type.Optional(Type.String({ maxLength: 64 })),
    userId: Type.Optional(Type.String({ maxLength: 64 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
  },
  { additionalProperties: false },
);

export const OverrideList = Type.Object({
  items: Type.Array(
    Type.Object({
      id: Type.String(),
      at: Type.String({ format: 'date-time' }),
      user: Type.Object({ id: Type.String(), name: Type.String(), employeeNo: Nullable(Type.String()) }),
      communityId: Nullable(Type.String()),
      entityType: Type.String(),
      entityId: Nullable(Type.String()),
      field: Type.String(),
      text: Type.String(),
      phrases: Type.Array(Type.String()),
      reason: Type.String(),
    }),
  ),
});
