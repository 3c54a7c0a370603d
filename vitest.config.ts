import { defineConfig } from 'vitest/config';

/** Browser tests: a real Chromium against the real app, two files at a time after the rest. */
const BROWSER = ['test/e2e/**/*.test.ts'];
/**
 * Tests that measure wall-clock latency (a screen pop within a second, an event across servers,
 * firing delays across server processes): last, one at a time, with the machine to themselves.
 */
const TIMING = ['test/e2e/calls.e2e.test.ts', 'test/api/events.test.ts', 'test/api/sla-processes.test.ts'];

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
    // a worker process runs file after file without reloading the modules the files share (the
    // app, its ~170 routes and their compiled schemas: 10-15 s a file on a loaded CI machine);
    // each file still has its own databases, apps, servers and browser, and no test changes
    // module state
    isolate: false,
    projects: [
      {
        extends: true,
        test: {
          name: 'parallel',
          include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
          exclude: [...BROWSER, ...TIMING],
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
          name: 'browser',
          include: BROWSER,
          exclude: TIMING,
          // one browser test uses about half of the two cores (Chromium, the app, the test
          // waiting on both): two at a time fill them; their waits are for states, not durations
          maxWorkers: 2,
          sequence: { groupOrder: 1 },
        },
      },
      {
        extends: true,
        test: {
          name: 'timing',
          include: TIMING,
          fileParallelism: false,
          sequence: { groupOrder: 2 },
        },
      },
    ],
  },
});
