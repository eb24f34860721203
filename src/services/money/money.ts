/**
 * Money is held as integer minor units (bigint) with an ISO 4217 code, and crosses the API as a
 * decimal string. The number of minor digits comes from ICU's currency data, not from a table here.
 */
export function minorDigitsOf(currency: string): number {
  let digits = minorDigits.get(currency);
  if (digits === undefined) {
    digits =
      new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ??
      2;
    minorDigits.set(currency, digits);
  }
  return digits;
}

/** Building a formatter costs far more than a filing's other checks; a currency's digits never change. */
const minorDigits = new Map<string, number>();

export type ParsedAmount = { ok: true; minor: bigint } | { ok: false; reason: 'MALFORMED' | 'TOO_PRECISE' };

/** Parses a decimal string such as "999.99" into minor units without passing through a float. */
export function parseAmount(amount: string, currency: string): ParsedAmount {
  const match = /^(-)?(\d+)(?:\.(\d+))?$/.exec(amount);
  if (!match) return { ok: false, reason: 'MALFORMED' };
  const [, sign, whole, fraction = ''] = match;
  const digits = minorDigitsOf(currency);
  const significantFraction = fraction.replace(/0+$/, '');
  if (significantFraction.length > digits) return { ok: false, reason: 'TOO_PRECISE' };
  const minor =
    BigInt(whole) * 10n ** BigInt(digits) + BigInt(significantFraction.padEnd(digits, '0') || '0');
  return { ok: true, minor: sign ? -minor : minor };
}

/** Formats minor units as a decimal string with exactly the currency's minor digits. */
export function formatAmount(minor: bigint, currency: string): string {
  const digits = minorDigitsOf(currency);
  const negative = minor < 0n;
  const absolute = (negative ? -minor : minor).toString().padStart(digits + 1, '0');
  const whole = absolute.slice(0, absolute.length - digits);
  const fraction = absolute.slice(absolute.length - digits);
  return `${negative ? '-' : ''}${whole}${digits > 0 ? `.${fraction}` : ''}`;
}
