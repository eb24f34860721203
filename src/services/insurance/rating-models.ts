import type { QuotedProfile } from '../../entities/insurance-quote-request.entity';
import type { RatingFactor } from '../../entities/insurance-quote.entity';
import { parseAmount } from '../money/money';

/** Factors are integers in thousandths (1250 = ×1.25): premiums never pass through a float. */
const ONE = 1000n;

interface CoverOption {
  perOccurrence: string;
  aggregate: string;
  deductible: string;
  additionalInsured: boolean;
  /** Price of this option relative to the base option. */
  factor: number;
}

/**
 * How a built-in provider prices product-liability cover: the annual premium is the base premium ×
 * category risk × revenue band × loss history × the option chosen. A model also has an appetite:
 * categories it declines, how many paid claims and how few years in business it accepts.
 */
export interface RatingModel {
  id: string;
  currency: string;
  basePremium: string;
  declinedCategories: string[];
  /** Thousandths per category; categories not listed count as 1000. The riskiest category prices. */
  categoryFactors: Record<string, number>;
  /** Ascending: the first band whose `below` the revenue is under; `below: null` ends the list. */
  revenueBands: { below: string | null; factor: number }[];
  /** The highest band reached by the paid claims of the last three years. */
  lossFactors: { paidClaimsAtLeast: number; factor: number }[];
  /** Paid claims in three years from which the model declines. */
  declineFromPaidClaims: number;
  minYearsInBusiness: number;
  options: CoverOption[];
  /** How long an offer can be bound. */
  validDays: number;
}

export const RATING_MODELS: Record<string, RatingModel> = {
  GENERAL_MERCHANDISE: {
    id: 'GENERAL_MERCHANDISE',
    currency: 'USD',
    basePremium: '950.00',
    declinedCategories: ['firearms', 'e-cigarettes'],
    categoryFactors: {
      electronics: 1400,
      home: 1100,
      toys: 1300,
      baby: 1500,
      beauty: 1200,
      sports: 1150,
      automotive: 1350,
    },
    revenueBands: [
      { below: '250000.00', factor: 800 },
      { below: '1000000.00', factor: 1000 },
      { below: '5000000.00', factor: 1500 },
      { below: '20000000.00', factor: 2400 },
      { below: null, factor: 3500 },
    ],
    lossFactors: [
      { paidClaimsAtLeast: 0, factor: 900 },
      { paidClaimsAtLeast: 1, factor: 1100 },
      { paidClaimsAtLeast: 3, factor: 1500 },
      { paidClaimsAtLeast: 5, factor: 2200 },
    ],
    declineFromPaidClaims: 8,
    minYearsInBusiness: 0,
    options: [
      {
        perOccurrence: '1000000.00',
        aggregate: '2000000.00',
        deductible: '5000.00',
        additionalInsured: true,
        factor: 1000,
      },
      {
        perOccurrence: '2000000.00',
        aggregate: '4000000.00',
        deductible: '2500.00',
        additionalInsured: true,
        factor: 1550,
      },
      {
        perOccurrence: '1000000.00',
        aggregate: '1000000.00',
        deductible: '10000.00',
        additionalInsured: true,
        factor: 850,
      },
    ],
    validDays: 30,
  },
  ELECTRONICS_SPECIALIST: {
    id: 'ELECTRONICS_SPECIALIST',
    currency: 'USD',
    basePremium: '1100.00',
    declinedCategories: ['baby', 'toys', 'firearms'],
    categoryFactors: { electronics: 1000, home: 1200, automotive: 1250 },
    revenueBands: [
      { below: '500000.00', factor: 900 },
      { below: '2500000.00', factor: 1200 },
      { below: null, factor: 2000 },
    ],
    lossFactors: [
      { paidClaimsAtLeast: 0, factor: 950 },
      { paidClaimsAtLeast: 2, factor: 1300 },
      { paidClaimsAtLeast: 4, factor: 1800 },
    ],
    declineFromPaidClaims: 6,
    minYearsInBusiness: 1,
    options: [
      {
        perOccurrence: '1000000.00',
        aggregate: '2000000.00',
        deductible: '10000.00',
        additionalInsured: true,
        factor: 1000,
      },
      {
        perOccurrence: '2000000.00',
        aggregate: '2000000.00',
        deductible: '5000.00',
        additionalInsured: true,
        factor: 1400,
      },
    ],
    validDays: 21,
  },
  /** Cheap cover that does not meet the marketplace's requirements: the checks tell sellers why. */
  BUDGET_CARRIER: {
    id: 'BUDGET_CARRIER',
    currency: 'USD',
    basePremium: '600.00',
    declinedCategories: [],
    categoryFactors: { electronics: 1200, baby: 1300 },
    revenueBands: [
      { below: '1000000.00', factor: 1000 },
      { below: null, factor: 1800 },
    ],
    lossFactors: [
      { paidClaimsAtLeast: 0, factor: 1000 },
      { paidClaimsAtLeast: 3, factor: 1400 },
    ],
    declineFromPaidClaims: 10,
    minYearsInBusiness: 0,
    options: [
      {
        perOccurrence: '500000.00',
        aggregate: '1000000.00',
        deductible: '5000.00',
        additionalInsured: false,
        factor: 700,
      },
      {
        perOccurrence: '1000000.00',
        aggregate: '1000000.00',
        deductible: '25000.00',
        additionalInsured: true,
        factor: 1000,
      },
    ],
    validDays: 14,
  },
};

export interface PricedOption {
  perOccurrenceLimitMinor: bigint;
  aggregateLimitMinor: bigint;
  deductibleMinor: bigint;
  additionalInsured: boolean;
  annualPremiumMinor: bigint;
  ratingFactors: RatingFactor[];
}

export type RatingResult = { declined: true; reason: string } | { declined: false; options: PricedOption[] };

function minor(amount: string, currency: string): bigint {
  const parsed = parseAmount(amount, currency);
  if (!parsed.ok) throw new Error(`rating model amount ${amount} is not valid in ${currency}`);
  return parsed.minor;
}

/** 1250 → "1.250". */
function thousandths(factor: number): string {
  return `${Math.trunc(factor / 1000)}.${String(factor % 1000).padStart(3, '0')}`;
}

/** Prices every option of `model` for the profile, or declines with the reason. Deterministic. */
export function rate(model: RatingModel, profile: QuotedProfile): RatingResult {
  if (profile.currency !== model.currency) {
    return { declined: true, reason: `writes cover for revenue reported in ${model.currency} only` };
  }
  const declined = profile.productCategories.filter((category) =>
    model.declinedCategories.includes(category),
  );
  if (declined.length > 0)
    return { declined: true, reason: `does not insure products in: ${declined.join(', ')}` };
  if (profile.yearsInBusiness < model.minYearsInBusiness) {
    return {
      declined: true,
      reason: `insures sellers with at least ${model.minYearsInBusiness} year(s) in business`,
    };
  }
  const paid = profile.claimsHistory.paidClaims;
  if (paid >= model.declineFromPaidClaims) {
    return {
      declined: true,
      reason: `declines sellers with ${model.declineFromPaidClaims} or more paid claims in ${profile.claimsHistory.windowYears} years`,
    };
  }

  const riskiest = profile.productCategories
    .map((category) => ({ category, factor: model.categoryFactors[category] ?? 1000 }))
    .reduce((worst, next) => (next.factor > worst.factor ? next : worst), {
      category: 'general merchandise',
      factor: 1000,
    });
  const revenue = BigInt(profile.annualRevenueMinor);
  const band = model.revenueBands.find(
    (candidate) => candidate.below === null || revenue < minor(candidate.below, model.currency),
  )!;
  const loss = model.lossFactors.filter((candidate) => paid >= candidate.paidClaimsAtLeast).at(-1)!;
  const common: RatingFactor[] = [
    {
      name: 'category',
      factor: thousandths(riskiest.factor),
      reason: `riskiest category: ${riskiest.category}`,
    },
    {
      name: 'revenue',
      factor: thousandths(band.factor),
      reason:
        band.below === null
          ? 'revenue above the highest band'
          : `revenue below ${band.below} ${model.currency}`,
    },
    {
      name: 'loss history',
      factor: thousandths(loss.factor),
      reason: `${paid} paid claim(s) in ${profile.claimsHistory.windowYears} years`,
    },
  ];
  const base = minor(model.basePremium, model.currency);
  const options = model.options.map((option): PricedOption => {
    const product =
      base * BigInt(riskiest.factor) * BigInt(band.factor) * BigInt(loss.factor) * BigInt(option.factor);
    const divisor = ONE ** 4n;
    return {
      perOccurrenceLimitMinor: minor(option.perOccurrence, model.currency),
      aggregateLimitMinor: minor(option.aggregate, model.currency),
      deductibleMinor: minor(option.deductible, model.currency),
      additionalInsured: option.additionalInsured,
      // Rounded half up to the minor unit.
      annualPremiumMinor: (product * 2n + divisor) / (divisor * 2n),
      ratingFactors: [
        {
          name: 'base premium',
          factor: model.basePremium,
          reason: `${model.basePremium} ${model.currency} a year before factors`,
        },
        ...common,
        {
          name: 'limits and deductible',
          factor: thousandths(option.factor),
          reason: `${option.perOccurrence}/${option.aggregate} with a ${option.deductible} deductible`,
        },
      ],
    };
  });
  return { declined: false, options };
}
