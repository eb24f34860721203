import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import { containsCanary } from './pii-canary';

export interface GraphQLErrorShape {
  message: string;
  path?: (string | number)[];
  extensions?: { code?: string } & Record<string, unknown>;
}

export interface GraphQLResponse<T> {
  status: number;
  data?: T | null;
  errors?: GraphQLErrorShape[];
  extensions?: Record<string, unknown>;
}

/** Sends operations over real HTTP, the way a client does. */
export class GraphQLClient {
  constructor(
    readonly url: string,
    readonly token?: string,
  ) {}

  async execute<TResult, TVariables>(
    document: TypedDocumentNode<TResult, TVariables>,
    ...[variables]: TVariables extends Record<string, never> ? [] | [TVariables] : [TVariables]
  ): Promise<GraphQLResponse<TResult>> {
    return this.post({ query: print(document), variables });
  }

  /** Like `execute`, but fails the test on any top-level error and returns `data`. */
  async data<TResult, TVariables>(
    document: TypedDocumentNode<TResult, TVariables>,
    ...args: TVariables extends Record<string, never> ? [] | [TVariables] : [TVariables]
  ): Promise<TResult> {
    const response = await this.execute(document, ...args);
    if (response.errors?.length || !response.data) {
      throw new Error(`unexpected GraphQL errors: ${JSON.stringify(response.errors)}`);
    }
    return response.data;
  }

  /** Any JSON body (or a raw string), for requests no typed document describes. */
  async post(body: unknown, headers: Record<string, string> = {}): Promise<GraphQLResponse<never>> {
    const response = await fetch(this.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
        ...headers,
      },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    let parsed: Omit<GraphQLResponse<never>, 'status'> = {};
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = { errors: [{ message: text }] };
    }
    // No error message may carry medical information, in any test.
    if (parsed.errors && containsCanary(JSON.stringify(parsed.errors))) {
      throw new Error(
        `an error message carries medical information: ${JSON.stringify(parsed.errors).slice(0, 300)}`,
      );
    }
    return { status: response.status, ...parsed };
  }
}
