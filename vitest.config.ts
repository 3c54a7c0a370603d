import { defineConfig } from 'vitest/config';

/**
 * Files that must not share the machine with other tests: browser tests (timings seen by a real
 * browser) and the tests that measure latency or firing delays across server processes.
 */
const SERIAL = ['test/e2e/**/*.test.ts', 'test/api/events.test.ts', 'test/api/sla-processes.test.ts'];

/**
 * Tests that start server processes or load the machine for a long time and check correctness,
 * not timing: one at a time among themselves, beside the parallel files (most of their time is
 * spent starting processes, waiting on fsync, or on timers).
 */
const PROCESSES = [
  'test/api/durability.test.ts',
  'test/api/crash.test.ts',
  'test/api/backup-restore.test.ts',
  'test/api/faults.test.ts',
  'test/api/intake-durability.test.ts',
  'test/soak.test.ts',
  'test/bench-smoke.test.ts',
  'test/bench-intake-peer.test.ts',
  'src/server/modules/sla/sla.scale.test.ts',
];

export default defineConfig({
  test: {
    globalSetup: ['test/helpers/global-setup.ts'],
    pool: 'forks',
    // the two parallel files and the one process suite beside them
    maxWorkers: 3,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ['default'],
    projects: [
      {
        extends: true,
        test: {
          name: 'parallel',
          include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
          exclude: [...SERIAL, ...PROCESSES],
          // two at a time: each file has its own databases, and most of a test's time is spent
          // waiting on SQLite's fsync or on PostgreSQL, which the other file can use
          maxWorkers: 2,
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: 'processes',
          include: PROCESSES,
          fileParallelism: false,
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
