import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';

const DECIMAL = /^-?\d{1,20}(\.\d{1,20})?$/;

function parse(value: unknown): string {
  if (typeof value !== 'string' || !DECIMAL.test(value)) {
    throw new GraphQLError('Decimal must be a string of digits with an optional fraction, such as "999.99"');
  }
  return value;
}

/** An exact decimal number carried as a string, so that no client turns money into a float. */
export const DecimalScalar = new GraphQLScalarType({
  name: 'Decimal',
  description: 'An exact decimal number as a string, e.g. "999.99". Never a float.',
  serialize: (value) => {
    if (typeof value !== 'string') throw new GraphQLError('Decimal values are produced as strings');
    return value;
  },
  parseValue: parse,
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING)
      throw new GraphQLError('Decimal literals must be strings, such as "999.99"');
    return parse(ast.value);
  },
});
