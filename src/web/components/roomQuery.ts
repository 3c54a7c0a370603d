const TOKEN_SPLIT = /[^0-9A-Za-z]+/;

function tokens(text: string): string[] {
  return text
    .split(TOKEN_SPLIT)
    .filter((token) => token.length > 0)
    .map((token) => token.toUpperCase());
}

/**
 * The desk types rooms as "3-2-1502", "3 2 1502" or "3栋2单元1502" (R3). The API searches the room
 * number, so we send the last part and keep the results whose label ends with the typed parts.
 * Returns null when the text is not such a room path (a name, a phone, a bare room number).
 */
export function parseRoomQuery(text: string): { number: string; matches: (label: string) => boolean } | null {
  const parts = tokens(text);
  if (parts.length < 2) return null;
  // "138 0013 8000" is a phone, not a room
  if (parts.every((part) => /^\d+$/.test(part)) && parts.join('').length >= 7 && parts[0]?.startsWith('1'))
    return null;
  const number = parts[parts.length - 1] ?? '';
  return {
    number,
    matches: (label: string) => {
      const labelParts = tokens(label);
      if (labelParts.length < parts.length) return false;
      const tail = labelParts.slice(labelParts.length - parts.length);
      return tail.every((part, index) =>
        index === parts.length - 1 ? part.startsWith(parts[index] ?? '') : part === parts[index],
      );
    },
  };
}
