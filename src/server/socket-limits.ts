import { GraphQLError } from 'graphql';

/**
 * Close code for a connection past its principal's limit. One of claimgraph's own (graphql-ws
 * reserves 4429 and others): graphql-ws clients retry it with their back-off, which succeeds once
 * one of the principal's other sockets has closed.
 */
export const TOO_MANY_CONNECTIONS_CLOSE_CODE = 4291;

/** The WebSocket connections each principal holds open on this instance. */
export class PrincipalSockets {
  private readonly open = new Map<string, number>();

  constructor(private readonly max: number) {}

  /** Counts one more socket of `principal` in; false (and nothing counted) past the limit. */
  admit(principal: string): boolean {
    const held = this.open.get(principal) ?? 0;
    if (held >= this.max) return false;
    this.open.set(principal, held + 1);
    return true;
  }

  /** Counts an admitted socket out when it closes. */
  release(principal: string): void {
    const held = (this.open.get(principal) ?? 0) - 1;
    if (held > 0) this.open.set(principal, held);
    else this.open.delete(principal);
  }

  /** The close reason of a refused connection, for a client to act on. */
  refusalReason(): string {
    return JSON.stringify({ code: 'TOO_MANY_CONNECTIONS', limit: this.max });
  }
}

/** The error of an operation past its socket's limit: it ends that operation only. */
export function tooManySubscriptions(max: number): GraphQLError {
  return new GraphQLError(`At most ${max} operations may run on one WebSocket at once`, {
    extensions: { code: 'TOO_MANY_SUBSCRIPTIONS', limit: max },
  });
}
