import { type GraphQLError, NoSchemaIntrospectionCustomRule, type ValidationRule } from 'graphql';

/**
 * What clients may learn of the schema beyond what they send: in production mode neither
 * introspection nor field suggestions ("Did you mean …"). HTTP (Apollo's options) and WebSocket
 * (the rules and shaping below) both read it from here.
 */
export interface SchemaDisclosure {
  introspection: boolean;
  suggestions: boolean;
}

export function schemaDisclosure(production: boolean): SchemaDisclosure {
  return { introspection: !production, suggestions: !production };
}

/** The validation rules that keep what a disclosure withholds. */
export function disclosureRules(disclosure: SchemaDisclosure): ValidationRule[] {
  return disclosure.introspection ? [] : [NoSchemaIntrospectionCustomRule];
}

/** A validation error's message without the suggestion that ends it, as Apollo strips it. */
export function withoutSuggestion(error: GraphQLError, disclosure: SchemaDisclosure): GraphQLError {
  if (!disclosure.suggestions) error.message = error.message.replace(/ ?Did you mean(.+?)\?$/, '');
  return error;
}
