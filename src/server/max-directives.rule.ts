import type { ASTVisitor, ValidationContext, ValidationRule } from 'graphql';
import { queryTooComplex } from '../errors';

/**
 * Refuses a document with more than `max` directives, counting every directive written in it.
 * graphql-armor's rule counts a fragment's directives once however often it is spread, and drops
 * the directives written on repeated spreads themselves (`...F @include(if: true)` two hundred
 * times passes); counting the document's text instead cannot be bypassed that way.
 */
export function maxDirectivesRule(max: number): ValidationRule {
  return (context: ValidationContext): ASTVisitor => {
    let count = 0;
    return {
      Directive() {
        count += 1;
      },
      Document: {
        leave() {
          if (count > max)
            context.reportError(queryTooComplex(`Directives limit of ${max} exceeded, found ${count}.`));
        },
      },
    };
  };
}
