import { minorDigitsOf, parseAmount } from './money';
import { type UserError, UserErrorCode, userError } from './user-error';

export interface MoneyRequest {
  amount: string;
  currencyCode: string;
}

/** Claims and prices may not exceed 1,000,000 in the major unit of their currency. */
export const MAX_MAJOR_AMOUNT = 1_000_000n;

/**
 * Checks a money input against the supported currencies and the amount rules (positive, at most
 * 1,000,000.00, no more decimals than the currency has). Returns minor units, or null after
 * pushing userErrors under `field`.
 */
export function checkMoney(
  input: MoneyRequest,
  field: string[],
  supportedCurrencies: readonly string[],
  errors: UserError[],
): { minor: bigint; currency: string } | null {
  const currency = input.currencyCode.trim().toUpperCase();
  if (!supportedCurrencies.includes(currency)) {
    errors.push(
      userError(
        [...field, 'currencyCode'],
        UserErrorCode.UNSUPPORTED_CURRENCY,
        `currencyCode must be one of ${supportedCurrencies.join(', ')}`,
      ),
    );
    return null;
  }
  const amountField = [...field, 'amount'];
  const parsed = parseAmount(input.amount, currency);
  if (!parsed.ok) {
    errors.push(
      parsed.reason === 'TOO_PRECISE'
        ? userError(amountField, UserErrorCode.AMOUNT_TOO_PRECISE, `amount may have at most ${minorDigitsOf(currency)} decimals`)
        : userError(amountField, UserErrorCode.INVALID_FORMAT, 'amount must be a decimal such as "999.99"'),
    );
    return null;
  }
  if (parsed.minor <= 0n) {
    errors.push(userError(amountField, UserErrorCode.AMOUNT_NOT_POSITIVE, 'amount must be greater than zero'));
    return null;
  }
  if (parsed.minor > MAX_MAJOR_AMOUNT * 10n ** BigInt(minorDigitsOf(currency))) {
    errors.push(userError(amountField, UserErrorCode.AMOUNT_TOO_LARGE, 'amount may be at most 1,000,000.00'));
    return null;
  }
  return { minor: parsed.minor, currency };
}
