import { defineConfig } from 'vitest/config';

/**
 * Files that must not share the machine with other tests: browser tests (timings seen by a real
 * browser) and the tests that measure latency or firing delays across server processes.
 */
const SERIAL = ['test/e2e/**/*.test.ts', 'test/api/events.test.ts', 'test/api/sla-processes.test.ts'];

export default defineConfig({
  test: {
    globalSetup: ['test/helpers/global-setup.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // expect.poll waits up to 1 s by default: a browser re-rendering on a loaded 2-core CI
    // machine can take longer than that to close a dropdown or show a saved value; a poll only
    // waits this long when the awaited state has not come yet
    expect: { poll: { timeout: 10_000 } },
    reporters: ['default'],
    projects: [
      {
        extends: true,
        test: {
          name: 'parallel',
          include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
          exclude: SERIAL,
          // two at a time: each file has its own databases, and much of a test's time is spent
          // waiting on SQLite's fsync, on PostgreSQL or on a server process starting, which the
          // other file can use (three at a time was no faster: the suite is CPU-bound on 2 cores)
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
