import { describe, expect, it } from 'vitest';
import { safeFileName, sniffType } from './attachments.sniff.js';

const bytes = (...values: (number | string)[]) =>
  Buffer.concat(values.map((v) => (typeof v === 'string' ? Buffer.from(v, 'latin1') : Buffer.from([v]))));

describe('sniffType: what a file is, by its first bytes', () => {
  it('knows JPEG, PNG, GIF, WebP and PDF', () => {
    expect(sniffType(bytes(0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 'JFIF'))).toBe('image/jpeg');
    expect(sniffType(bytes(0x89, 'PNG\r\n', 0x1a, '\n', 0, 0, 0, 13, 'IHDR'))).toBe('image/png');
    expect(sniffType(bytes('GIF89a', 1, 0, 1, 0))).toBe('image/gif');
    expect(sniffType(bytes('GIF87a', 1, 0, 1, 0))).toBe('image/gif');
    expect(sniffType(bytes('RIFF', 0x24, 0, 0, 0, 'WEBPVP8 '))).toBe('image/webp');
    expect(sniffType(bytes('%PDF-1.7\n'))).toBe('application/pdf');
  });

  it('refuses anything else, whatever it is called: text, a Windows program, a zip, SVG, RIFF audio', () => {
    expect(sniffType(Buffer.from('这不是图片，只是文字'))).toBeNull();
    expect(sniffType(bytes('MZ', 0x90, 0, 3, 0))).toBeNull();
    expect(sniffType(bytes('PK', 3, 4, 20, 0))).toBeNull();
    expect(sniffType(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBeNull();
    expect(sniffType(bytes('RIFF', 0x24, 0, 0, 0, 'WAVEfmt '))).toBeNull();
    expect(sniffType(Buffer.alloc(0))).toBeNull();
    // a truncated signature is not a signature
    expect(sniffType(bytes(0x89, 'PNG'))).toBeNull();
    expect(sniffType(bytes(0xff, 0xd8))).toBeNull();
  });
});

describe('safeFileName: the client’s file name, safe to keep and show', () => {
  it('keeps an ordinary name, Chinese included', () => {
    expect(safeFileName('现场照片.jpg', 'image/jpeg')).toBe('现场照片.jpg');
    expect(safeFileName('IMG_0012.JPEG', 'image/jpeg')).toBe('IMG_0012.JPEG');
    expect(safeFileName('维修报告 2026.pdf', 'application/pdf')).toBe('维修报告 2026.pdf');
  });

  it('drops any path: only the last segment stays', () => {
    expect(safeFileName('../../etc/passwd', 'image/jpeg')).toBe('passwd.jpg');
    expect(safeFileName('C:\\Users\\me\\..\\photo.png', 'image/png')).toBe('photo.png');
    expect(safeFileName('..', 'image/png')).toBe('file.png');
    expect(safeFileName('/', 'image/png')).toBe('file.png');
  });

  it('removes control, invisible and direction-changing characters', () => {
    expect(safeFileName('a\u0000b\r\nc\u0007.png', 'image/png')).toBe('abc.png');
    // "photo<RLO>gpj.exe" would show as "photoexe.jpg" in a file list
    expect(safeFileName('photo\u202egpj.exe', 'image/jpeg')).toBe('photogpj.exe.jpg');
    expect(safeFileName('\ufeff\u200bname.gif', 'image/gif')).toBe('name.gif');
  });

  it('gives the name the extension of what the file really is', () => {
    expect(safeFileName('invoice.exe', 'application/pdf')).toBe('invoice.exe.pdf');
    expect(safeFileName('scan', 'image/webp')).toBe('scan.webp');
    expect(safeFileName('.hidden', 'image/png')).toBe('hidden.png');
    expect(safeFileName('a:b*c?.png', 'image/png')).toBe('a_b_c_.png');
    expect(safeFileName(undefined, 'image/png')).toBe('file.png');
    expect(safeFileName('   ', 'image/png')).toBe('file.png');
  });

  it('cuts an overlong name to 120 characters and keeps its extension', () => {
    const name = safeFileName(`${'长'.repeat(300)}.jpg`, 'image/jpeg');
    expect([...name]).toHaveLength(120);
    expect(name.endsWith('长.jpg')).toBe(true);
  });
});
