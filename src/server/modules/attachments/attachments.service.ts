import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { Kysely } from 'kysely';
import type { Clock } from '../../platform/clock.js';
import type { RequestContext } from '../../platform/context.js';
import type { DB } from '../../platform/db/schema.js';
import { AppError, errors } from '../../platform/errors.js';
import { loadSharp } from '../../platform/heavy-modules.js';
import { newId } from '../../platform/ids.js';
import { type ObjectStorage, storageKey } from '../../platform/storage.js';
import type { TicketActionsService } from '../tickets/tickets.actions.js';
import type { TicketsService } from '../tickets/tickets.service.js';
import type { AttachmentRow, AttachmentsRepository } from './attachments.repository.js';
import { ATTACHMENT_KINDS, type AttachmentKind } from './attachments.schemas.js';
import { type AllowedType, isImage, safeFileName, sniffType } from './attachments.sniff.js';

/** Longest side of a thumbnail, in pixels. */
export const THUMBNAIL_SIZE = 320;
const THUMBNAIL_TYPE = 'image/webp';

export interface UploadInput {
  /** The form's `kind` field as sent; checked here. */
  kind: string | undefined;
  /** The client's file name; only ever kept made safe. */
  fileName: string | undefined;
  data: Buffer;
}

export interface AttachmentView {
  id: string;
  ticketId: string;
  kind: AttachmentKind;
  fileName: string;
  contentType: AllowedType;
  size: number;
  width: number | null;
  height: number | null;
  hasThumbnail: boolean;
  sha256: string;
  uploadedBy: { id: string; name: string; employeeNo: string } | null;
  createdAt: string;
  url: string;
  thumbnailUrl: string | null;
}

/** The bytes of an attachment, ready to send. */
export interface AttachmentContent {
  attachment: AttachmentView;
  contentType: string;
  size: number | null;
  body: Readable | Buffer;
}

function toView(row: AttachmentRow): AttachmentView {
  return {
    id: row.id,
    ticketId: row.ticket_id,
    kind: row.kind as AttachmentKind,
    fileName: row.file_name,
    contentType: row.content_type as AllowedType,
    size: row.size,
    width: row.width,
    height: row.height,
    hasThumbnail: row.thumbnail_key !== null,
    sha256: row.sha256,
    uploadedBy: row.uploaded_by
      ? {
          id: row.uploaded_by,
          name: row.uploader_name ?? '',
          employeeNo: row.uploader_employee_no ?? '',
        }
      : null,
    createdAt: row.created_at,
    url: `/api/v1/attachments/${row.id}`,
    thumbnailUrl: row.thumbnail_key ? `/api/v1/attachments/${row.id}/thumbnail` : null,
  };
}

/**
 * An image's size as shown (EXIF orientation applied) and its thumbnail, or a 400 when the bytes
 * carry an image signature but do not decode as one.
 */
async function describeImage(data: Buffer) {
  // 'error': a phone photo with a harmless warning passes; a broken or truncated one does not
  const options = { failOn: 'error' as const, animated: false };
  const sharp = await loadSharp();
  try {
    const meta = await sharp(data, options).metadata();
    const thumbnail = await sharp(data, options)
      .autoOrient()
      .resize(THUMBNAIL_SIZE, THUMBNAIL_SIZE, { fit: 'inside', withoutEnlargement: true })
      // WebP keeps a signature's transparent background, which JPEG would turn black
      .webp({ quality: 75 })
      .toBuffer();
    return { width: meta.autoOrient.width, height: meta.autoOrient.height, thumbnail };
  } catch {
    throw errors.field('file', 'validation.imageUnreadable');
  }
}

/**
 * Photos and files of service requests (R10: photos and the resident's signature on the
 * completion report; R17: the hotline's answer with photos). The bytes live in the storage;
 * a row, a timeline step and an audit record describe each one. Access follows the ticket:
 * whoever may not see the ticket gets a 404 for its attachments too.
 */
export class AttachmentsService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly attachments: AttachmentsRepository,
    private readonly tickets: TicketsService,
    private readonly ticketActions: TicketActionsService,
    private readonly storage: ObjectStorage,
    private readonly clock: Clock,
    /** ATTACHMENT_MAX_MB */
    readonly maxMb: number,
  ) {}

  get maxBytes() {
    return this.maxMb * 1024 * 1024;
  }

  /** The ticket as the caller may see it (field staff: only their jobs); a 404 otherwise. */
  ticketOf(ctx: RequestContext, ticketId: string) {
    return this.tickets.get(ctx, ticketId);
  }

  /**
   * Checks what the file really is, stores its bytes (and a thumbnail of an image), then records
   * it with a step on the ticket's timeline and an audit record in one transaction. The bytes are
   * written first; if the transaction fails they are removed again, so no file outlives a
   * missing row.
   */
  async upload(ctx: RequestContext, ticketId: string, input: UploadInput): Promise<AttachmentView> {
    const ticket = await this.ticketOf(ctx, ticketId);
    const kind = input.kind?.trim();
    if (!kind) throw errors.field('kind', 'validation.required');
    if (!(ATTACHMENT_KINDS as readonly string[]).includes(kind))
      throw errors.field('kind', 'validation.enum');
    if (input.data.length === 0) throw errors.field('file', 'validation.fileEmpty');
    if (input.data.length > this.maxBytes) throw this.tooLarge();

    const contentType = sniffType(input.data);
    if (!contentType) throw errors.field('file', 'validation.fileType');
    if (kind === 'signature' && contentType !== 'image/png') {
      throw errors.field('file', 'validation.signaturePng');
    }
    // photos are shown as pictures on the request and its completion report: a PDF is a `file`
    if ((kind === 'photo_before' || kind === 'photo_after') && !isImage(contentType)) {
      throw errors.field('file', 'validation.photoNotImage');
    }
    const image = isImage(contentType) ? await describeImage(input.data) : null;

    const now = this.clock.now();
    const id = newId(now);
    const row = {
      id,
      ticket_id: ticket.id,
      community_id: ticket.communityId,
      kind,
      file_name: safeFileName(input.fileName, contentType),
      content_type: contentType,
      size: input.data.length,
      sha256: createHash('sha256').update(input.data).digest('hex'),
      storage_key: storageKey(now, id),
      thumbnail_key: image ? storageKey(now, id, '-thumb') : null,
      width: image?.width ?? null,
      height: image?.height ?? null,
      uploaded_by: ctx.principal.userId === 'system' ? null : ctx.principal.userId,
      created_at: now.toISOString(),
    };

    const written: string[] = [];
    try {
      await this.storage.put(row.storage_key, input.data);
      written.push(row.storage_key);
      if (image && row.thumbnail_key) {
        await this.storage.put(row.thumbnail_key, image.thumbnail);
        written.push(row.thumbnail_key);
      }
      await this.db.transaction().execute(async (trx) => {
        await this.attachments.with(trx).insert(row);
        await this.ticketActions.recordStep(trx, ctx, ticket, 'attachment', now, {
          note: null,
          data: { attachmentId: id, kind, fileName: row.file_name },
          changes: {
            attachment: [
              null,
              {
                id,
                kind,
                fileName: row.file_name,
                contentType,
                size: row.size,
                sha256: row.sha256,
              },
            ],
          },
        });
      });
    } catch (error) {
      await Promise.all(written.map((key) => this.storage.remove(key).catch(() => {})));
      throw error;
    }

    // open consoles refresh the ticket; the ticket row itself did not change
    await this.tickets.announce(ticket, 'attachment');
    const saved = await this.attachments.get(id);
    if (!saved) throw errors.notFound();
    return toView(saved);
  }

  /** The attachments of a ticket the caller may see, oldest first. */
  async list(ctx: RequestContext, ticketId: string) {
    const ticket = await this.ticketOf(ctx, ticketId);
    return { items: await this.attachmentsOf(ticket.id) };
  }

  /**
   * The attachments of a ticket, for another module that has already checked the caller may
   * see it (the completion report shows the photos and the signature).
   */
  async attachmentsOf(ticketId: string): Promise<AttachmentView[]> {
    return (await this.attachments.listByTicket(ticketId)).map(toView);
  }

  /** The bytes of an attachment or of its thumbnail, for a caller who may see its ticket. */
  async open(ctx: RequestContext, id: string, variant: 'original' | 'thumbnail'): Promise<AttachmentContent> {
    const row = await this.attachments.get(id);
    if (!row) throw errors.notFound();
    // access is the ticket's: outside the caller's communities, or not a field worker's job
    await this.ticketOf(ctx, row.ticket_id);
    const key = variant === 'original' ? row.storage_key : row.thumbnail_key;
    if (!key) throw errors.notFound();
    return {
      attachment: toView(row),
      contentType: variant === 'original' ? row.content_type : THUMBNAIL_TYPE,
      size: variant === 'original' ? row.size : null,
      body: await this.storage.get(key),
    };
  }

  /** 413 with the limit in the caller's language. */
  tooLarge() {
    return new AppError(413, 'PAYLOAD_TOO_LARGE', 'error.ATTACHMENT_TOO_LARGE', { limit: this.maxMb });
  }
}
