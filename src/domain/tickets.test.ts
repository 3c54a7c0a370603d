import { describe, expect, it } from 'vitest';
import { missingIntakeParts } from './tickets.js';

describe('what a request must record when received', () => {
  const all = { hasLocation: true, hasContactName: true, hasContactPhone: true };

  it('R6: a phoned-in or walk-in request names the place and the caller', () => {
    for (const channel of ['phone', 'walk_in'] as const) {
      expect(missingIntakeParts({ channel, ...all })).toEqual([]);
      expect(
        missingIntakeParts({ channel, hasLocation: false, hasContactName: false, hasContactPhone: false }),
      ).toEqual(['location', 'contactName', 'contactPhone']);
    }
  });

  it('an online request names someone to reply to, but not necessarily a place', () => {
    expect(missingIntakeParts({ channel: 'web', ...all, hasLocation: false })).toEqual([]);
    expect(missingIntakeParts({ channel: 'email', ...all, hasContactPhone: false })).toEqual([
      'contactPhone',
    ]);
  });

  it('a patrol finding needs no caller', () => {
    expect(
      missingIntakeParts({
        channel: 'patrol',
        hasLocation: true,
        hasContactName: false,
        hasContactPhone: false,
      }),
    ).toEqual([]);
  });
});
