import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The files that take longest (seconds on the 2-core CI machine), longest first. Started first,
 * they run beside the many short files instead of one of them starting last and leaving a core
 * idle while it finishes. Only the order depends on this list: a file missing from it still runs.
 */
const LONGEST_FIRST = [
  'test/bench-smoke.test.ts', // 96 s: every benchmark at tiny size, each a process of its own
  'src/server/modules/sla/sla.scale.test.ts', // 80 s: 100,000 clocks on SQLite, 10,000 on PostgreSQL
  'test/api/backup-restore.test.ts', // 72 s
  'test/api/crash.test.ts', // 64 s
  'test/api/faults.test.ts', // 60 s
  'test/api/access-matrix.test.ts', // 55 s
  'test/api/intake-durability.test.ts', // 30 s
  'test/api/durability.test.ts', // 25 s
  'test/soak.test.ts', // 23 s
  'src/server/modules/sla/sla.concurrency.test.ts', // 19 s
  'src/server/platform/db/migrate.test.ts', // 19 s
  'test/bench-intake-peer.test.ts', // 17 s
  'test/e2e/intake.e2e.test.ts', // 50 s
  'test/e2e/lifecycle.e2e.test.ts', // 49 s
  'test/e2e/sla-settings.e2e.test.ts', // 36 s
  'test/e2e/knowledge.e2e.test.ts', // 28 s
];

function rank(file: TestSpecification): number {
  const at = LONGEST_FIRST.findIndex((name) => file.moduleId.endsWith(`/${name}`));
  return at === -1 ? LONGEST_FIRST.length : at;
}

/** Vitest's order (project by project, then its own), with the longest files of each project first. */
export default class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const position = new Map(sorted.map((file, i) => [file, i]));
    return [...sorted].sort((a, b) => {
      if (a.project.name !== b.project.name) return position.get(a)! - position.get(b)!;
      return rank(a) - rank(b) || position.get(a)! - position.get(b)!;
    });
  }
}
