import type { UserError } from './user-error';

/**
 * Thrown inside a command's transaction to refuse it with userErrors: the transaction rolls back,
 * so a refused command leaves nothing behind, and the caller gets the errors in its payload.
 */
export class Refusal extends Error {
  constructor(readonly userErrors: UserError[]) {
    super(userErrors.map((error) => error.message).join('; '));
  }
}
