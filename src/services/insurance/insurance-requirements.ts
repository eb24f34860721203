import { type FinancialRating, ratingAtLeast, ratingLabel } from '../../entities/financial-rating';
import { InsuranceRequirement, type RequirementCheck } from '../../entities/requirement-check';
import { formatAmount, parseAmount } from '../money/money';

/** The marketplace's requirements for sellers' product-liability cover (configurable). */
export interface InsuranceRequirements {
  /** Decimal amounts in the policy's currency. */
  minPerOccurrence: string;
  minAggregate: string;
  maxDeductible: string;
  minRating: FinancialRating;
  additionalInsured: boolean;
}

/** The terms of a quote or policy that the requirements look at. */
export interface CoverTerms {
  currency: string;
  perOccurrenceLimitMinor: bigint;
  aggregateLimitMinor: bigint;
  deductibleMinor: bigint;
  additionalInsured: boolean;
}

/**
 * Checks cover terms and the insurer's rating against every requirement, each with what is
 * required and what the terms have, so that a failure explains itself.
 */
export function checkRequirements(
  terms: CoverTerms,
  rating: FinancialRating | null | undefined,
  requirements: InsuranceRequirements,
): RequirementCheck[] {
  const { currency } = terms;
  const money = (minor: bigint) => `${formatAmount(minor, currency)} ${currency}`;
  const inCurrency = (amount: string) => {
    const parsed = parseAmount(amount, currency);
    if (!parsed.ok) throw new Error(`insurance requirement ${amount} cannot be expressed in ${currency}`);
    return parsed.minor;
  };
  const minPerOccurrence = inCurrency(requirements.minPerOccurrence);
  const minAggregate = inCurrency(requirements.minAggregate);
  const maxDeductible = inCurrency(requirements.maxDeductible);
  return [
    {
      requirement: InsuranceRequirement.PER_OCCURRENCE_LIMIT,
      passed: terms.perOccurrenceLimitMinor >= minPerOccurrence,
      required: `at least ${money(minPerOccurrence)} per occurrence`,
      actual: money(terms.perOccurrenceLimitMinor),
    },
    {
      requirement: InsuranceRequirement.AGGREGATE_LIMIT,
      passed: terms.aggregateLimitMinor >= minAggregate,
      required: `at least ${money(minAggregate)} in aggregate`,
      actual: money(terms.aggregateLimitMinor),
    },
    {
      requirement: InsuranceRequirement.DEDUCTIBLE,
      passed: terms.deductibleMinor <= maxDeductible,
      required: `at most ${money(maxDeductible)}`,
      actual: money(terms.deductibleMinor),
    },
    {
      requirement: InsuranceRequirement.INSURER_RATING,
      passed: Boolean(rating && ratingAtLeast(rating, requirements.minRating)),
      required: `${ratingLabel(requirements.minRating)} or better`,
      actual: rating ? ratingLabel(rating) : 'not rated',
    },
    {
      requirement: InsuranceRequirement.ADDITIONAL_INSURED,
      passed: !requirements.additionalInsured || terms.additionalInsured,
      required: requirements.additionalInsured ? 'the marketplace named as additional insured' : 'none',
      actual: terms.additionalInsured ? 'named' : 'not named',
    },
  ];
}

/** "PER_OCCURRENCE_LIMIT (required at least …, has …)" for each failed check, joined. */
export function describeFailures(checks: RequirementCheck[]): string {
  return checks
    .filter((check) => !check.passed)
    .map((check) => `${check.requirement} (required ${check.required}, has ${check.actual})`)
    .join('; ');
}
