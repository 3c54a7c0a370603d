import { randomBytes } from 'node:crypto';

let lastMs = -1;
let sequence = 0;

// random bytes drawn in blocks: one system call per 512 ids instead of one per id
const POOL_SIZE = 16 * 512;
let pool = Buffer.alloc(0);
let poolOffset = POOL_SIZE;
function random16(): Buffer {
  if (poolOffset + 16 > pool.length) {
    pool = randomBytes(POOL_SIZE);
    poolOffset = 0;
  }
  const bytes = Buffer.from(pool.subarray(poolOffset, poolOffset + 16));
  poolOffset += 16;
  return bytes;
}

/**
 * UUID version 7: time-ordered, so ids sort by creation and serve as stable cursors, and random
 * enough for many servers to generate them without coordination. Within one process, ids made in
 * the same millisecond stay in order through a 12-bit counter (RFC 9562, method 1).
 */
export function newId(at: Date = new Date()): string {
  let ms = Math.max(at.getTime(), lastMs);
  if (ms === lastMs) {
    sequence++;
    if (sequence > 0xfff) {
      ms++;
      sequence = 0;
    }
  } else {
    // start low in the counter's range so a burst in one millisecond does not overflow it
    sequence = random16()[0]! & 0x7f;
  }
  lastMs = ms;
  const bytes = random16();
  const time = BigInt(ms);
  for (let i = 0; i < 6; i++) bytes[i] = Number((time >> BigInt(8 * (5 - i))) & 0xffn);
  bytes[6] = 0x70 | (sequence >> 8);
  bytes[7] = sequence & 0xff;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** A random secret for session and API tokens (URL-safe). */
export function newSecret(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}
