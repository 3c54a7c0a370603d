/**
 * What an uploaded file really is, told from its first bytes (its "magic number"), never from
 * the name or the Content-Type the client sent: a text file or a program renamed to .jpg is
 * still refused. Pure functions, no I/O.
 */

export const ALLOWED_TYPES = [
  'image/jpeg',
  'image/png',
  'image/webp',
  'image/gif',
  'application/pdf',
] as const;
export type AllowedType = (typeof ALLOWED_TYPES)[number];

/** The extensions a file of each type may carry; the first is the one we add when it has none. */
export const EXTENSIONS: Record<AllowedType, readonly string[]> = {
  'image/jpeg': ['jpg', 'jpeg', 'jfif', 'jpe'],
  'image/png': ['png'],
  'image/webp': ['webp'],
  'image/gif': ['gif'],
  'application/pdf': ['pdf'],
};

function startsWith(data: Buffer, bytes: readonly number[], offset = 0): boolean {
  if (data.length < offset + bytes.length) return false;
  return bytes.every((byte, i) => data[offset + i] === byte);
}

const ascii = (text: string) => [...text].map((c) => c.charCodeAt(0));

/** The type of the bytes, or null when they are none of the allowed kinds. */
export function sniffType(data: Buffer): AllowedType | null {
  if (startsWith(data, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(data, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (startsWith(data, ascii('GIF87a')) || startsWith(data, ascii('GIF89a'))) return 'image/gif';
  if (startsWith(data, ascii('RIFF')) && startsWith(data, ascii('WEBP'), 8)) return 'image/webp';
  // PDF readers accept the header a little way in; we ask for it at the start, as writers put it
  if (startsWith(data, ascii('%PDF-'))) return 'application/pdf';
  return null;
}

export function isImage(type: AllowedType): boolean {
  return type.startsWith('image/');
}

/** Characters that must never reach a stored name: controls, invisible and direction marks. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]/g;
/** Reserved in Windows file names: a name saved from a download there must still work. */
const RESERVED = /[<>:"|?*]/g;
const MAX_NAME = 120;

/**
 * The client's file name made safe to keep and to show: only its last path segment, without
 * control or invisible characters, no leading dots, at most 120 characters, and ending with an
 * extension that matches what the file really is. The storage key never uses it.
 */
export function safeFileName(raw: string | undefined, type: AllowedType): string {
  let name = (raw ?? '').normalize('NFC').replace(UNSAFE, '');
  name = name.split(/[\\/]/).pop() ?? '';
  name = name.replace(RESERVED, '_').replace(/\s+/g, ' ').trim();
  name = name.replace(/^[.\s]+/, '').replace(/[.\s]+$/, '');
  if (!name) name = 'file';

  const extensions = EXTENSIONS[type];
  const dot = name.lastIndexOf('.');
  const extension = dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
  if (!extensions.includes(extension)) name = `${name}.${extensions[0]}`;

  const chars = [...name];
  if (chars.length > MAX_NAME) {
    // keep the extension: it tells the downloader's computer how to open the file
    const tail = name.slice(name.lastIndexOf('.'));
    name = chars.slice(0, MAX_NAME - [...tail].length).join('') + tail;
  }
  return name;
}
