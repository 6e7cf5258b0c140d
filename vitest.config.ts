import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // a PostgreSQL server for the PostgreSQL suites: DATABASE_URL, or a throw-away cluster when installed
    globalSetup: ['test/setup/postgres-cluster.ts'],
  },
});
