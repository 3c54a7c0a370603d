import type { Kysely } from 'kysely';
import { type CareMark, maskPhone, nameSearchKeys } from '../../../domain/names.js';
import { normalizePhone } from '../../../domain/phone.js';
import { parseRoomCode } from '../../../domain/room-code.js';
import { changesOf, writeAudit } from '../../platform/audit.js';
import type { Clock } from '../../platform/clock.js';
import type { RequestContext } from '../../platform/context.js';
import { isUniqueViolation } from '../../platform/db/dialect.js';
import type { DB } from '../../platform/db/schema.js';
import { errors, type FieldError } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { decodeCursor, toPage } from '../../platform/schemas.js';
import type { RegistryRepository } from '../registry/registry.repository.js';
import type { ResidentRecord, ResidentsRepository, SearchRank } from './residents.repository.js';

export const RESIDENT_KINDS = ['owner', 'tenant', 'family'] as const;
export type ResidentKind = (typeof RESIDENT_KINDS)[number];
export const SALUTATIONS = ['mr', 'ms'] as const;
export const MAX_PHONES = 5;

export interface CreateResidentInput {
  communityId: string;
  roomId: string;
  name: string;
  phone?: string;
  phones?: string[];
  salutation?: (typeof SALUTATIONS)[number] | null;
  kind: ResidentKind;
  notes?: string | null;
  care?: CareMark[];
  moveInDate?: string | null;
}

export interface UpdateResidentInput {
  version: number;
  name?: string;
  phones?: string[];
  salutation?: (typeof SALUTATIONS)[number] | null;
  kind?: ResidentKind;
  notes?: string | null;
  care?: CareMark[];
  moveInDate?: string | null;
  moveOutDate?: string | null;
}

/** What the API shows of a resident: phones masked (R4) unless revealed through the audited action. */
export function residentView(r: ResidentRecord) {
  const { phones, archivedAt, ...rest } = r;
  const masked = phones.map(maskPhone);
  return { ...rest, phone: masked[0] ?? '', phones: masked, archived: archivedAt !== null, archivedAt };
}

const SEARCH_LIMIT = 20;

export class ResidentsService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly residents: ResidentsRepository,
    private readonly registry: RegistryRepository,
    private readonly clock: Clock,
  ) {}

  async list(
    ctx: RequestContext,
    q: {
      communityId?: string;
      roomId?: string;
      q?: string;
      includeArchived?: boolean;
      cursor?: string;
      limit?: number;
    },
  ) {
    const limit = q.limit ?? 50;
    const text = q.q?.trim();
    if (text) {
      const items = await this.search(ctx, text, {
        communityId: q.communityId,
        includeArchived: q.includeArchived,
        limit: Math.min(limit, SEARCH_LIMIT * 2),
      });
      return { items: items.map(residentView), nextCursor: null };
    }
    const rows = await this.residents.list(ctx.principal.scope, {
      communityId: q.communityId,
      roomId: q.roomId,
      includeArchived: q.includeArchived,
      afterId: decodeCursor(q.cursor),
      limit,
    });
    const page = toPage(rows, limit);
    return { items: page.items.map(residentView), nextCursor: page.nextCursor };
  }

  /**
   * One search box (R3): a full phone however typed, its last four digits (尾号), a room code
   * ("3-2-1502", "3栋2单元1502"), a name or its beginning, or pinyin initials ("zs" → 张三).
   * Every reading of the text that makes sense is tried, each from an index; hits are ranked
   * by how exactly they match, then by name.
   */
  async search(
    ctx: RequestContext,
    text: string,
    options: { communityId?: string; includeArchived?: boolean; limit: number },
  ) {
    const scope = ctx.principal.scope;
    const opts = {
      communityId: options.communityId,
      includeArchived: options.includeArchived,
      limit: options.limit,
    };
    const tasks: Promise<[SearchRank, string[]]>[] = [];
    const add = (rank: SearchRank, ids: Promise<string[]>) => tasks.push(ids.then((found) => [rank, found]));

    const halfWidth = text.replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0));
    if (/^[\d\s\-+()]+$/.test(halfWidth)) {
      const digits = halfWidth.replace(/\D/g, '');
      const phone = normalizePhone(halfWidth);
      if (phone && digits.length >= 7) add(0, this.residents.searchIds(scope, { by: 'phone', phone }, opts));
      if (digits.length === 4) add(1, this.residents.searchIds(scope, { by: 'tail', tail: digits }, opts));
    }
    const code = parseRoomCode(text);
    if (code) add(code.building ? 0 : 2, this.residents.searchIds(scope, { by: 'room', code }, opts));
    if (/\p{Script=Han}/u.test(text)) {
      const name = text.replace(/\s+/g, '');
      add(1, this.residents.searchIds(scope, { by: 'name', name, exact: true }, opts));
      add(2, this.residents.searchIds(scope, { by: 'name', name, exact: false }, opts));
    } else if (/^[a-zA-Z]{1,30}$/.test(text)) {
      const letters = text.toLowerCase();
      add(2, this.residents.searchIds(scope, { by: 'initials', letters, exact: true }, opts));
      add(3, this.residents.searchIds(scope, { by: 'initials', letters, exact: false }, opts));
      if (letters.length >= 2) add(3, this.residents.searchIds(scope, { by: 'pinyin', letters }, opts));
    }

    const best = new Map<string, SearchRank>();
    for (const [rank, ids] of await Promise.all(tasks)) {
      for (const id of ids) if ((best.get(id) ?? 9) > rank) best.set(id, rank);
    }
    const found = await this.residents.getMany(scope, [...best.keys()]);
    return found
      .sort(
        (a, b) =>
          best.get(a.id)! - best.get(b.id)! ||
          a.name.localeCompare(b.name, 'zh-CN') ||
          a.id.localeCompare(b.id),
      )
      .slice(0, options.limit);
  }

  async getRecord(ctx: RequestContext, id: string) {
    const resident = await this.residents.get(ctx.principal.scope, id);
    if (!resident) throw errors.notFound();
    return resident;
  }

  async get(ctx: RequestContext, id: string) {
    return residentView(await this.getRecord(ctx, id));
  }

  private phonesOf(input: { phone?: string; phones?: string[] }, required: boolean): string[] {
    const raw = input.phones ?? (input.phone !== undefined ? [input.phone] : []);
    const field = input.phones ? 'phones' : 'phone';
    if (required && raw.length === 0) throw errors.field('phone', 'validation.required');
    const phones: string[] = [];
    const problems: FieldError[] = [];
    for (const value of raw) {
      const phone = normalizePhone(value);
      if (!phone) problems.push({ field, key: 'validation.phone' });
      else if (!phones.includes(phone)) phones.push(phone);
    }
    if (problems.length) throw errors.validation(problems.slice(0, 1));
    if (phones.length > MAX_PHONES) throw errors.field(field, 'validation.maxItems', { limit: MAX_PHONES });
    return phones;
  }

  async create(ctx: RequestContext, input: CreateResidentInput) {
    const community = await this.registry.getCommunity(ctx.principal.scope, input.communityId);
    if (!community) throw errors.field('communityId', 'validation.notFound');
    const room = await this.registry.getRoom(ctx.principal.scope, input.roomId);
    if (!room) throw errors.field('roomId', 'validation.notFound');
    if (room.communityId !== community.id) throw errors.field('roomId', 'validation.roomCommunity');
    const phones = this.phonesOf(input, true);
    const now = this.clock.now();
    const name = input.name.trim();
    const keys = nameSearchKeys(name);
    const row = {
      id: newId(now),
      community_id: community.id,
      room_id: room.id,
      name,
      phone: phones[0]!,
      phone_tail: phones[0]!.slice(-4),
      salutation: input.salutation ?? null,
      kind: input.kind,
      notes: input.notes?.trim() || null,
      name_initials: keys.initials,
      name_pinyin: keys.pinyin,
      care: input.care?.length ? JSON.stringify([...new Set(input.care)]) : null,
      move_in_date: input.moveInDate ?? null,
      move_out_date: null,
      archived_at: null,
      created_at: now.toISOString(),
      updated_at: now.toISOString(),
      version: 1,
    };
    await this.db.transaction().execute(async (trx) => {
      await this.residents.with(trx).insert(row, phones, {
        resident_id: row.id,
        room_id: room.id,
        community_id: community.id,
        kind: input.kind,
        move_in_date: input.moveInDate ?? null,
        move_out_date: null,
        created_at: now.toISOString(),
      });
      const { phone: _p, phone_tail: _t, name_initials: _i, name_pinyin: _y, ...audited } = row;
      await writeAudit(
        trx,
        ctx,
        {
          action: 'resident.created',
          entityType: 'resident',
          entityId: row.id,
          communityId: community.id,
          changes: changesOf(null, { ...audited, phones: phones.map(maskPhone) }),
        },
        now,
      );
    });
    return this.get(ctx, row.id);
  }

  /** Edits a resident the caller has read at `version`; a concurrent edit is a conflict (R12). */
  async update(ctx: RequestContext, id: string, input: UpdateResidentInput) {
    const before = await this.getRecord(ctx, id);
    if (before.version !== input.version) throw errors.conflict();
    const phones = input.phones ? this.phonesOf({ phones: input.phones }, true) : undefined;
    const name = input.name?.trim();
    // an edit that changes nothing writes nothing: no new version, no empty audit record
    const unchanged =
      (name === undefined || name === before.name) &&
      (phones === undefined || JSON.stringify(phones) === JSON.stringify(before.phones)) &&
      (input.salutation === undefined || input.salutation === before.salutation) &&
      (input.kind === undefined || input.kind === before.kind) &&
      (input.notes === undefined || (input.notes?.trim() || null) === before.notes) &&
      (input.care === undefined ||
        JSON.stringify([...new Set(input.care)]) === JSON.stringify(before.care)) &&
      (input.moveInDate === undefined || input.moveInDate === before.moveInDate) &&
      (input.moveOutDate === undefined || input.moveOutDate === before.moveOutDate);
    if (unchanged) return residentView(before);
    const now = this.clock.now();
    await this.db.transaction().execute(async (trx) => {
      const repo = this.residents.with(trx);
      const applied = await repo.update(id, input.version, {
        ...(name ? { name, ...prefixKeys(name) } : {}),
        ...(phones ? { phone: phones[0]!, phone_tail: phones[0]!.slice(-4) } : {}),
        ...(input.salutation !== undefined ? { salutation: input.salutation } : {}),
        ...(input.kind ? { kind: input.kind } : {}),
        ...(input.notes !== undefined ? { notes: input.notes?.trim() || null } : {}),
        ...(input.care ? { care: input.care.length ? JSON.stringify([...new Set(input.care)]) : null } : {}),
        ...(input.moveInDate !== undefined ? { move_in_date: input.moveInDate } : {}),
        ...(input.moveOutDate !== undefined ? { move_out_date: input.moveOutDate } : {}),
        updated_at: now.toISOString(),
      });
      if (!applied) throw errors.conflict();
      if (phones) await repo.replacePhones(id, before.communityId, phones);
      // the resident's kind is their standing in their primary room's household
      if (input.kind) await repo.setMembershipKind(id, before.roomId, input.kind);
      const after = await repo.get({ all: true }, id);
      await writeAudit(
        trx,
        ctx,
        {
          action: 'resident.updated',
          entityType: 'resident',
          entityId: id,
          communityId: before.communityId,
          changes: changesOf(auditView(before), auditView(after!)),
        },
        now,
      );
    });
    return this.get(ctx, id);
  }

  /** Residents are archived, never deleted: their requests and history keep pointing at them. */
  async setArchived(ctx: RequestContext, id: string, archived: boolean, version: number) {
    const before = await this.getRecord(ctx, id);
    if (before.version !== version) throw errors.conflict();
    if ((before.archivedAt !== null) === archived) return this.get(ctx, id);
    const now = this.clock.now();
    await this.db.transaction().execute(async (trx) => {
      const applied = await this.residents.with(trx).update(id, version, {
        archived_at: archived ? now.toISOString() : null,
        updated_at: now.toISOString(),
      });
      if (!applied) throw errors.conflict();
      await writeAudit(
        trx,
        ctx,
        {
          action: archived ? 'resident.archived' : 'resident.restored',
          entityType: 'resident',
          entityId: id,
          communityId: before.communityId,
        },
        now,
      );
    });
    return this.get(ctx, id);
  }

  /** The full numbers, for a role that needs to call; every reveal is audited (R4, R61). */
  async revealPhones(ctx: RequestContext, id: string) {
    const resident = await this.getRecord(ctx, id);
    await writeAudit(
      this.db,
      ctx,
      {
        action: 'resident.phone_revealed',
        entityType: 'resident',
        entityId: id,
        communityId: resident.communityId,
      },
      this.clock.now(),
    );
    return { phones: resident.phones };
  }

  async addRoom(
    ctx: RequestContext,
    id: string,
    input: { roomId: string; kind: ResidentKind; moveInDate?: string | null },
  ) {
    const resident = await this.getRecord(ctx, id);
    const room = await this.registry.getRoom(ctx.principal.scope, input.roomId);
    if (!room) throw errors.field('roomId', 'validation.notFound');
    if (room.communityId !== resident.communityId) throw errors.field('roomId', 'validation.roomCommunity');
    const now = this.clock.now();
    const existing = await this.residents.membership(id, room.id);
    await this.db.transaction().execute(async (trx) => {
      const repo = this.residents.with(trx);
      try {
        if (existing) {
          if (existing.move_out_date === null)
            throw errors.validation([{ field: 'roomId', key: 'error.DUPLICATE' }]);
          await trx
            .updateTable('resident_rooms')
            .set({ kind: input.kind, move_in_date: input.moveInDate ?? null, move_out_date: null })
            .where('resident_id', '=', id)
            .where('room_id', '=', room.id)
            .execute();
        } else {
          await repo.addMembership({
            resident_id: id,
            room_id: room.id,
            community_id: room.communityId,
            kind: input.kind,
            move_in_date: input.moveInDate ?? null,
            move_out_date: null,
            created_at: now.toISOString(),
          });
        }
      } catch (error) {
        if (isUniqueViolation(error)) throw errors.validation([{ field: 'roomId', key: 'error.DUPLICATE' }]);
        throw error;
      }
      await writeAudit(
        trx,
        ctx,
        {
          action: 'resident.room_added',
          entityType: 'resident',
          entityId: id,
          communityId: resident.communityId,
          changes: { room: [null, room.label], kind: [null, input.kind] },
        },
        now,
      );
    });
    return this.households(ctx, id);
  }

  async moveOut(ctx: RequestContext, id: string, roomId: string, date: string) {
    const resident = await this.getRecord(ctx, id);
    const membership = await this.residents.membership(id, roomId);
    if (!membership || membership.move_out_date !== null) throw errors.notFound();
    const now = this.clock.now();
    await this.db.transaction().execute(async (trx) => {
      await this.residents.with(trx).endMembership(id, roomId, date);
      await writeAudit(
        trx,
        ctx,
        {
          action: 'resident.moved_out',
          entityType: 'resident',
          entityId: id,
          communityId: resident.communityId,
          changes: { moveOutDate: [null, date], roomId: [roomId, null] },
        },
        now,
      );
    });
    return this.households(ctx, id);
  }

  /** The rooms a resident belongs to, the primary room first. */
  async households(ctx: RequestContext, id: string) {
    const resident = await this.getRecord(ctx, id);
    const items = await this.residents.households([id]);
    return {
      items: items.sort(
        (a, b) => Number(b.roomId === resident.roomId) - Number(a.roomId === resident.roomId),
      ),
    };
  }

  async roomHousehold(ctx: RequestContext, roomId: string) {
    const room = await this.registry.getRoom(ctx.principal.scope, roomId);
    if (!room) throw errors.notFound();
    const members = await this.residents.roomMembers(roomId);
    return {
      room,
      members: members.map((m) => ({
        residentId: m.id,
        name: m.name,
        salutation: m.salutation,
        kind: m.kind,
        moveInDate: m.move_in_date,
      })),
    };
  }

  /**
   * The resident card (360°): who they are, where they live and with whom, their open requests,
   * recent complaints and how satisfied they were with our work (R34).
   */
  async card(ctx: RequestContext, id: string) {
    const resident = await this.getRecord(ctx, id);
    const [{ items: memberships }, open, complaints, satisfaction] = await Promise.all([
      this.households(ctx, id),
      this.residents.tickets(id, { open: true, limit: 20 }),
      this.residents.tickets(id, { type: 'complaint', limit: 5 }),
      this.residents.satisfaction(id),
    ]);
    const rooms = await Promise.all(
      memberships
        .filter((m) => m.moveOutDate === null)
        .map(async (m) => ({
          ...m,
          members: (await this.residents.roomMembers(m.roomId))
            .filter((x) => x.id !== id)
            .map((x) => ({ residentId: x.id, name: x.name, salutation: x.salutation, kind: x.kind })),
        })),
    );
    const ticket = (t: (typeof open)[number]) => ({
      id: t.id,
      number: t.number,
      type: t.type,
      status: t.status,
      priority: t.priority,
      content: t.content,
      createdAt: t.created_at,
    });
    return {
      resident: residentView(resident),
      greeting: greetingName(resident.name, resident.salutation),
      rooms,
      openTickets: open.map(ticket),
      recentComplaints: complaints.map(ticket),
      satisfaction,
    };
  }
}

/** "王先生" / "李女士": how the desk greets a resident by surname (R27). */
export function greetingName(name: string, salutation: string | null): string {
  const compound = [
    '欧阳',
    '司马',
    '上官',
    '诸葛',
    '东方',
    '皇甫',
    '尉迟',
    '公孙',
    '慕容',
    '令狐',
    '夏侯',
    '长孙',
    '宇文',
    '司徒',
    '端木',
  ];
  const surname = compound.find((s) => name.startsWith(s)) ?? name.slice(0, 1);
  if (salutation === 'mr') return `${surname}先生`;
  if (salutation === 'ms') return `${surname}女士`;
  return name;
}

function prefixKeys(name: string) {
  const keys = nameSearchKeys(name);
  return { name_initials: keys.initials, name_pinyin: keys.pinyin };
}

function auditView(r: ResidentRecord) {
  const { phones, version: _v, updatedAt: _u, roomLabel: _l, ...rest } = r;
  return { ...rest, phones: phones.map(maskPhone) } as unknown as Record<string, unknown>;
}
