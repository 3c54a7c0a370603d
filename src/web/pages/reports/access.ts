import type { Role } from '../../../domain/roles';

/** Who reads the reports (the server's REPORT_READERS in reports.routes.ts); no chart code here. */
const REPORT_READERS: readonly Role[] = ['supervisor', 'manager', 'quality', 'admin'];

export function canSeeReports(roles: readonly string[]): boolean {
  return roles.some((r) => (REPORT_READERS as readonly string[]).includes(r));
}
