import { minorDigitsOf, parseAmount } from './money';
import { type UserError, UserErrorCode, userError } from '../common/user-error';

export interface MoneyRequest {
  amount: string;
  currencyCode: string;
}

/** Claims and prices may not exceed 1,000,000 in the major unit of their currency. */
export const MAX_MAJOR_AMOUNT = 1_000_000n;

export interface AmountBounds {
  /** Largest accepted amount, in the currency's major unit. */
  maxMajor: bigint;
  /** Whether zero is accepted (a zero deductible); negative amounts never are. */
  allowZero: boolean;
}

/** Claims and prices: positive, at most 1,000,000. */
const CLAIM_BOUNDS: AmountBounds = { maxMajor: MAX_MAJOR_AMOUNT, allowZero: false };

/**
 * Checks a money input against the supported currencies and the amount rules (positive, at most
 * 1,000,000.00 unless `bounds` say otherwise, no more decimals than the currency has). Returns
 * minor units, or null after pushing userErrors under `field`.
 */
export function checkMoney(
  input: MoneyRequest,
  field: string[],
  supportedCurrencies: readonly string[],
  errors: UserError[],
  bounds: AmountBounds = CLAIM_BOUNDS,
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
        ? userError(
            amountField,
            UserErrorCode.AMOUNT_TOO_PRECISE,
            `amount may have at most ${minorDigitsOf(currency)} decimals`,
          )
        : userError(amountField, UserErrorCode.INVALID_FORMAT, 'amount must be a decimal such as "999.99"'),
    );
    return null;
  }
  if (parsed.minor < 0n || (parsed.minor === 0n && !bounds.allowZero)) {
    errors.push(
      userError(
        amountField,
        UserErrorCode.AMOUNT_NOT_POSITIVE,
        bounds.allowZero ? 'amount must not be negative' : 'amount must be greater than zero',
      ),
    );
    return null;
  }
  if (parsed.minor > bounds.maxMajor * 10n ** BigInt(minorDigitsOf(currency))) {
    errors.push(
      userError(
        amountField,
        UserErrorCode.AMOUNT_TOO_LARGE,
        `amount may be at most ${bounds.maxMajor.toLocaleString('en')}.00`,
      ),
    );
    return null;
  }
  return { minor: parsed.minor, currency };
}
