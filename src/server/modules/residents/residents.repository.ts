import type { Insertable, Kysely } from 'kysely';
import { type Scope, withinScope } from '../../platform/context.js';
import type { DialectName } from '../../platform/db/database.js';
import { containsInsensitive } from '../../platform/db/dialect.js';
import type { DB, ResidentsTable } from '../../platform/db/schema.js';
import { roomLabel } from '../registry/registry.repository.js';

export interface ResidentView {
  id: string;
  communityId: string;
  roomId: string;
  roomLabel: string;
  name: string;
  phone: string;
  salutation: string | null;
  kind: string;
  notes: string | null;
  createdAt: string;
}

export class ResidentsRepository {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly dialect: DialectName,
  ) {}

  with(db: Kysely<DB>) {
    return new ResidentsRepository(db, this.dialect);
  }

  private query(scope: Scope) {
    return withinScope(
      this.db
        .selectFrom('residents')
        .innerJoin('rooms', 'rooms.id', 'residents.room_id')
        .innerJoin('buildings', 'buildings.id', 'rooms.building_id')
        .innerJoin('units', 'units.id', 'rooms.unit_id')
        .select([
          'residents.id',
          'residents.community_id',
          'residents.room_id',
          'residents.name',
          'residents.phone',
          'residents.salutation',
          'residents.kind',
          'residents.notes',
          'residents.created_at',
          'rooms.number as room_number',
          'buildings.name as building_name',
          'units.name as unit_name',
        ]),
      'residents.community_id',
      scope,
    );
  }

  /**
   * `q` matches a name, a room number, a whole phone, or — four digits — the phone's tail (尾号).
   */
  async list(
    scope: Scope,
    filter: { communityId?: string; roomId?: string; q?: string; afterId?: string; limit: number },
  ): Promise<ResidentView[]> {
    const { dialect } = this;
    const q = filter.q;
    const rows = await this.query(scope)
      .$if(Boolean(filter.communityId), (qb) => qb.where('residents.community_id', '=', filter.communityId!))
      .$if(Boolean(filter.roomId), (qb) => qb.where('residents.room_id', '=', filter.roomId!))
      .$if(Boolean(q), (qb) =>
        qb.where((eb) =>
          eb.or([
            containsInsensitive(dialect, eb.ref('residents.name'), q!),
            eb('residents.phone', '=', q!),
            eb('residents.phone_tail', '=', q!),
            eb('rooms.number', '=', q!),
          ]),
        ),
      )
      .$if(Boolean(filter.afterId), (qb) => qb.where('residents.id', '>', filter.afterId!))
      .orderBy('residents.id')
      .limit(filter.limit + 1)
      .execute();
    return rows.map(toView);
  }

  async get(scope: Scope, id: string): Promise<ResidentView | undefined> {
    const row = await this.query(scope).where('residents.id', '=', id).executeTakeFirst();
    return row ? toView(row) : undefined;
  }

  insert(row: Insertable<ResidentsTable>) {
    return this.db.insertInto('residents').values(row).execute();
  }
}

function toView(r: {
  id: string;
  community_id: string;
  room_id: string;
  name: string;
  phone: string;
  salutation: string | null;
  kind: string;
  notes: string | null;
  created_at: string;
  room_number: string;
  building_name: string;
  unit_name: string;
}): ResidentView {
  return {
    id: r.id,
    communityId: r.community_id,
    roomId: r.room_id,
    roomLabel: roomLabel(r.building_name, r.unit_name, r.room_number),
    name: r.name,
    phone: r.phone,
    salutation: r.salutation,
    kind: r.kind,
    notes: r.notes,
    createdAt: r.created_at,
  };
}
