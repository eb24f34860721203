import { availableParallelism } from 'node:os';
import path from 'node:path';
import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';

// SWC compiles the decorators with their metadata, which MikroORM and type-graphql read.
export default defineConfig({
  plugins: [
    swc.vite({
      jsc: {
        parser: { syntax: 'typescript', decorators: true },
        transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
        target: 'es2022',
      },
    }),
  ],
  // Load every dependency through its CommonJS entry, as the built server does. graphql ships
  // both builds without an "exports" map, so mixing ESM and CommonJS libraries would load two
  // copies of it whose types do not recognise each other.
  resolve: {
    conditions: ['node', 'require', 'default'],
    mainFields: ['main'],
    alias: [
      { find: /^graphql$/, replacement: path.resolve('node_modules/graphql/index.js') },
      // Its ESM build imports graphql/index.mjs explicitly.
      {
        find: /^graphql-query-complexity$/,
        replacement: path.resolve('node_modules/graphql-query-complexity/dist/cjs/index.js'),
      },
    ],
  },
  ssr: {
    resolve: {
      conditions: ['node', 'require', 'default'],
      externalConditions: ['node', 'require', 'default'],
    },
  },
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['reflect-metadata'],
    globalSetup: ['test/support/global-setup.ts'],
    pool: 'forks',
    // Test files spend much of their time waiting on the database and on sockets, so two run side
    // by side even on two cores (where the default, cores − 1, would run them one at a time).
    maxWorkers: Math.max(2, availableParallelism() - 1),
    // Every file opens its own database and server and no test changes module state (environment,
    // mocks, timers), so a worker keeps the modules it loaded for the next file instead of
    // importing the whole application again for each of them.
    isolate: false,
    // A test fails on what it checks, never on how long a busy machine takes: these limits only
    // end a test that hangs. Speed is measured by `npm run bench`.
    testTimeout: 600_000,
    hookTimeout: 600_000,
    env: { NODE_ENV: 'test' },
  },
});
