import { randomBytes, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import {
  type AnswerValue,
  checkAnswer,
  type QuestionKind,
  type QuestionRule,
  questionProblems,
  responseRate,
  SURVEY_LIMITS,
  type SurveyStatus,
} from '../../../domain/surveys.js';
import { changesOf, writeAudit } from '../../platform/audit.js';
import type { Clock } from '../../platform/clock.js';
import { inScope, type RequestContext } from '../../platform/context.js';
import type { DB } from '../../platform/db/schema.js';
import { AppError, errors, type FieldError } from '../../platform/errors.js';
import { t } from '../../platform/i18n/i18n.js';
import type { Locale, MessageKey } from '../../platform/i18n/messages.js';
import { newId } from '../../platform/ids.js';
import { decodeCursor, encodeCursor } from '../../platform/schemas.js';
import type { LanguageGuard, LanguageOverrideInput } from '../language/language.service.js';
import type { NotificationsRepository } from '../notifications/notifications.repository.js';
import { greetingName } from '../residents/residents.service.js';
import { residentContext, tokenHash } from '../visits/visits.service.js';
import type { QuestionRow, SurveyRecord, SurveysRepository } from './surveys.repository.js';

/** A survey token as we issue it: 32 random bytes in base64url (43 characters). */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

/** Thrown inside the response's transaction to roll it back when another submission was first. */
class LostRace extends Error {}
/** Thrown inside the opening's transaction: nobody to invite. */
class NoRecipients extends Error {}

const linkNotFound = () => new AppError(404, 'NOT_FOUND', 'error.SURVEY_LINK_NOT_FOUND');
const linkUsed = () => new AppError(410, 'SURVEY_LINK_USED', 'error.SURVEY_LINK_USED');
const surveyClosed = () => new AppError(410, 'SURVEY_CLOSED', 'error.SURVEY_CLOSED');

export interface SurveysOptions {
  /** Where residents reach the public survey page: `${publicUrl}/s/<token>`. */
  publicUrl: string;
}

export interface QuestionInput {
  kind: QuestionKind;
  text: string;
  options?: string[] | null;
  required?: boolean;
}

export interface SurveyInput {
  title: string;
  intro?: string | null;
  anonymous: boolean;
  closesAt?: string | null;
  questions: QuestionInput[];
}

/** The start of the UTC day of `at`: all an anonymous response keeps of its time. */
function dayOf(at: Date): string {
  return `${at.toISOString().slice(0, 10)}T00:00:00.000Z`;
}

function questionRule(q: QuestionRow): QuestionRule {
  return { kind: q.kind as QuestionKind, options: optionsOf(q), required: q.required === 1 };
}

function optionsOf(q: Pick<QuestionRow, 'options'>): string[] | null {
  return q.options ? (JSON.parse(q.options) as string[]) : null;
}

function questionView(q: QuestionRow) {
  return {
    id: q.id,
    position: q.position,
    kind: q.kind as QuestionKind,
    text: q.text,
    options: optionsOf(q),
    required: q.required === 1,
  };
}

/** §6: the texts of a survey its residents read, by body field. */
function surveyTexts(input: SurveyInput): Record<string, string | null> {
  const fields: Record<string, string | null> = { title: input.title, intro: input.intro ?? null };
  input.questions.forEach((q, i) => {
    fields[`questions.${i}.text`] = q.text;
    (q.options ?? []).forEach((o, j) => {
      fields[`questions.${i}.options.${j}`] = o;
    });
  });
  return fields;
}

/**
 * Satisfaction surveys (满意度调查, §5 R36). Supervisors build a questionnaire for a community as
 * a draft, then open it: every current resident of the community who has a phone is sent a
 * one-time link through the residents' outbox (only the token's hash is stored). The resident
 * answers once on the public page; the staff read the results and the response rate. An
 * anonymous survey's responses carry no resident and cannot be joined to an invitation.
 */
export class SurveysService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly repo: SurveysRepository,
    private readonly outbox: NotificationsRepository,
    /** The channel residents' messages go out on. */
    private readonly channel: string,
    private readonly clock: Clock,
    private readonly options: SurveysOptions,
    private readonly language: LanguageGuard,
  ) {}

  // ---- views ----

  private status(row: SurveyRecord, now: Date): SurveyStatus {
    if (row.status === 'open' && row.closes_at && row.closes_at <= now.toISOString()) return 'closed';
    return row.status as SurveyStatus;
  }

  private view(row: SurveyRecord, now: Date = this.clock.now()) {
    return {
      id: row.id,
      communityId: row.community_id,
      communityName: row.community_name,
      title: row.title,
      intro: row.intro,
      anonymous: row.anonymous === 1,
      status: this.status(row, now),
      opensAt: row.opens_at,
      closesAt: row.closes_at,
      createdBy: row.created_by ? { id: row.created_by, name: row.creator_name ?? '' } : null,
      questionCount: row.questions_count,
      invited: row.invited,
      responded: row.responded,
      responseRate: responseRate(row.responded, row.invited),
      version: row.version,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
  }

  private async detail(row: SurveyRecord) {
    const questions = await this.repo.questions(row.id);
    return { ...this.view(row), questions: questions.map(questionView) };
  }

  private async load(ctx: RequestContext, id: string) {
    const row = await this.repo.get(ctx.principal.scope, id);
    if (!row) throw errors.notFound();
    return row;
  }

  async list(
    ctx: RequestContext,
    q: { communityId?: string; status?: SurveyStatus; cursor?: string; limit?: number },
  ) {
    const limit = q.limit ?? 50;
    const rows = await this.repo.list(ctx.principal.scope, {
      communityId: q.communityId,
      status: q.status,
      beforeId: decodeCursor(q.cursor),
      limit,
    });
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    const now = this.clock.now();
    return {
      items: items.map((r) => this.view(r, now)),
      nextCursor: rows.length > limit && last ? encodeCursor(last.id) : null,
    };
  }

  async get(ctx: RequestContext, id: string) {
    return this.detail(await this.load(ctx, id));
  }

  // ---- building a draft ----

  /** Checks a questionnaire; every problem is a translated field error naming the question. */
  private validate(input: SurveyInput, now: Date) {
    const fields: FieldError[] = [];
    const title = input.title.trim();
    if (!title) fields.push({ field: 'title', key: 'validation.blank' });
    else if ([...title].length > SURVEY_LIMITS.title)
      fields.push({ field: 'title', key: 'validation.maxLength', params: { limit: SURVEY_LIMITS.title } });
    if (input.intro && [...input.intro.trim()].length > SURVEY_LIMITS.intro)
      fields.push({ field: 'intro', key: 'validation.maxLength', params: { limit: SURVEY_LIMITS.intro } });
    if (input.closesAt && input.closesAt <= now.toISOString())
      fields.push({ field: 'closesAt', key: 'validation.surveyClosesAt' });
    for (const p of questionProblems(input.questions)) {
      const n = (p.index ?? 0) + 1;
      switch (p.code) {
        case 'count':
          fields.push({
            field: 'questions',
            key: 'validation.surveyQuestionCount',
            params: { min: SURVEY_LIMITS.minQuestions, max: SURVEY_LIMITS.maxQuestions },
          });
          break;
        case 'questionText':
          fields.push({
            field: `questions/${n - 1}/text`,
            key: 'validation.surveyQuestionText',
            params: { n, limit: SURVEY_LIMITS.question },
          });
          break;
        case 'optionCount':
          fields.push({
            field: `questions/${n - 1}/options`,
            key: 'validation.surveyOptionCount',
            params: { n, min: SURVEY_LIMITS.minOptions, max: SURVEY_LIMITS.maxOptions },
          });
          break;
        case 'optionInvalid':
          fields.push({
            field: `questions/${n - 1}/options`,
            key: 'validation.surveyOptionInvalid',
            params: { n, limit: SURVEY_LIMITS.option },
          });
          break;
        case 'noOptions':
          fields.push({
            field: `questions/${n - 1}/options`,
            key: 'validation.surveyNoOptions',
            params: { n },
          });
          break;
      }
    }
    if (fields.length) throw errors.validation(fields);
  }

  private questionRows(surveyId: string, questions: QuestionInput[], now: Date) {
    return questions.map((q, position) => ({
      id: newId(now),
      survey_id: surveyId,
      position,
      kind: q.kind,
      text: q.text.trim(),
      options:
        q.kind === 'single' || q.kind === 'multiple'
          ? JSON.stringify((q.options ?? []).map((o) => o.trim()))
          : null,
      required: q.required === false ? 0 : 1,
    }));
  }

  private static snapshot(input: SurveyInput) {
    return {
      title: input.title.trim(),
      intro: input.intro?.trim() || null,
      anonymous: input.anonymous,
      closesAt: input.closesAt ?? null,
      questions: input.questions.map((q) => ({
        kind: q.kind,
        text: q.text.trim(),
        options: q.kind === 'single' || q.kind === 'multiple' ? (q.options ?? []).map((o) => o.trim()) : null,
        required: q.required !== false,
      })),
    };
  }

  /** A new draft survey of one of the caller's communities; audited. */
  async create(
    ctx: RequestContext,
    input: SurveyInput & { communityId: string; languageOverride?: LanguageOverrideInput },
  ) {
    const now = this.clock.now();
    const community = await this.db
      .selectFrom('communities')
      .select('id')
      .where('id', '=', input.communityId)
      .executeTakeFirst();
    if (!community || !inScope(ctx.principal.scope, input.communityId))
      throw errors.field('communityId', 'validation.notFound');
    this.validate(input, now);
    const id = newId(now);
    const at = now.toISOString();
    const snap = SurveysService.snapshot(input);
    await this.db.transaction().execute(async (trx) => {
      // §6: the residents read the title, intro and questions
      await this.language.check(trx, ctx, {
        entityType: 'survey',
        entityId: id,
        communityId: input.communityId,
        fields: surveyTexts(input),
        override: input.languageOverride ?? null,
      });
      const repo = this.repo.with(trx);
      await repo.insertSurvey({
        id,
        community_id: input.communityId,
        title: snap.title,
        intro: snap.intro,
        anonymous: input.anonymous ? 1 : 0,
        status: 'draft',
        opens_at: null,
        closes_at: snap.closesAt,
        created_by: ctx.principal.userId === 'system' ? null : ctx.principal.userId,
        version: 1,
        created_at: at,
        updated_at: at,
      });
      await repo.replaceQuestions(id, this.questionRows(id, input.questions, now));
      await writeAudit(
        trx,
        ctx,
        {
          action: 'survey.create',
          entityType: 'survey',
          entityId: id,
          communityId: input.communityId,
          changes: changesOf(null, snap),
        },
        now,
      );
    });
    return this.get(ctx, id);
  }

  /** Edits a draft: its title, intro, anonymity, end and all its questions; audited. */
  async update(
    ctx: RequestContext,
    id: string,
    input: SurveyInput & { version: number; languageOverride?: LanguageOverrideInput },
  ) {
    const row = await this.load(ctx, id);
    if (row.status !== 'draft') throw errors.conflict('error.SURVEY_NOT_DRAFT');
    if (row.version !== input.version) throw errors.conflict();
    const now = this.clock.now();
    this.validate(input, now);
    const snap = SurveysService.snapshot(input);
    const before = await this.repo.questions(id);
    const beforeSnap = {
      title: row.title,
      intro: row.intro,
      anonymous: row.anonymous === 1,
      closesAt: row.closes_at,
      questions: before.map((q) => ({
        kind: q.kind,
        text: q.text,
        options: optionsOf(q),
        required: q.required === 1,
      })),
    };
    const applied = await this.db.transaction().execute(async (trx) => {
      const repo = this.repo.with(trx);
      if (
        !(await repo.applyIfVersion(id, row.version, {
          title: snap.title,
          intro: snap.intro,
          anonymous: input.anonymous ? 1 : 0,
          closes_at: snap.closesAt,
          updated_at: now.toISOString(),
        }))
      )
        return false;
      await this.language.check(trx, ctx, {
        entityType: 'survey',
        entityId: id,
        communityId: row.community_id,
        fields: surveyTexts(input),
        override: input.languageOverride ?? null,
      });
      await repo.replaceQuestions(id, this.questionRows(id, input.questions, now));
      await writeAudit(
        trx,
        ctx,
        {
          action: 'survey.update',
          entityType: 'survey',
          entityId: id,
          communityId: row.community_id,
          changes: changesOf(beforeSnap, snap),
        },
        now,
      );
      return true;
    });
    if (!applied) throw errors.conflict();
    return this.get(ctx, id);
  }

  // ---- opening and closing ----

  /**
   * Opens a draft: one invitation per current resident of the community who has a phone, each a
   * one-time link `${PUBLIC_URL}/s/<token>` sent through the residents' outbox, all in one
   * transaction with the survey's status (so a failure sends nothing); audited.
   */
  async open(ctx: RequestContext, id: string, input: { version: number }) {
    const row = await this.load(ctx, id);
    if (row.status !== 'draft') throw errors.conflict('error.SURVEY_NOT_DRAFT');
    if (row.version !== input.version) throw errors.conflict();
    const now = this.clock.now();
    const at = now.toISOString();
    if (row.closes_at && row.closes_at <= at) throw errors.field('closesAt', 'validation.surveyClosesAt');
    const locale: Locale = 'zh-CN';
    const base = this.options.publicUrl.replace(/\/+$/, '');
    const outcome = await this.db
      .transaction()
      .execute(async (trx) => {
        const repo = this.repo.with(trx);
        if (!(await repo.applyIfVersion(id, row.version, { status: 'open', opens_at: at, updated_at: at })))
          return null;
        const recipients = await repo.recipients(row.community_id);
        if (!recipients.length) throw new NoRecipients();
        const facts = await repo.facts(row.community_id);
        const invitations = [];
        const messages = [];
        for (const r of recipients) {
          const token = randomBytes(32).toString('base64url');
          invitations.push({
            id: newId(now),
            survey_id: id,
            resident_id: r.id,
            token_hash: tokenHash(token),
            sent_at: at,
            responded_at: null,
          });
          const greeting = greetingName(r.name, r.salutation);
          messages.push({
            id: newId(now),
            ticket_id: null,
            community_id: row.community_id,
            event: 'survey',
            channel: this.channel,
            recipient_name: r.name,
            recipient_phone: r.phone,
            resident_id: r.id,
            user_id: null,
            read_at: null,
            body: [
              facts.companyName ? t(locale, 'notify.sign', { company: facts.companyName }) : '',
              greeting ? t(locale, 'notify.greeting', { name: greeting }) : '',
              t(locale, 'notify.survey', { title: row.title, url: `${base}/s/${token}` }),
              t(locale, 'notify.closing', { community: facts.communityName }),
            ].join(''),
            status: 'queued',
            attempts: 0,
            next_attempt_at: at,
            last_error: null,
            created_at: at,
            sent_at: null,
          });
        }
        await repo.insertInvitations(invitations);
        const outbox = this.outbox.with(trx);
        for (let i = 0; i < messages.length; i += 100) await outbox.insertMany(messages.slice(i, i + 100));
        await writeAudit(
          trx,
          ctx,
          {
            action: 'survey.open',
            entityType: 'survey',
            entityId: id,
            communityId: row.community_id,
            changes: { status: ['draft', 'open'], opensAt: [null, at], invitations: [0, invitations.length] },
          },
          now,
        );
        return invitations.length;
      })
      .catch((error: unknown) => {
        if (error instanceof NoRecipients) throw errors.conflict('error.SURVEY_NO_RECIPIENTS');
        throw error;
      });
    if (outcome === null) throw errors.conflict();
    return this.get(ctx, id);
  }

  /** Closes an open survey: its links answer 410 from now on; audited. */
  async close(ctx: RequestContext, id: string, input: { version: number }) {
    const row = await this.load(ctx, id);
    if (row.status !== 'open') throw errors.conflict('error.SURVEY_NOT_OPEN');
    if (row.version !== input.version) throw errors.conflict();
    const now = this.clock.now();
    const at = now.toISOString();
    const closesAt = row.closes_at && row.closes_at < at ? row.closes_at : at;
    const applied = await this.db.transaction().execute(async (trx) => {
      if (
        !(await this.repo
          .with(trx)
          .applyIfVersion(id, row.version, { status: 'closed', closes_at: closesAt, updated_at: at }))
      )
        return false;
      await writeAudit(
        trx,
        ctx,
        {
          action: 'survey.close',
          entityType: 'survey',
          entityId: id,
          communityId: row.community_id,
          changes: { status: ['open', 'closed'], closesAt: [row.closes_at, closesAt] },
        },
        now,
      );
      return true;
    });
    if (!applied) throw errors.conflict();
    return this.get(ctx, id);
  }

  // ---- results ----

  /**
   * Per question: how many answered it, the count of each option (single, multiple), the count
   * of each score and the average (scale), the texts (text); and the response rate.
   */
  async results(ctx: RequestContext, id: string) {
    const row = await this.load(ctx, id);
    const [questions, answers] = await Promise.all([this.repo.questions(id), this.repo.answers(id)]);
    const byQuestion = new Map<string, AnswerValue[]>();
    for (const a of answers) {
      const list = byQuestion.get(a.question_id) ?? [];
      list.push(JSON.parse(a.value) as AnswerValue);
      byQuestion.set(a.question_id, list);
    }
    return {
      survey: this.view(row),
      invited: row.invited,
      responded: row.responded,
      responseRate: responseRate(row.responded, row.invited),
      questions: questions.map((q) => {
        const values = byQuestion.get(q.id) ?? [];
        const options = optionsOf(q);
        const base = { ...questionView(q), answered: values.length };
        if (q.kind === 'single' || q.kind === 'multiple') {
          const counts = (options ?? []).map(() => 0);
          for (const v of values)
            for (const i of Array.isArray(v) ? v : [v])
              if (typeof i === 'number' && i in counts) counts[i]!++;
          return { ...base, counts, average: null, texts: null };
        }
        if (q.kind === 'scale') {
          const counts = [0, 0, 0, 0, 0];
          let sum = 0;
          for (const v of values)
            if (typeof v === 'number') {
              counts[v - 1]!++;
              sum += v;
            }
          const average = values.length ? Math.round((sum / values.length) * 100) / 100 : null;
          return { ...base, counts, average, texts: null };
        }
        return { ...base, counts: null, average: null, texts: values.map(String) };
      }),
    };
  }

  // ---- the resident's page (public) ----

  private async invitation(token: string) {
    if (!TOKEN_SHAPE.test(token)) throw linkNotFound();
    const invitation = await this.repo.invitationByHash(tokenHash(token));
    if (!invitation) throw linkNotFound();
    const survey = await this.repo.byId(invitation.survey_id);
    if (!survey) throw linkNotFound();
    if (invitation.responded_at) throw linkUsed();
    const now = this.clock.now().toISOString();
    if (survey.status !== 'open' || (survey.closes_at && survey.closes_at <= now)) throw surveyClosed();
    return { invitation, survey };
  }

  /** What the resident sees: the questionnaire, and nothing about them. */
  async publicView(token: string) {
    const { survey } = await this.invitation(token);
    const [questions, facts] = await Promise.all([
      this.repo.questions(survey.id),
      this.repo.facts(survey.community_id),
    ]);
    return {
      title: survey.title,
      intro: survey.intro,
      anonymous: survey.anonymous === 1,
      communityName: facts.communityName,
      companyName: facts.companyName,
      hotline: facts.hotline,
      closesAt: survey.closes_at,
      questions: questions.map((q) => {
        const v = questionView(q);
        return { id: v.id, kind: v.kind, text: v.text, options: v.options, required: v.required };
      }),
    };
  }

  /**
   * The resident's answers, once. Each is checked against its question (required, option in the
   * list, score 1–5, text length): one bad answer refuses them all and stores nothing. The
   * invitation is used by a conditional update in the answers' own transaction, so of two
   * submissions at once exactly one is stored. An anonymous survey's response keeps no resident,
   * a random id and the day only; the invitation's use is kept to the day as well, and no audit
   * record (which would carry the exact time and address) is written for it.
   */
  async respond(
    token: string,
    input: { answers: { questionId: string; value?: unknown }[] },
    request: { ip: string | null; locale: Locale; requestId: string },
  ) {
    const { invitation, survey } = await this.invitation(token);
    const questions = await this.repo.questions(survey.id);
    const byId = new Map(questions.map((q) => [q.id, q]));
    const given = new Map<string, unknown>();
    const fields: FieldError[] = [];
    for (const a of input.answers) {
      if (!byId.has(a.questionId) || given.has(a.questionId)) {
        fields.push({ field: 'answers', key: 'validation.surveyAnswerUnknown' });
        break;
      }
      given.set(a.questionId, a.value);
    }
    const values: { questionId: string; value: AnswerValue }[] = [];
    for (const q of questions) {
      const checked = checkAnswer(questionRule(q), given.get(q.id));
      if (!checked.ok) {
        fields.push({
          field: `answers/${q.position}`,
          key: `validation.surveyAnswer.${checked.code}` as MessageKey,
          params: { n: q.position + 1, limit: SURVEY_LIMITS.answerText },
        });
      } else if (checked.value !== null) values.push({ questionId: q.id, value: checked.value });
    }
    if (fields.length) throw errors.validation(fields);

    const now = this.clock.now();
    const anonymous = survey.anonymous === 1;
    const at = anonymous ? dayOf(now) : now.toISOString();
    const responseId = anonymous ? randomUUID() : newId(now);
    const stored = await this.db
      .transaction()
      .execute(async (trx) => {
        const repo = this.repo.with(trx);
        if (!(await repo.useInvitation(invitation.id, at))) throw new LostRace();
        await repo.insertResponse(
          {
            id: responseId,
            survey_id: survey.id,
            resident_id: anonymous ? null : invitation.resident_id,
            created_at: at,
          },
          values.map((v) => ({
            response_id: responseId,
            question_id: v.questionId,
            value: JSON.stringify(v.value),
          })),
        );
        if (!anonymous)
          await writeAudit(
            trx,
            residentContext(request.ip, request.locale, request.requestId),
            {
              action: 'survey.respond',
              entityType: 'survey_response',
              entityId: responseId,
              communityId: survey.community_id,
              changes: changesOf(null, { surveyId: survey.id, residentId: invitation.resident_id }),
            },
            now,
          );
        return true;
      })
      .catch((error: unknown) => {
        if (error instanceof LostRace) return false;
        throw error;
      });
    if (!stored) throw linkUsed();
    return { submitted: true };
  }
}
