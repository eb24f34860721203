import {
  coerceInputValue,
  type DocumentNode,
  getNullableType,
  GraphQLError,
  type GraphQLInputType,
  isInputObjectType,
  isListType,
  isNonNullType,
  Kind,
  type OperationDefinitionNode,
  type GraphQLSchema,
  typeFromAST,
} from 'graphql';

/**
 * Checks an operation's variables before anything else reads them (the cost estimate does), and
 * refuses invalid ones with BAD_USER_INPUT and status 400. graphql-js's own messages repeat the
 * offending value, which may be personal data (an injury description of the wrong type); these
 * name only the variable, the path inside it and the type expected there.
 */
export function checkVariables(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown> | null | undefined,
): void {
  const operation = document.definitions.find(
    (definition): definition is OperationDefinitionNode =>
      definition.kind === Kind.OPERATION_DEFINITION &&
      (!operationName || definition.name?.value === operationName),
  );
  const given = variables ?? {};
  for (const definition of operation?.variableDefinitions ?? []) {
    const name = definition.variable.name.value;
    const type = typeFromAST(schema, definition.type) as GraphQLInputType | undefined;
    if (!type) continue; // Validation has already refused an unknown type.
    if (!Object.prototype.hasOwnProperty.call(given, name)) {
      if (isNonNullType(type) && !definition.defaultValue)
        throw invalidVariable(`Variable "$${name}" of required type "${String(type)}" was not provided`);
      continue;
    }
    let failure: GraphQLError | undefined;
    coerceInputValue(given[name], type, (path) => {
      failure ??= invalidVariable(
        path.length === 0
          ? `Variable "$${name}" must be of type "${String(type)}"`
          : `Variable "$${name}" has an invalid value at "${name}${path.map((key) => (typeof key === 'number' ? `[${key}]` : `.${key}`)).join('')}": expected ${describeAt(type, path)}`,
      );
    });
    if (failure) throw failure;
  }
}

/** The type expected at `path` inside `type`, or "no such field" past the input's fields. */
function describeAt(type: GraphQLInputType, path: readonly (string | number)[]): string {
  let current: GraphQLInputType | undefined = type;
  for (const key of path) {
    const nullable: GraphQLInputType | undefined = current && getNullableType<GraphQLInputType>(current);
    if (typeof key === 'number') current = nullable && isListType(nullable) ? nullable.ofType : undefined;
    else current = nullable && isInputObjectType(nullable) ? nullable.getFields()[key]?.type : undefined;
    if (!current) return 'no such field';
  }
  return `"${String(current)}"`;
}

function invalidVariable(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } } });
}
