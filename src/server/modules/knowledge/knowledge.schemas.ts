import { Type } from '@sinclair/typebox';
import { KB_CATEGORIES, KB_LIMITS } from '../../../domain/knowledge.js';
import { SCRIPT_STAGES } from '../../../domain/scripts.js';
import { Id, Nullable, OptionalText, StringEnum, Text } from '../../platform/schemas.js';

const DateOnly = Type.String({ format: 'date', description: 'YYYY-MM-DD' });
export const KbCategorySchema = StringEnum(KB_CATEGORIES, {
  description:
    'fees 物业费与缴费, parking 停车, renovation 装修, move_in 入住搬家, outage 停水停电, lost_card 卡证遗失, other 其他',
});
const Status = StringEnum(['active', 'archived'] as const);
const Keywords = Type.Array(Text(KB_LIMITS.keyword), { maxItems: KB_LIMITS.keywords });

export const KbArticle = Type.Object(
  {
    id: Type.String(),
    communityId: Nullable(Type.String({ description: 'null: company-wide' })),
    communityName: Nullable(Type.String()),
    category: KbCategorySchema,
    question: Type.String(),
    answer: Type.String(),
    keywords: Type.Array(Type.String()),
    template: Type.Boolean({
      description: 'A starter template whose 【请按本公司规定填写】 parts are still to fill',
    }),
    reviewBy: Nullable(DateOnly),
    reviewDue: Type.Boolean({ description: 'Never reviewed, or the review date has come' }),
    reviewedAt: Nullable(Type.String()),
    reviewedBy: Nullable(Type.Object({ id: Type.String(), name: Type.String() })),
    status: Status,
    updatedBy: Nullable(Type.Object({ id: Type.String(), name: Type.String() })),
    updatedAt: Type.String(),
    version: Type.Integer(),
  },
  { $id: 'KbArticle' },
);

export const KbArticleList = Type.Object({ items: Type.Array(Type.Ref('KbArticle')) });

export const KnowledgeQuery = Type.Object(
  {
    q: Type.Optional(
      Type.String({
        maxLength: KB_LIMITS.query,
        description: 'Words of the question, keywords or answer; pinyin initials (zxsb)',
      }),
    ),
    category: Type.Optional(KbCategorySchema),
    communityId: Type.Optional(
      Type.String({ maxLength: 64, description: 'This community’s articles and the company-wide ones' }),
    ),
    status: Type.Optional(StringEnum(['active', 'archived', 'all'] as const, { default: 'active' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  },
  { additionalProperties: false },
);

export const ReviewDueQuery = Type.Object(
  { communityId: Type.Optional(Type.String({ maxLength: 64 })) },
  { additionalProperties: false },
);

export const CreateArticleBody = Type.Object(
  {
    communityId: Type.Optional(Nullable(Text(64, { description: 'null or absent: company-wide' }))),
    category: KbCategorySchema,
    question: Text(KB_LIMITS.question),
    answer: Text(KB_LIMITS.answer),
    keywords: Type.Optional(Keywords),
    reviewBy: Type.Optional(Nullable(DateOnly)),
  },
  { additionalProperties: false },
);

export const UpdateArticleBody = Type.Object(
  {
    version: Type.Integer({ minimum: 1 }),
    category: Type.Optional(KbCategorySchema),
    question: Type.Optional(Text(KB_LIMITS.question)),
    answer: Type.Optional(Text(KB_LIMITS.answer)),
    keywords: Type.Optional(Keywords),
    reviewBy: Type.Optional(Nullable(DateOnly)),
    template: Type.Optional(Type.Boolean({ description: 'false once the placeholders are filled in' })),
    status: Type.Optional(Status),
  },
  { additionalProperties: false },
);

export const ReviewBody = Type.Object(
  {
    version: Type.Integer({ minimum: 1 }),
    nextReviewBy: Type.Optional(
      Type.String({ format: 'date', description: 'The next review date (default: 180 days from today)' }),
    ),
  },
  { additionalProperties: false },
);

export const ScriptStageSchema = StringEnum(SCRIPT_STAGES, {
  description:
    'greeting, hold, hold_check (every 20 s), transfer, message, complaint, closing, visit_greeting, visit_closing',
});

export const KbScript = Type.Object(
  {
    id: Type.String(),
    stage: ScriptStageSchema,
    title: Type.String(),
    body: Type.String({
      description: 'The template, with {company} {community} {agent} {employeeNo} {resident}',
    }),
    note: Nullable(Type.String()),
    text: Type.String({
      description: 'The template rendered for the caller (and the resident and community asked for)',
    }),
    unfilled: Type.Array(Type.String(), { description: 'Placeholders left visible in text' }),
    updatedBy: Nullable(Type.Object({ id: Type.String(), name: Type.String() })),
    updatedAt: Type.String(),
    version: Type.Integer(),
  },
  { $id: 'KbScript' },
);

export const ScriptsQuery = Type.Object(
  {
    stage: Type.Optional(ScriptStageSchema),
    residentId: Type.Optional(Id),
    communityId: Type.Optional(Id),
  },
  { additionalProperties: false },
);

export const UpdateScriptBody = Type.Object(
  {
    version: Type.Integer({ minimum: 1 }),
    title: Type.Optional(Text(40)),
    body: Type.Optional(Text(500)),
    note: OptionalText(300),
  },
  { additionalProperties: false },
);
