/**
 * Room codes as staff and residents write them — "3-2-1502", "3栋2单元1502室", "B座1502",
 * "三栋二单元1502", full-width "３－２－１５０２" — turned into one structured reference, so that
 * search, Excel import and the request form agree on what "the same room" is (R3).
 *
 * Decisions (kept deliberately small and strict; anything unclear is refused, not guessed):
 * - Separators between parts: '-' (and its full-width/em/en-dash look-alikes), '/' and spaces.
 *   '#' is a building marker ("3#2-1502"). '.' and '_' are refused: "3.2" is what Excel makes of a
 *   number, not a room.
 * - Spaces are ignored next to markers and separators ("3 栋 2 单元 1502"); between two bare
 *   numbers they separate parts ("3 2 1502").
 * - Unmarked parts are read by position: "3-2-1502" is building-unit-room and "3-1502" is
 *   building-room (like "3栋1502"); a lone "1502" is a room. The room is always the last part.
 * - '号' names the building when more follows ("3号2单元1502") and is a room suffix at the end
 *   ("1502号"). A bare '楼' is refused: "3楼" means the 3rd floor, not building 3.
 * - Building: 1–3 digits, or a letter optionally followed by 1–2 digits ("B", "A1"), upper-cased.
 *   Unit: 1–2 digits. Chinese numerals 一…九十 (1–99) are accepted for building and unit only.
 * - Room: digits with at most one trailing letter ("1502A"), at most 6 characters as written.
 * - Leading zeros are dropped from every number ("0302" → "302", "03栋" → "3"): Excel drops them
 *   from numeric cells anyway, and the registry stores "302", so keeping them would split one
 *   room into two keys. A part that is all zeros is refused.
 */
export interface RoomCode {
  building: string | null;
  unit: string | null;
  room: string;
}

type Role = 'building' | 'unit' | 'room';

type Token =
  | { kind: 'value'; text: string; chinese: boolean }
  | { kind: 'marker'; text: string }
  | { kind: 'sep' }
  | { kind: 'space' };

interface Part {
  text: string;
  chinese: boolean;
  marker: string | null;
}

/** Longest first, so "号楼" wins over "号" and "号房" over "号". */
const MARKERS = ['号楼', '单元', '号房', '栋', '幢', '座', '#', '号', '门', '室', '房'] as const;

const MARKER_ROLE: Record<string, Role> = {
  号楼: 'building',
  栋: 'building',
  幢: 'building',
  座: 'building',
  '#': 'building',
  单元: 'unit',
  门: 'unit',
  室: 'room',
  房: 'room',
  号房: 'room',
};

const CHINESE_DIGITS = '〇一二三四五六七八九';
const CHINESE_NUMERAL = /[零〇一二三四五六七八九十]/;
/** Longer inputs are not room codes; refusing them early keeps the tokenizer trivially cheap. */
const MAX_INPUT_LENGTH = 40;

export function parseRoomCode(input: string): RoomCode | null {
  if (typeof input !== 'string' || input.length > MAX_INPUT_LENGTH) return null;
  const tokens = tokenize(normalize(input));
  if (!tokens) return null;
  const parts = splitParts(tokens);
  if (!parts) return null;
  return assignRoles(parts);
}

/** The desk form: "3栋2单元1502", letter buildings with 座 ("B座1502"), as registry labels read. */
export function formatRoomCode(code: RoomCode): string {
  const building = code.building === null ? '' : `${code.building}${/^\d/.test(code.building) ? '栋' : '座'}`;
  const unit = code.unit === null ? '' : `${code.unit}单元`;
  return `${building}${unit}${code.room}`;
}

/** A canonical string for equality and indexing: "3|2|1502", "B||1502", "||1502". */
export function roomCodeKey(code: RoomCode): string {
  return `${code.building ?? ''}|${code.unit ?? ''}|${code.room}`;
}

/** Full-width digits/letters/punctuation to ASCII (NFKC), every dash look-alike to '-', letters upper-cased. */
function normalize(input: string): string {
  return input
    .normalize('NFKC')
    .replace(/[\u2010-\u2015\u2212\uFE58\uFE63]/g, '-')
    .toUpperCase()
    .trim();
}

/** Splits into values, markers, separators and spaces; null on any character a room code never has. */
function tokenize(s: string): Token[] | null {
  const tokens: Token[] = [];
  let i = 0;
  while (i < s.length) {
    const ch = s[i]!;
    if (/\s/.test(ch)) {
      while (i < s.length && /\s/.test(s[i]!)) i++;
      tokens.push({ kind: 'space' });
      continue;
    }
    if (ch === '-' || ch === '/') {
      tokens.push({ kind: 'sep' });
      i++;
      continue;
    }
    const run = matchRun(s, i, /[0-9A-Z]/) || matchRun(s, i, CHINESE_NUMERAL);
    if (run) {
      tokens.push({ kind: 'value', text: run, chinese: CHINESE_NUMERAL.test(run) });
      i += run.length;
      continue;
    }
    const marker = MARKERS.find((m) => s.startsWith(m, i));
    if (!marker) return null;
    tokens.push({ kind: 'marker', text: marker });
    i += marker.length;
  }
  // A space only separates when it stands between two values ("3 2 1502"); elsewhere it is padding.
  return tokens.flatMap((t, k) => {
    if (t.kind !== 'space') return [t];
    const between = tokens[k - 1]?.kind === 'value' && tokens[k + 1]?.kind === 'value';
    return between ? [{ kind: 'sep' } as const] : [];
  });
}

function matchRun(s: string, from: number, re: RegExp): string {
  let end = from;
  while (end < s.length && re.test(s[end]!)) end++;
  return s.slice(from, end);
}

/** value [marker] ( [sep] value [marker] )* — two values must be split by a marker or a separator. */
function splitParts(tokens: Token[]): Part[] | null {
  const parts: Part[] = [];
  let i = 0;
  while (i < tokens.length) {
    const value = tokens[i];
    if (value?.kind !== 'value') return null;
    i++;
    const next = tokens[i];
    const marker = next?.kind === 'marker' ? next.text : null;
    if (marker) i++;
    parts.push({ text: value.text, chinese: value.chinese, marker });
    if (parts.length > 3) return null;
    if (i === tokens.length) break;
    if (tokens[i]?.kind === 'sep') {
      i++;
      if (i === tokens.length) return null; // trailing separator
    } else if (!marker) {
      return null;
    }
  }
  return parts.length > 0 ? parts : null;
}

function assignRoles(parts: Part[]): RoomCode | null {
  const room = parts[parts.length - 1]!;
  const before = parts.slice(0, -1);
  if (room.marker !== null && room.marker !== '号' && MARKER_ROLE[room.marker] !== 'room') return null;

  // Parts before the room: '号' there means building; unmarked ones fill building, then unit.
  const roleOf = (p: Part): Role | null =>
    p.marker === null ? null : p.marker === '号' ? 'building' : MARKER_ROLE[p.marker]!;
  let buildingPart: Part | null = null;
  let unitPart: Part | null = null;
  if (before.length === 2) {
    const [b, u] = before as [Part, Part];
    if ((roleOf(b) ?? 'building') !== 'building' || (roleOf(u) ?? 'unit') !== 'unit') return null;
    buildingPart = b;
    unitPart = u;
  } else if (before.length === 1) {
    const only = before[0]!;
    const role = roleOf(only) ?? 'building';
    if (role === 'building') buildingPart = only;
    else if (role === 'unit') unitPart = only;
    else return null;
  }

  const building = buildingPart ? parseBuilding(buildingPart) : null;
  const unit = unitPart ? parseUnit(unitPart) : null;
  const roomNumber = parseRoom(room);
  if (building === undefined || unit === undefined || roomNumber === undefined) return null;
  return { building, unit, room: roomNumber };
}

/** Each part parser returns undefined when the part is not valid for its role. */
function parseBuilding(p: Part): string | undefined {
  if (p.chinese) return chineseToNumber(p.text);
  if (/^\d{1,3}$/.test(p.text)) return stripZeros(p.text);
  if (/^[A-Z]\d{0,2}$/.test(p.text)) return p.text;
  return undefined;
}

function parseUnit(p: Part): string | undefined {
  if (p.chinese) return chineseToNumber(p.text);
  return /^\d{1,2}$/.test(p.text) ? stripZeros(p.text) : undefined;
}

function parseRoom(p: Part): string | undefined {
  if (p.chinese || p.text.length > 6) return undefined;
  const m = /^(\d+)([A-Z]?)$/.exec(p.text);
  if (!m) return undefined;
  const digits = stripZeros(m[1]!);
  return digits === undefined ? undefined : `${digits}${m[2]}`;
}

/** "0302" → "302"; all zeros is not a number anyone lives at. */
function stripZeros(digits: string): string | undefined {
  const stripped = digits.replace(/^0+/, '');
  return stripped === '' ? undefined : stripped;
}

/** 一…九, 十, 十二, 二十, 二十三 → "1"…"99". Anything else (零, 一二, 百…) is not clearly a number. */
function chineseToNumber(text: string): string | undefined {
  const digit = (c: string | undefined) => (c ? CHINESE_DIGITS.indexOf(c) : -1);
  if (text.length === 1 && digit(text) > 0) return String(digit(text));
  const m = /^([一二三四五六七八九]?)十([一二三四五六七八九]?)$/.exec(text);
  if (!m) return undefined;
  const tens = m[1] ? digit(m[1]) : 1;
  const ones = m[2] ? digit(m[2]) : 0;
  return String(tens * 10 + ones);
}

/** A building's name as the registry stores it ("3栋", "B座", "12号楼") → its designator ("3", "B", "12"). */
export function buildingDesignator(name: string): string | null {
  return parseRoomCode(`${name.trim()}1`)?.building ?? null;
}

/** A unit's name ("2单元", "二单元", "2") → its designator ("2"). */
export function unitDesignator(name: string): string | null {
  const trimmed = name.trim();
  const named = /(单元|门)$/.test(trimmed) ? trimmed : `${trimmed}单元`;
  return parseRoomCode(`${named}1`)?.unit ?? null;
}
