import { checkMoney, type MoneyRequest } from '../money/money-input';
import { formatAmount } from '../money/money';
import { type UserError, UserErrorCode, userError } from '../common/user-error';
import type { CoverTerms } from './insurance-requirements';

/** Cover terms as a registration or a quote states them. */
export interface CoverTermsRequest {
  perOccurrenceLimit: MoneyRequest;
  aggregateLimit: MoneyRequest;
  deductible: MoneyRequest;
  additionalInsured: boolean;
}

const LIMIT_BOUNDS = { maxMajor: 1_000_000_000n, allowZero: false };
const DEDUCTIBLE_BOUNDS = { maxMajor: 1_000_000_000n, allowZero: true };

/** Checked cover terms, or null after pushing the userErrors that refuse them. */
export function checkCoverTerms(
  request: CoverTermsRequest,
  supportedCurrencies: readonly string[],
  errors: UserError[],
): CoverTerms | null {
  const perOccurrence = checkMoney(
    request.perOccurrenceLimit,
    ['input', 'perOccurrenceLimit'],
    supportedCurrencies,
    errors,
    LIMIT_BOUNDS,
  );
  const aggregate = checkMoney(
    request.aggregateLimit,
    ['input', 'aggregateLimit'],
    supportedCurrencies,
    errors,
    LIMIT_BOUNDS,
  );
  const deductible = checkMoney(
    request.deductible,
    ['input', 'deductible'],
    supportedCurrencies,
    errors,
    DEDUCTIBLE_BOUNDS,
  );
  if (!perOccurrence || !aggregate || !deductible) return null;
  return checkCoverShape(
    {
      currency: perOccurrence.currency,
      perOccurrenceLimitMinor: perOccurrence.minor,
      aggregateLimitMinor: aggregate.minor,
      deductibleMinor: deductible.minor,
      additionalInsured: request.additionalInsured,
    },
    { aggregate: aggregate.currency, deductible: deductible.currency },
    errors,
  );
}

/**
 * The consistency every set of cover terms needs, whoever states them: one currency, an aggregate
 * limit no lower than the per-occurrence limit, a deductible below the per-occurrence limit.
 */
function checkCoverShape(
  terms: CoverTerms,
  currencies: { aggregate: string; deductible: string },
  errors: UserError[],
): CoverTerms | null {
  const before = errors.length;
  if (currencies.aggregate !== terms.currency) {
    errors.push(
      userError(
        ['input', 'aggregateLimit', 'currencyCode'],
        UserErrorCode.CURRENCY_MISMATCH,
        'limits and deductible must be in one currency',
      ),
    );
  }
  if (currencies.deductible !== terms.currency) {
    errors.push(
      userError(
        ['input', 'deductible', 'currencyCode'],
        UserErrorCode.CURRENCY_MISMATCH,
        'limits and deductible must be in one currency',
      ),
    );
  }
  if (errors.length === before && terms.aggregateLimitMinor < terms.perOccurrenceLimitMinor) {
    errors.push(
      userError(
        ['input', 'aggregateLimit', 'amount'],
        UserErrorCode.OUT_OF_RANGE,
        `the aggregate limit cannot be below the per-occurrence limit of ${formatAmount(terms.perOccurrenceLimitMinor, terms.currency)}`,
      ),
    );
  }
  if (errors.length === before && terms.deductibleMinor >= terms.perOccurrenceLimitMinor) {
    errors.push(
      userError(
        ['input', 'deductible', 'amount'],
        UserErrorCode.OUT_OF_RANGE,
        'the deductible must be below the per-occurrence limit',
      ),
    );
  }
  return errors.length > before ? null : terms;
}
