/**
 * Money of paid work (R10) as the server counts it (categories.service `quote`): prices in yuan
 * with at most two decimals, each line rounded to whole fen, the total the sum of the lines. The
 * phone shows the same total the server will charge.
 */

/** A price of the category's published list with the quantity picked. */
export interface PricedQuantity {
  price: number;
  quantity: number;
}

export function toFen(yuan: number): number {
  return Math.round(yuan * 100);
}

/** One line: unit price × quantity, rounded to the fen. */
export function lineFen(line: PricedQuantity): number {
  return Math.round(toFen(line.price) * line.quantity);
}

/** The total of the lines with a quantity; an empty pick is 0. */
export function totalFen(lines: readonly PricedQuantity[]): number {
  return lines.reduce((sum, line) => (line.quantity > 0 ? sum + lineFen(line) : sum), 0);
}

/** 12345 → "123.45" (the locale adds 元 or ¥). */
export function formatFen(fen: number): string {
  return (fen / 100).toFixed(2);
}
