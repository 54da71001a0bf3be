/**
 * The e2e suite (`npm run test:e2e`): builds and runs real images with buildah/podman, so it
 * needs `bash scripts/e2e/setup.sh` (root) first. Kept out of the default `jest` run.
 * @type {import('jest').Config}
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test/e2e'],
  testMatch: ['**/*.e2e.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  globalSetup: '<rootDir>/test/e2e/support/global-setup.ts',
  // Image builds and container starts: one at a time (ports are host ports, storage is shared),
  // with room for a cold layer cache.
  maxWorkers: 1,
  testTimeout: 300000,
  slowTestThreshold: 60,
};
