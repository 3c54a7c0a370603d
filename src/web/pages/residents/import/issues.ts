import type { ImportIssue } from '../../../api/types';

export interface IssueRow {
  row: number | null;
  level: 'error' | 'note';
  issues: ImportIssue[];
}

/** Issues grouped by sheet row, errors first: one line per row, one message per column. */
export function groupIssues(issues: ImportIssue[]): IssueRow[] {
  const rows = new Map<string, IssueRow>();
  for (const issue of issues) {
    const key = `${issue.row ?? 'sheet'}`;
    const row = rows.get(key) ?? { row: issue.row, level: issue.level, issues: [] };
    if (issue.level === 'error') row.level = 'error';
    row.issues.push(issue);
    rows.set(key, row);
  }
  return [...rows.values()].sort(
    (a, b) => Number(b.level === 'error') - Number(a.level === 'error') || (a.row ?? 0) - (b.row ?? 0),
  );
}
