import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * Typed documents for the operations the tests send: test/operations/*.graphql →
 * test/__generated__/graphql.ts. Run `npm run codegen` after changing an operation or the schema.
 */
const config: CodegenConfig = {
  schema: 'schema.graphql',
  documents: 'test/operations/**/*.graphql',
  generates: {
    'test/__generated__/graphql.ts': {
      plugins: ['typescript-operations', 'typed-document-node'],
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        skipTypename: true,
        scalars: { DateTime: 'string', LocalDate: 'string', Decimal: 'string' },
      },
    },
  },
};

export default config;
