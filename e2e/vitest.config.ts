/** Browser journeys: the real app on a real database, driven by Debian's Chromium. `npm run test:e2e` */
import path from 'node:path';
import { defineConfig } from 'vitest/config';
import { reportOptions } from '../test/report.ts';

export default defineConfig({
  root: path.resolve(import.meta.dirname, '..'),
  test: {
    include: ['e2e/**/*.e2e.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 90_000,
    pool: 'forks',
    // Each file starts its own Chromium; two at a time is what 2 cores can carry.
    maxWorkers: 2,
    ...reportOptions('e2e'),
  },
});
