import type { Kysely } from 'kysely';
import { normalizePhone, phoneTail } from '../../../domain/phone.js';
import { changesOf, writeAudit } from '../../platform/audit.js';
import type { Clock } from '../../platform/clock.js';
import type { RequestContext } from '../../platform/context.js';
import type { DB } from '../../platform/db/schema.js';
import { errors } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { decodeCursor, toPage } from '../../platform/schemas.js';
import type { RegistryRepository } from '../registry/registry.repository.js';
import type { ResidentsRepository } from './residents.repository.js';

export const RESIDENT_KINDS = ['owner', 'tenant', 'family'] as const;
export const SALUTATIONS = ['mr', 'ms'] as const;

export interface CreateResidentInput {
  communityId: string;
  roomId: string;
  name: string;
  phone: string;
  salutation?: (typeof SALUTATIONS)[number] | null;
  kind: (typeof RESIDENT_KINDS)[number];
  notes?: string | null;
}

export class ResidentsService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly residents: ResidentsRepository,
    private readonly registry: RegistryRepository,
    private readonly clock: Clock,
  ) {}

  async list(
    ctx: RequestContext,
    q: { communityId?: string; roomId?: string; q?: string; cursor?: string; limit?: number },
  ) {
    const limit = q.limit ?? 50;
    let search = q.q?.trim() || undefined;
    // "138 0013 8000" and "１３８００１３８０００" are the same phone
    if (search && /^[\d\s\-+０-９]+$/.test(search))
      search = normalizePhone(search) ?? search.replace(/\D/g, '');
    const rows = await this.residents.list(ctx.principal.scope, {
      communityId: q.communityId,
      roomId: q.roomId,
      q: search,
      afterId: decodeCursor(q.cursor),
      limit,
    });
    return toPage(rows, limit);
  }

  async get(ctx: RequestContext, id: string) {
    const resident = await this.residents.get(ctx.principal.scope, id);
    if (!resident) throw errors.notFound();
    return resident;
  }

  async create(ctx: RequestContext, input: CreateResidentInput) {
    const community = await this.registry.getCommunity(ctx.principal.scope, input.communityId);
    if (!community) throw errors.field('communityId', 'validation.notFound');
    const room = await this.registry.getRoom(ctx.principal.scope, input.roomId);
    if (!room) throw errors.field('roomId', 'validation.notFound');
    if (room.communityId !== community.id) throw errors.field('roomId', 'validation.roomCommunity');
    const phone = normalizePhone(input.phone);
    if (!phone) throw errors.field('phone', 'validation.phone');
    const now = this.clock.now();
    const row = {
      id: newId(now),
      community_id: community.id,
      room_id: room.id,
      name: input.name.trim(),
      phone,
      phone_tail: phoneTail(phone),
      salutation: input.salutation ?? null,
      kind: input.kind,
      notes: input.notes?.trim() || null,
      created_at: now.toISOString(),
      updated_at: now.toISOString(),
    };
    await this.db.transaction().execute(async (trx) => {
      await this.residents.with(trx).insert(row);
      await writeAudit(
        trx,
        ctx,
        {
          action: 'resident.created',
          entityType: 'resident',
          entityId: row.id,
          communityId: community.id,
          changes: changesOf(null, row),
        },
        now,
      );
    });
    return this.get(ctx, row.id);
  }
}
