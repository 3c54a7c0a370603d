import type { Insertable, Kysely, Selectable, Updateable } from 'kysely';
import { type Scope, withinScope } from '../../platform/context.js';
import type { DialectName } from '../../platform/db/database.js';
import type {
  DB,
  SurveyAnswersTable,
  SurveyInvitationsTable,
  SurveyQuestionsTable,
  SurveyResponsesTable,
  SurveysTable,
} from '../../platform/db/schema.js';

export type SurveyRow = Selectable<SurveysTable>;
export type QuestionRow = Selectable<SurveyQuestionsTable>;
export type InvitationRow = Selectable<SurveyInvitationsTable>;

/** A survey with its community's name, who made it, and how many were invited and answered. */
export type SurveyRecord = SurveyRow & {
  community_name: string;
  creator_name: string | null;
  invited: number;
  responded: number;
  questions_count: number;
};

/** Rows per insert: well within SQLite's bound-variable limit. */
const CHUNK = 100;

/** Surveys (R36): their questions, invitations, responses and answers. */
export class SurveysRepository {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly dialect: DialectName,
  ) {}

  with(db: Kysely<DB>) {
    return new SurveysRepository(db, this.dialect);
  }

  private query(scope: Scope) {
    return withinScope(
      this.db
        .selectFrom('surveys')
        .innerJoin('communities', 'communities.id', 'surveys.community_id')
        .leftJoin('users', 'users.id', 'surveys.created_by')
        .selectAll('surveys')
        .select((eb) => [
          'communities.name as community_name',
          'users.name as creator_name',
          eb
            .selectFrom('survey_invitations')
            .select((e) => e.fn.countAll<number | string>().as('n'))
            .whereRef('survey_invitations.survey_id', '=', 'surveys.id')
            .as('invited'),
          eb
            .selectFrom('survey_responses')
            .select((e) => e.fn.countAll<number | string>().as('n'))
            .whereRef('survey_responses.survey_id', '=', 'surveys.id')
            .as('responded'),
          eb
            .selectFrom('survey_questions')
            .select((e) => e.fn.countAll<number | string>().as('n'))
            .whereRef('survey_questions.survey_id', '=', 'surveys.id')
            .as('questions_count'),
        ]),
      'surveys.community_id',
      scope,
    );
  }

  private static record(row: Record<string, unknown>): SurveyRecord {
    const r = row as SurveyRecord;
    return {
      ...r,
      invited: Number(r.invited ?? 0),
      responded: Number(r.responded ?? 0),
      questions_count: Number(r.questions_count ?? 0),
    };
  }

  async list(
    scope: Scope,
    filter: { communityId?: string; status?: string; beforeId?: string; limit: number },
  ): Promise<SurveyRecord[]> {
    const rows = await this.query(scope)
      .$if(Boolean(filter.communityId), (q) => q.where('surveys.community_id', '=', filter.communityId!))
      .$if(Boolean(filter.status), (q) => q.where('surveys.status', '=', filter.status!))
      .$if(Boolean(filter.beforeId), (q) => q.where('surveys.id', '<', filter.beforeId!))
      .orderBy('surveys.id', 'desc')
      .limit(filter.limit + 1)
      .execute();
    return rows.map((r) => SurveysRepository.record(r));
  }

  async get(scope: Scope, id: string): Promise<SurveyRecord | undefined> {
    const row = await this.query(scope).where('surveys.id', '=', id).executeTakeFirst();
    return row ? SurveysRepository.record(row) : undefined;
  }

  /** The survey itself, unscoped (the public page, found by its invitation). */
  byId(id: string) {
    return this.db.selectFrom('surveys').selectAll().where('id', '=', id).executeTakeFirst();
  }

  questions(surveyId: string) {
    return this.db
      .selectFrom('survey_questions')
      .selectAll()
      .where('survey_id', '=', surveyId)
      .orderBy('position')
      .execute();
  }

  async insertSurvey(row: Insertable<SurveysTable>) {
    await this.db.insertInto('surveys').values(row).execute();
  }

  /** A draft's questions, all replaced (nobody has answered a draft). */
  async replaceQuestions(surveyId: string, rows: Insertable<SurveyQuestionsTable>[]) {
    await this.db.deleteFrom('survey_questions').where('survey_id', '=', surveyId).execute();
    for (let i = 0; i < rows.length; i += CHUNK)
      await this.db
        .insertInto('survey_questions')
        .values(rows.slice(i, i + CHUNK))
        .execute();
  }

  async applyIfVersion(id: string, version: number, values: Updateable<SurveysTable>): Promise<boolean> {
    const result = await this.db
      .updateTable('surveys')
      .set({ ...values, version: version + 1 })
      .where('id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /**
   * The community's current residents who have a phone: not archived, living in one of its rooms
   * (not moved out). One row per resident, however many rooms they have there.
   */
  recipients(communityId: string) {
    return this.db
      .selectFrom('residents')
      .select(['residents.id', 'residents.name', 'residents.phone', 'residents.salutation'])
      .where('residents.archived_at', 'is', null)
      .where('residents.phone', 'is not', null)
      .where('residents.phone', '!=', '')
      .where((eb) =>
        eb.exists(
          eb
            .selectFrom('resident_rooms')
            .select('resident_rooms.resident_id')
            .whereRef('resident_rooms.resident_id', '=', 'residents.id')
            .where('resident_rooms.community_id', '=', communityId)
            .where('resident_rooms.move_out_date', 'is', null),
        ),
      )
      .orderBy('residents.id')
      .execute();
  }

  async insertInvitations(rows: Insertable<SurveyInvitationsTable>[]) {
    for (let i = 0; i < rows.length; i += CHUNK)
      await this.db
        .insertInto('survey_invitations')
        .values(rows.slice(i, i + CHUNK))
        .execute();
  }

  invitationByHash(hash: string) {
    return this.db
      .selectFrom('survey_invitations')
      .selectAll()
      .where('token_hash', '=', hash)
      .executeTakeFirst();
  }

  /** Uses the invitation, if nobody has: of two submissions at once exactly one wins. */
  async useInvitation(id: string, at: string): Promise<boolean> {
    const result = await this.db
      .updateTable('survey_invitations')
      .set({ responded_at: at })
      .where('id', '=', id)
      .where('responded_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async insertResponse(row: Insertable<SurveyResponsesTable>, answers: Insertable<SurveyAnswersTable>[]) {
    await this.db.insertInto('survey_responses').values(row).execute();
    if (answers.length) await this.db.insertInto('survey_answers').values(answers).execute();
  }

  /** Every answer given to the survey, with the response's order for stable text lists. */
  answers(surveyId: string) {
    return this.db
      .selectFrom('survey_answers')
      .innerJoin('survey_responses', 'survey_responses.id', 'survey_answers.response_id')
      .select(['survey_answers.question_id', 'survey_answers.value'])
      .where('survey_responses.survey_id', '=', surveyId)
      .orderBy('survey_responses.id')
      .execute();
  }

  /** Community and company names for the resident's page and messages. */
  async facts(communityId: string) {
    const community = await this.db
      .selectFrom('communities')
      .select(['name', 'time_zone'])
      .where('id', '=', communityId)
      .executeTakeFirst();
    const company = await this.db
      .selectFrom('company')
      .select(['name', 'short_name', 'hotline'])
      .where('id', '=', 'default')
      .executeTakeFirst();
    return {
      communityName: community?.name ?? '',
      timeZone: community?.time_zone ?? 'Asia/Shanghai',
      companyName: company?.short_name || company?.name || '',
      hotline: company?.hotline ?? null,
    };
  }
}
