import type { Insertable, Kysely } from 'kysely';
import type { DB, TicketAttachmentsTable } from '../../platform/db/schema.js';

/** The rows describing photos and files; their bytes are in the storage, under `storage_key`. */
export class AttachmentsRepository {
  constructor(private readonly db: Kysely<DB>) {}

  with(db: Kysely<DB>) {
    return new AttachmentsRepository(db);
  }

  insert(row: Insertable<TicketAttachmentsTable>) {
    return this.db.insertInto('ticket_attachments').values(row).execute();
  }

  private query() {
    return this.db
      .selectFrom('ticket_attachments')
      .leftJoin('users', 'users.id', 'ticket_attachments.uploaded_by')
      .selectAll('ticket_attachments')
      .select(['users.name as uploader_name', 'users.employee_no as uploader_employee_no']);
  }

  /** One attachment, whoever may see it: the caller checks access through its ticket. */
  get(id: string) {
    return this.query().where('ticket_attachments.id', '=', id).executeTakeFirst();
  }

  /** A ticket's attachments, oldest first (ticket_attachments_ticket_idx). */
  listByTicket(ticketId: string) {
    return this.query()
      .where('ticket_attachments.ticket_id', '=', ticketId)
      .orderBy('ticket_attachments.id')
      .execute();
  }
}

export type AttachmentRow = NonNullable<Awaited<ReturnType<AttachmentsRepository['get']>>>;
