import 'reflect-metadata';
import '../graphql/enums';
import '../graphql/user-error.type';
import { type GraphQLSchema, lexicographicSortSchema } from 'graphql';
import { createPubSub } from '@graphql-yoga/subscription';
import { buildSchema } from 'type-graphql';
import { RESOLVERS } from '../resolvers';
import { authChecker } from './auth-checker';

/** The executable schema, sorted so that its printed form is stable. */
export async function buildClaimgraphSchema(): Promise<GraphQLSchema> {
  const schema = await buildSchema({
    resolvers: RESOLVERS,
    authChecker,
    validate: false,
    // Subscriptions supply their own streams; the schema builder still wants a pub/sub.
    pubSub: createPubSub(),
  });
  return lexicographicSortSchema(schema);
}
