import { normalizePhone } from '../../../../domain/phone';
import { parseRoomCode } from '../../../../domain/room-code';

/**
 * What the typed text could be. A full phone number in any format ("138 0013 8000", "+86…") may
 * belong to nobody registered: the caller is then logged by that number. A room code ("3-2-1502",
 * "3栋2单元1502") is also looked up as a room, for a vacant flat or an unregistered occupant.
 */
export function readLookup(text: string): { phone: string | null; roomCode: boolean } {
  const phone = normalizePhone(text);
  return { phone, roomCode: !phone && parseRoomCode(text) !== null };
}
