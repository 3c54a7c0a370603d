import { Type } from '@sinclair/typebox';
import { QUESTION_KINDS, SURVEY_STATUSES } from '../../../domain/surveys.js';
import { Id, Nullable, PageQuery, StringEnum } from '../../platform/schemas.js';
import { LanguageOverride } from '../language/language.schemas.js';

const Version = Type.Integer({
  minimum: 1,
  description: 'The version you saw: a stale one is a 409 (someone else acted first)',
});

/** Generous bounds against abuse; the real limits (1–30 questions, 2–10 options …) are checked with translated messages. */
const QuestionInput = Type.Object(
  {
    kind: StringEnum(QUESTION_KINDS, {
      description: 'single (one option), multiple (several options), scale (1–5), text (free text)',
    }),
    text: Type.String({ maxLength: 2000, description: 'The question, at most 300 characters' }),
    options: Type.Optional(
      Nullable(
        Type.Array(Type.String({ maxLength: 500 }), {
          maxItems: 50,
          description:
            'single / multiple: 2–10 distinct options of at most 100 characters; none for scale and text',
        }),
      ),
    ),
    required: Type.Optional(Type.Boolean({ default: true })),
  },
  { additionalProperties: false },
);

const surveyFields = {
  title: Type.String({ maxLength: 500, description: 'At most 100 characters' }),
  intro: Type.Optional(Nullable(Type.String({ maxLength: 5000, description: 'At most 1000 characters' }))),
  anonymous: Type.Boolean({
    description: 'true: the responses keep no resident (and cannot be traced to an invitation)',
  }),
  closesAt: Type.Optional(
    Nullable(Type.String({ format: 'date-time', description: 'When the links stop working; in the future' })),
  ),
  questions: Type.Array(QuestionInput, { maxItems: 30 }),
};

export const CreateSurveyBody = Type.Object(
  { communityId: Id, ...surveyFields, languageOverride: LanguageOverride },
  { additionalProperties: false },
);

export const UpdateSurveyBody = Type.Object(
  { version: Version, ...surveyFields, languageOverride: LanguageOverride },
  { additionalProperties: false },
);

export const VersionBody = Type.Object({ version: Version }, { additionalProperties: false });

export const SurveyQuery = Type.Object(
  {
    communityId: Type.Optional(Id),
    status: Type.Optional(StringEnum(SURVEY_STATUSES)),
    ...PageQuery,
  },
  { additionalProperties: false },
);

export const SurveyQuestion = Type.Object({
  id: Type.String(),
  position: Type.Integer({ description: '0-based order' }),
  kind: StringEnum(QUESTION_KINDS),
  text: Type.String(),
  options: Nullable(Type.Array(Type.String())),
  required: Type.Boolean(),
});

export const Survey = Type.Object(
  {
    id: Type.String(),
    communityId: Type.String(),
    communityName: Type.String(),
    title: Type.String(),
    intro: Nullable(Type.String()),
    anonymous: Type.Boolean(),
    status: StringEnum(SURVEY_STATUSES, {
      description: 'draft (being built), open (links sent), closed (closed, or past closesAt)',
    }),
    opensAt: Nullable(Type.String({ format: 'date-time', description: 'When it was opened' })),
    closesAt: Nullable(Type.String({ format: 'date-time' })),
    createdBy: Nullable(Type.Object({ id: Type.String(), name: Type.String() })),
    questionCount: Type.Integer(),
    invited: Type.Integer({ description: 'Invitations sent' }),
    responded: Type.Integer({ description: 'Responses received' }),
    responseRate: Type.Number({ description: 'responded / invited, 0–1' }),
    version: Type.Integer(),
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
  },
  { description: 'A satisfaction survey of one community (R36)' },
);

export const SurveyDetail = Type.Object(
  { ...Survey.properties, questions: Type.Array(SurveyQuestion) },
  { description: 'A survey with its questions' },
);

export const SurveyResults = Type.Object({
  survey: Survey,
  invited: Type.Integer(),
  responded: Type.Integer(),
  responseRate: Type.Number({ description: 'responded / invited, 0–1' }),
  questions: Type.Array(
    Type.Object({
      ...SurveyQuestion.properties,
      answered: Type.Integer({ description: 'Responses that answered this question' }),
      counts: Nullable(
        Type.Array(Type.Integer(), {
          description: 'single / multiple: per option, in order; scale: per score 1–5; text: null',
        }),
      ),
      average: Nullable(Type.Number({ description: 'scale: the average score' })),
      texts: Nullable(Type.Array(Type.String(), { description: 'text: every answer' })),
    }),
  ),
});

export const SurveyTokenParams = Type.Object(
  { token: Type.String({ minLength: 1, maxLength: 100 }) },
  { additionalProperties: false },
);

export const PublicSurveyView = Type.Object({
  title: Type.String(),
  intro: Nullable(Type.String()),
  anonymous: Type.Boolean(),
  communityName: Type.String(),
  companyName: Type.String(),
  hotline: Nullable(Type.String()),
  closesAt: Nullable(Type.String({ format: 'date-time' })),
  questions: Type.Array(
    Type.Object({
      id: Type.String(),
      kind: StringEnum(QUESTION_KINDS),
      text: Type.String(),
      options: Nullable(Type.Array(Type.String())),
      required: Type.Boolean(),
    }),
  ),
});

export const PublicSurveyBody = Type.Object(
  {
    answers: Type.Array(
      Type.Object(
        {
          questionId: Type.String({ minLength: 1, maxLength: 64 }),
          value: Type.Optional(
            Nullable(
              Type.Union(
                [
                  Type.Integer({ description: 'single: the option’s 0-based index; scale: 1–5' }),
                  Type.Array(Type.Integer(), { maxItems: 10, description: 'multiple: the options’ indexes' }),
                  Type.String({ maxLength: 5000, description: 'text: at most 1000 characters' }),
                ],
                { description: 'null or absent: left unanswered (only for an optional question)' },
              ),
            ),
          ),
        },
        { additionalProperties: false },
      ),
      { maxItems: 30 },
    ),
  },
  { additionalProperties: false },
);
