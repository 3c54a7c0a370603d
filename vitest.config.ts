import { defineConfig } from 'vitest/config';

/**
 * Files that must not share the machine with other tests: browser tests (timings seen by a real
 * browser), tests that start server processes or measure firing delays, and the scale test.
 */
const SERIAL = [
  'test/e2e/**/*.test.ts',
  'test/api/durability.test.ts',
  'test/api/events.test.ts',
  'test/api/sla-processes.test.ts',
  'src/server/modules/sla/sla.scale.test.ts',
  'test/bench-smoke.test.ts',
  'test/soak.test.ts',
  'test/api/backup-restore.test.ts',
  'test/api/faults.test.ts',
  'test/api/intake-durability.test.ts',
  'test/api/crash.test.ts',
  'test/bench-intake-peer.test.ts',
];

export default defineConfig({
  test: {
    globalSetup: ['test/helpers/global-setup.ts'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ['default'],
    projects: [
      {
        extends: true,
        test: {
          name: 'parallel',
          include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
          exclude: SERIAL,
          // two at a time: each file has its own databases, and most of a test's time is spent
          // waiting on SQLite's fsync or on PostgreSQL, which the other file can use
          maxWorkers: 2,
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: 'serial',
          include: SERIAL,
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
