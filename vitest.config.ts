import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/reliability/**', 'node_modules/**'],
    // One local stack (a child process over the embedded emulators, or LocalStack when
    // AWS_ENDPOINT_URL is set) serves every integration test file; its URL is provided as `baseUrl`.
    globalSetup: ['test/setup/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
