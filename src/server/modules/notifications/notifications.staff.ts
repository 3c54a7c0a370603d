import type { Kysely } from 'kysely';
import { ESCALATION_LEVELS, MAX_ESCALATION_LEVEL } from '../../../domain/ticket-lifecycle.js';
import type { DB } from '../../platform/db/schema.js';
import { isLocale, t } from '../../platform/i18n/i18n.js';
import type { Locale, MessageKey } from '../../platform/i18n/messages.js';
import { newId } from '../../platform/ids.js';
import { worksIn } from '../staff/staff.repository.js';
import type { NotificationsRepository } from './notifications.repository.js';
import type { TicketNotifier } from './notifications.service.js';

/** A member of staff an alert is addressed to. */
export interface StaffRecipient {
  id: string;
  name: string;
  phone: string | null;
  locale: string | null;
}

/**
 * Who answers for a request at an escalation level (逐级负责制, R26): level 1 is the leader of
 * the request's team; levels 2–4 are the active holders of the role — 客服主管, 服务中心经理,
 * 品质部 — who work in the request's community (or in all of them). A level with nobody in it
 * (but the person escalating) passes the alert on to the next one up, so an escalation never goes
 * unheard because a post is empty.
 */
export async function escalationRecipients(
  db: Kysely<DB>,
  ticket: { communityId: string; teamId: string | null; actorId?: string | null },
  level: number,
): Promise<{ level: number; users: StaffRecipient[] }> {
  for (let at = Math.max(1, level); at <= MAX_ESCALATION_LEVEL; at++) {
    const found =
      at === 1 ? await teamLeader(db, ticket.teamId) : await roleHolders(db, at, ticket.communityId);
    // whoever escalates knows already: a 主管 escalating is heard by the 经理
    const users = found.filter((u) => u.id !== ticket.actorId);
    if (users.length) return { level: at, users };
  }
  return { level, users: [] };
}

async function teamLeader(db: Kysely<DB>, teamId: string | null): Promise<StaffRecipient[]> {
  if (!teamId) return [];
  return db
    .selectFrom('teams')
    .innerJoin('users', 'users.id', 'teams.leader_user_id')
    .select(['users.id', 'users.name', 'users.phone', 'users.locale'])
    .where('teams.id', '=', teamId)
    .where('users.disabled', '=', 0)
    .execute();
}

function roleHolders(db: Kysely<DB>, level: number, communityId: string): Promise<StaffRecipient[]> {
  return db
    .selectFrom('users')
    .innerJoin('user_roles', 'user_roles.user_id', 'users.id')
    .select(['users.id', 'users.name', 'users.phone', 'users.locale'])
    .where('user_roles.role', '=', ESCALATION_LEVELS[level] ?? 'quality')
    .where('users.disabled', '=', 0)
    .where(worksIn(communityId))
    .orderBy('users.id')
    .execute();
}

function summary(content: string): string {
  const chars = [...content.replace(/\s+/g, ' ').trim()];
  return chars.length > 40 ? `${chars.slice(0, 40).join('')}…` : chars.join('');
}

/**
 * Tells the staff of the level a request was escalated to (R26), in the escalation's own
 * transaction: one outbox row per person, on the channel staff are reached by, shown in their
 * console until read. Both kinds of escalation are heard: a breach's (the SLA scheduler's, with
 * the overdue target) and a person's (with their reason).
 */
export class StaffNotifier implements TicketNotifier {
  /** Recipients found in one transaction: a scheduling pass escalating thousands asks once per team and community. */
  private readonly cache = new WeakMap<
    object,
    Map<string, Promise<{ level: number; users: StaffRecipient[] }>>
  >();

  constructor(
    private readonly outbox: NotificationsRepository,
    private readonly channel: string,
  ) {}

  async onStep(
    trx: Kysely<DB>,
    ticketId: string,
    step: string,
    data: Record<string, unknown>,
    now: Date,
    note: string | null = null,
    actorId: string | null = null,
  ): Promise<void> {
    if (step !== 'escalate' || typeof data.level !== 'number') return;
    const ticket = await trx
      .selectFrom('tickets')
      .innerJoin('communities', 'communities.id', 'tickets.community_id')
      .select(['tickets.id', 'tickets.number', 'tickets.content', 'tickets.community_id', 'tickets.team_id'])
      .select('communities.name as community_name')
      .where('tickets.id', '=', ticketId)
      .executeTakeFirst();
    if (!ticket) return;
    const { level, users } = await this.recipients(
      trx,
      { communityId: ticket.community_id, teamId: ticket.team_id, actorId },
      data.level,
    );
    if (!users.length) return;
    const target = typeof data.breachedTarget === 'string' ? data.breachedTarget : null;
    const rows = users.map((user) => {
      const locale: Locale = user.locale && isLocale(user.locale) ? user.locale : 'zh-CN';
      const why = target
        ? t(locale, 'alert.overdue', { target: t(locale, `sla.target.${target}` as MessageKey) })
        : (note ?? '').trim() || t(locale, 'alert.noReason');
      return {
        id: newId(now),
        ticket_id: ticket.id,
        community_id: ticket.community_id,
        event: 'escalate',
        channel: this.channel,
        recipient_name: user.name,
        recipient_phone: user.phone,
        resident_id: null,
        user_id: user.id,
        read_at: null,
        body: t(locale, 'alert.escalated', {
          number: ticket.number,
          community: ticket.community_name,
          level: t(locale, `sla.level.${level}` as MessageKey),
          why: why.replace(/[。.！!]+$/, ''),
          content: summary(ticket.content),
        }),
        status: 'queued',
        attempts: 0,
        next_attempt_at: now.toISOString(),
        last_error: null,
        created_at: now.toISOString(),
        sent_at: null,
      };
    });
    await this.outbox.with(trx).insertMany(rows);
  }

  private recipients(
    trx: Kysely<DB>,
    ticket: { communityId: string; teamId: string | null; actorId: string | null },
    level: number,
  ) {
    let known = this.cache.get(trx);
    if (!known) {
      known = new Map();
      this.cache.set(trx, known);
    }
    const key = `${level}|${ticket.communityId}|${ticket.teamId ?? ''}|${ticket.actorId ?? ''}`;
    let found = known.get(key);
    if (!found) {
      found = escalationRecipients(trx, ticket, level);
      known.set(key, found);
    }
    return found;
  }
}
