import { Type } from '@sinclair/typebox';
import { Nullable, StringEnum } from '../../platform/schemas.js';
import { ALLOWED_TYPES } from './attachments.sniff.js';

/**
 * What a photo or file is for: 处理前 / 处理后 photos, the resident's signature confirming the
 * work (R10), or any other file (a quote, a hotline order's scan).
 */
export const ATTACHMENT_KINDS = ['photo_before', 'photo_after', 'signature', 'file'] as const;
export type AttachmentKind = (typeof ATTACHMENT_KINDS)[number];

export const Attachment = Type.Object(
  {
    id: Type.String(),
    ticketId: Type.String(),
    kind: StringEnum(ATTACHMENT_KINDS),
    fileName: Type.String({ description: 'The uploaded name, made safe (no path, no control characters)' }),
    contentType: StringEnum(ALLOWED_TYPES, { description: 'As found in the bytes, not as the client said' }),
    size: Type.Integer({ description: 'Bytes' }),
    width: Nullable(Type.Integer({ description: 'Pixels, as displayed (EXIF orientation applied)' })),
    height: Nullable(Type.Integer()),
    hasThumbnail: Type.Boolean(),
    sha256: Type.String({ description: 'Hex digest of the bytes, to check a download' }),
    uploadedBy: Nullable(Type.Object({ id: Type.String(), name: Type.String(), employeeNo: Type.String() })),
    createdAt: Type.String(),
    url: Type.String({ description: 'GET it for the bytes' }),
    thumbnailUrl: Nullable(Type.String({ description: 'A WebP of at most 320 px on the long side' })),
  },
  { $id: 'Attachment' },
);

/**
 * The upload form, for the OpenAPI document: the route reads the multipart stream itself
 * (limits, content sniffing), so this schema documents and is not used to validate.
 */
export const UploadForm = Type.Object({
  kind: StringEnum(ATTACHMENT_KINDS),
  file: Type.Unsafe<Buffer>({
    type: 'string',
    format: 'binary',
    description: 'One JPEG, PNG, WebP, GIF or PDF (a signature: PNG); at most ATTACHMENT_MAX_MB (10 MB)',
  }),
});

const binary = { schema: { type: 'string', format: 'binary' } };

/** The bytes of an attachment, documented per type; a Buffer or stream is sent as is, never serialized. */
export const FileResponse = {
  description: 'The file as uploaded (images inline, PDF as a download)',
  content: Object.fromEntries(ALLOWED_TYPES.map((type) => [type, binary])),
};

export const ThumbnailResponse = {
  description: 'A WebP thumbnail, at most 320 px on the long side',
  content: { 'image/webp': binary },
};
