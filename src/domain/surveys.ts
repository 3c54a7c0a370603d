/**
 * Satisfaction surveys (满意度调查), PRODUCT.md §5 R36, as pure rules: what makes a questionnaire
 * well-formed and what makes an answer valid for its question. No I/O; the server and the
 * console's builder share them.
 */

export const QUESTION_KINDS = ['single', 'multiple', 'scale', 'text'] as const;
export type QuestionKind = (typeof QUESTION_KINDS)[number];

export const SURVEY_STATUSES = ['draft', 'open', 'closed'] as const;
export type SurveyStatus = (typeof SURVEY_STATUSES)[number];

export const SURVEY_LIMITS = {
  minQuestions: 1,
  maxQuestions: 30,
  minOptions: 2,
  maxOptions: 10,
  title: 100,
  intro: 1000,
  question: 300,
  option: 100,
  answerText: 1000,
  scaleMin: 1,
  scaleMax: 5,
} as const;

export interface QuestionDraft {
  kind: QuestionKind;
  text: string;
  options?: readonly string[] | null;
  required?: boolean;
}

/**
 * What is wrong with a questionnaire, question by question (`index` 0-based; null: the whole):
 * - count: fewer than 1 or more than 30 questions
 * - questionText: a question blank or too long
 * - optionCount: a choice question with fewer than 2 or more than 10 options
 * - optionInvalid: an option blank, too long, or given twice
 * - noOptions: options on a scale or text question
 */
export type QuestionProblem = {
  index: number | null;
  code: 'count' | 'questionText' | 'optionCount' | 'optionInvalid' | 'noOptions';
};

export function questionProblems(questions: readonly QuestionDraft[]): QuestionProblem[] {
  const out: QuestionProblem[] = [];
  if (questions.length < SURVEY_LIMITS.minQuestions || questions.length > SURVEY_LIMITS.maxQuestions)
    out.push({ index: null, code: 'count' });
  questions.forEach((q, index) => {
    const text = q.text.trim();
    if (!text || [...text].length > SURVEY_LIMITS.question) out.push({ index, code: 'questionText' });
    const options = q.options ?? [];
    if (q.kind === 'single' || q.kind === 'multiple') {
      if (options.length < SURVEY_LIMITS.minOptions || options.length > SURVEY_LIMITS.maxOptions)
        out.push({ index, code: 'optionCount' });
      const trimmed = options.map((o) => o.trim());
      if (
        trimmed.some((o) => !o || [...o].length > SURVEY_LIMITS.option) ||
        new Set(trimmed).size !== trimmed.length
      )
        out.push({ index, code: 'optionInvalid' });
    } else if (options.length) out.push({ index, code: 'noOptions' });
  });
  return out;
}

export interface QuestionRule {
  kind: QuestionKind;
  options: readonly string[] | null;
  required: boolean;
}

/** The stored form of an answer: an option index, indexes, a 1–5 score, or a text. */
export type AnswerValue = number | number[] | string;

/**
 * Checks one answer against its question. Returns the value to store (null: left unanswered,
 * which only an optional question allows) or the problem:
 * - required: a required question left unanswered
 * - type: not the shape its kind takes
 * - option: an option that is not in the list (or one chosen twice)
 * - scale: a score outside 1–5
 * - text: a text longer than 1000 characters
 */
export function checkAnswer(
  question: QuestionRule,
  value: unknown,
):
  | { ok: true; value: AnswerValue | null }
  | { ok: false; code: 'required' | 'type' | 'option' | 'scale' | 'text' } {
  const unanswered =
    value === null ||
    value === undefined ||
    (typeof value === 'string' && !value.trim()) ||
    (Array.isArray(value) && value.length === 0);
  if (unanswered) return question.required ? { ok: false, code: 'required' } : { ok: true, value: null };
  const count = question.options?.length ?? 0;
  const isIndex = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);
  switch (question.kind) {
    case 'single':
      if (!isIndex(value)) return { ok: false, code: 'type' };
      if (value < 0 || value >= count) return { ok: false, code: 'option' };
      return { ok: true, value };
    case 'multiple': {
      if (!Array.isArray(value) || !value.every(isIndex)) return { ok: false, code: 'type' };
      const indexes = value as number[];
      if (indexes.some((i) => i < 0 || i >= count) || new Set(indexes).size !== indexes.length)
        return { ok: false, code: 'option' };
      return { ok: true, value: [...indexes].sort((a, b) => a - b) };
    }
    case 'scale':
      if (!isIndex(value)) return { ok: false, code: 'type' };
      if (value < SURVEY_LIMITS.scaleMin || value > SURVEY_LIMITS.scaleMax)
        return { ok: false, code: 'scale' };
      return { ok: true, value };
    case 'text': {
      if (typeof value !== 'string') return { ok: false, code: 'type' };
      const text = value.trim();
      if ([...text].length > SURVEY_LIMITS.answerText) return { ok: false, code: 'text' };
      return { ok: true, value: text };
    }
  }
}

/** responses / invitations, 0–1, rounded to 4 places; 0 when nobody was invited. */
export function responseRate(responses: number, invitations: number): number {
  return invitations > 0 ? Math.round((responses / invitations) * 10_000) / 10_000 : 0;
}
