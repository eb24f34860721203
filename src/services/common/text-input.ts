import { type UserError, UserErrorCode, userError } from './user-error';

/** Longest accepted length, in characters, of each free-text input. Documented in the README. */
export const TEXT_LIMITS = {
  externalRef: 100,
  personName: 200,
  email: 320,
  productName: 300,
  category: 100,
  claimDescription: 5000,
  evidenceDescription: 1000,
  injuryDescription: 5000,
  treatmentDetails: 5000,
  uri: 2048,
  idempotencyKey: 200,
} as const;

// Control characters other than tab, line feed and carriage return have no place in user text.
// oxlint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;
// Half of a UTF-16 surrogate pair with no other half.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Trims and checks one text input. Returns the trimmed value, or null after pushing a userError
 * (REQUIRED when empty, TOO_LONG, INVALID_FORMAT for control characters).
 */
export function checkText(
  value: string | null | undefined,
  field: string[],
  maxLength: number,
  errors: UserError[],
  options: { required?: boolean } = {},
): string | null {
  const required = options.required ?? true;
  const trimmed = (value ?? '').normalize('NFC').trim();
  if (trimmed.length === 0) {
    if (required) errors.push(userError(field, UserErrorCode.REQUIRED, `${field.at(-1)} must not be empty`));
    return null;
  }
  // Limits count characters (code points), not UTF-16 units.
  // oxlint-disable-next-line typescript/no-misused-spread
  if ([...trimmed].length > maxLength) {
    errors.push(
      userError(field, UserErrorCode.TOO_LONG, `${field.at(-1)} must be at most ${maxLength} characters`),
    );
    return null;
  }
  // A lone UTF-16 surrogate (JSON allows "\ud800") is no character: it cannot be stored or shown.
  if (CONTROL_CHARACTERS.test(trimmed) || LONE_SURROGATE.test(trimmed)) {
    errors.push(
      userError(
        field,
        UserErrorCode.INVALID_FORMAT,
        `${field.at(-1)} must not contain control characters or broken characters`,
      ),
    );
    return null;
  }
  return trimmed;
}

const EXTERNAL_REF = /^[A-Za-z0-9][A-Za-z0-9._:-]*$/;

/** A marketplace reference: letters, digits and . _ : - only, so it is safe in tokens and logs. */
export function checkExternalRef(value: string, field: string[], errors: UserError[]): string | null {
  const ref = checkText(value, field, TEXT_LIMITS.externalRef, errors);
  if (ref !== null && !EXTERNAL_REF.test(ref)) {
    errors.push(
      userError(
        field,
        UserErrorCode.INVALID_FORMAT,
        `${field.at(-1)} may hold only letters, digits and . _ : -`,
      ),
    );
    return null;
  }
  return ref;
}

export function checkEmail(value: string, field: string[], errors: UserError[]): string | null {
  const email = checkText(value, field, TEXT_LIMITS.email, errors);
  if (email !== null && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) {
    errors.push(userError(field, UserErrorCode.INVALID_FORMAT, `${field.at(-1)} is not an email address`));
    return null;
  }
  return email;
}
