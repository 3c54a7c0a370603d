import type { Kysely } from 'kysely';
import { invalidScore, poorDimensions, type Scores } from '../../../domain/return-visits.js';
import { changesOf, writeAudit } from '../../platform/audit.js';
import type { Clock } from '../../platform/clock.js';
import type { DB } from '../../platform/db/schema.js';
import { AppError, errors } from '../../platform/errors.js';
import type { Locale } from '../../platform/i18n/messages.js';
import type { RatingLinkRow, VisitsRepository } from './visits.repository.js';
import { residentContext, tokenHash, type VisitsService } from './visits.service.js';

/** A rating token as we issue it: 32 random bytes in base64url (43 characters). */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

/** Thrown inside the rating's transaction to roll it back when another submission used the link first. */
class LostRace extends Error {}

const notFound = () => new AppError(404, 'NOT_FOUND', 'error.RATING_LINK_NOT_FOUND');
const used = () => new AppError(410, 'RATING_LINK_USED', 'error.RATING_LINK_USED');
const expired = () => new AppError(410, 'RATING_LINK_EXPIRED', 'error.RATING_LINK_EXPIRED');

function summary(content: string, max = 40): string {
  const chars = [...content.replace(/\s+/g, ' ').trim()];
  return chars.length > max ? `${chars.slice(0, max).join('')}…` : chars.join('');
}

/**
 * A small token bucket per client address for the public rating pages: `perMinute` requests,
 * refilled continuously. In-process: with several servers the limit holds per server.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly perMinute: number,
    private readonly clock: Clock,
  ) {}

  /** Takes one request from `key`'s bucket; false when it is empty. */
  take(key: string): boolean {
    const now = this.clock.now().getTime();
    const bucket = this.buckets.get(key) ?? { tokens: this.perMinute, at: now };
    const refill = ((now - bucket.at) / 60_000) * this.perMinute;
    bucket.tokens = Math.min(this.perMinute, bucket.tokens + Math.max(0, refill));
    bucket.at = now;
    if (bucket.tokens < 1) {
      this.buckets.set(key, bucket);
      return false;
    }
    bucket.tokens -= 1;
    this.buckets.set(key, bucket);
    // forget full buckets now and then, so that many addresses never grow the map without end
    if (this.buckets.size > 10_000) {
      for (const [k, b] of this.buckets)
        if (b.tokens + ((now - b.at) / 60_000) * this.perMinute >= this.perMinute) this.buckets.delete(k);
    }
    return true;
  }
}

/**
 * The resident's rating link (R34), public: no login, found only by the SHA-256 of its token (a
 * forged or guessed token matches nothing: 2^256 tokens), shown and used once before it expires.
 * It shows what was done and by whom (name and 工号) and nothing else of the request: no phone,
 * no address, no resident's name.
 */
export class RatingsService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly repo: VisitsRepository,
    private readonly visits: VisitsService,
    private readonly clock: Clock,
  ) {}

  private async link(token: string): Promise<RatingLinkRow> {
    if (!TOKEN_SHAPE.test(token)) throw notFound();
    const link = await this.repo.linkByHash(tokenHash(token));
    if (!link) throw notFound();
    if (link.used_at) throw used();
    if (link.expires_at <= this.clock.now().toISOString()) throw expired();
    return link;
  }

  /** What the resident sees before rating. */
  async view(token: string) {
    const link = await this.link(token);
    const ticket = await this.repo.ticket(link.ticket_id);
    if (!ticket) throw notFound();
    const company = await this.db
      .selectFrom('company')
      .select(['name', 'short_name', 'hotline'])
      .where('id', '=', 'default')
      .executeTakeFirst();
    let work: string | null = null;
    try {
      const report = ticket.completion ? (JSON.parse(ticket.completion) as { work?: unknown }) : null;
      work = typeof report?.work === 'string' ? report.work : null;
    } catch {
      work = null;
    }
    return {
      number: ticket.number,
      type: ticket.type,
      communityName: ticket.communityName,
      companyName: company?.short_name || company?.name || '',
      hotline: company?.hotline ?? null,
      content: summary(ticket.content),
      work,
      worker: ticket.worker
        ? { name: ticket.worker.name, employeeNo: ticket.worker.employeeNo, teamKind: ticket.worker.teamKind }
        : null,
      completedAt: ticket.doneAt,
      timeZone: ticket.timeZone,
      expiresAt: link.expires_at,
    };
  }

  /**
   * The resident's rating, once: the link is used by a conditional update in the rating's own
   * transaction, so of two submissions at once exactly one is stored. A poor score opens a
   * follow-up (R34). Under a skip-if-rated policy a satisfied rating is the visit: the open visit
   * is closed as rated and the request's return_visit clock met; a poor one still needs the call.
   */
  async rate(
    token: string,
    input: Scores & { comment?: string | null },
    request: { ip: string | null; locale: Locale; requestId: string },
  ) {
    const link = await this.link(token);
    const bad = invalidScore(input as unknown as Record<string, unknown>);
    if (bad) throw errors.field(bad, 'validation.score');
    const ticket = await this.repo.ticket(link.ticket_id);
    if (!ticket) throw notFound();
    const ctx = residentContext(request.ip, request.locale, request.requestId);
    const now = this.clock.now();
    const at = now.toISOString();
    const comment = input.comment?.trim() || null;
    const scores: Scores = {
      overall: input.overall,
      speed: input.speed,
      attitude: input.attitude,
      quality: input.quality,
    };
    const outcome = await this.db
      .transaction()
      .execute(async (trx) => {
        const repo = this.repo.with(trx);
        const rated = await this.visits.recordRating(
          trx,
          ctx,
          ticket,
          { ...scores, comment, source: 'link', visitId: null },
          now,
        );
        if (!(await repo.useLink(link.id, at, rated.ratingId))) {
          // someone was first (or it expired meanwhile): nothing of this submission is kept
          throw new LostRace();
        }
        await writeAudit(
          trx,
          ctx,
          {
            action: 'rating.link',
            entityType: 'rating',
            entityId: rated.ratingId,
            communityId: ticket.communityId,
            changes: changesOf(null, { ticketId: ticket.id, ...scores, comment }),
          },
          now,
        );
        const step = { id: ticket.id, communityId: ticket.communityId };
        await this.visits.recordStepFor(trx, ctx, step, 'rated', now, {
          note: comment,
          data: { ratingId: rated.ratingId, ...scores, followupId: rated.followupId },
        });
        const open = await repo.openOf(ticket.id);
        if (open && open.mode === 'skip_if_rated' && poorDimensions(scores).length === 0) {
          await repo.applyIfVersion(open.id, open.version, {
            status: 'closed',
            close_reason: 'rated',
            open_ticket_id: null,
            next_attempt_at: null,
            rating_id: rated.ratingId,
            done_at: at,
            updated_at: at,
          });
          await writeAudit(
            trx,
            ctx,
            {
              action: 'return_visit.close',
              entityType: 'return_visit',
              entityId: open.id,
              communityId: ticket.communityId,
              changes: { status: [open.status, 'closed'], closeReason: [null, 'rated'] },
            },
            now,
          );
          await this.visits.recordStepFor(trx, ctx, step, 'return_visit', now, {
            note: null,
            data: { visitId: open.id, closed: 'rated', ratingId: rated.ratingId },
          });
        }
        return 'stored' as const;
      })
      .catch((error: unknown) => {
        if (error instanceof LostRace) return 'lost' as const;
        throw error;
      });
    if (outcome === 'lost') {
      const fresh = await this.repo.linkByHash(link.token_hash);
      throw fresh?.used_at ? used() : expired();
    }
    return { rated: true };
  }
}
