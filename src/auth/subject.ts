/** The longest `sub` claim a token may carry, in characters. */
export const SUBJECT_MAX_LENGTH = 100;

/**
 * One to SUBJECT_MAX_LENGTH characters, none of them a control character (NUL among them, which
 * PostgreSQL cannot store in text) or half of a UTF-16 surrogate pair.
 */
const SUBJECT = new RegExp(`^[^\\p{Cc}\\p{Cs}]{1,${SUBJECT_MAX_LENGTH}}$`, 'u');

/**
 * Whether a string can be a principal's subject: what a token's `sub` must be to be accepted, and
 * so what a filter by subject must be to name anyone.
 */
export function isSubject(value: string): boolean {
  return SUBJECT.test(value);
}
