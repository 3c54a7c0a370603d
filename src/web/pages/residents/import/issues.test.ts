import { describe, expect, it } from 'vitest';
import type { ImportIssue } from '../../../api/types';
import { groupIssues } from './issues';

function issue(
  row: number | null,
  level: 'error' | 'note',
  column: number | null,
  code: string,
): ImportIssue {
  return {
    row,
    level,
    column,
    columnLetter: column === null ? null : String.fromCharCode(65 + column),
    field: null,
    code,
    message: code,
  };
}

describe('groupIssues (R2: the dry-run report, one line per sheet row)', () => {
  it('puts the messages of one row together, rows with errors first, then by row number', () => {
    const groups = groupIssues([
      issue(9, 'note', null, 'existing'),
      issue(7, 'error', 2, 'phoneInvalid'),
      issue(3, 'error', 0, 'roomUnknown'),
      issue(7, 'error', 1, 'nameMissing'),
      issue(5, 'note', 3, 'kindDefaulted'),
      issue(5, 'error', 2, 'phoneInvalid'),
    ]);
    expect(groups.map((group) => [group.row, group.level, group.issues.map((i) => i.code)])).toEqual([
      [3, 'error', ['roomUnknown']],
      [5, 'error', ['kindDefaulted', 'phoneInvalid']],
      [7, 'error', ['phoneInvalid', 'nameMissing']],
      [9, 'note', ['existing']],
    ]);
  });

  it('keeps problems of the whole sheet (no row) as their own line', () => {
    const groups = groupIssues([issue(null, 'error', null, 'noHeader'), issue(4, 'error', 0, 'roomUnknown')]);
    expect(groups.map((group) => group.row)).toEqual([null, 4]);
  });
});
