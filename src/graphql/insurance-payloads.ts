import { InsurancePolicy } from '../entities/insurance-policy.entity';
import { InsuranceProvider } from '../entities/insurance-provider.entity';
import { InsuranceQuoteRequest } from '../entities/insurance-quote-request.entity';
import { InsuranceQuote } from '../entities/insurance-quote.entity';
import { SellerInsuranceProfile } from '../entities/seller-insurance-profile.entity';
import { PayloadType } from './payload.type';

export const InsuranceProviderPayload = PayloadType(
  'InsuranceProviderPayload',
  'provider',
  () => InsuranceProvider,
);
export const UpdateSellerInsuranceProfilePayload = PayloadType(
  'UpdateSellerInsuranceProfilePayload',
  'profile',
  () => SellerInsuranceProfile,
);
export const RequestInsuranceQuotesPayload = PayloadType(
  'RequestInsuranceQuotesPayload',
  'quoteRequest',
  () => InsuranceQuoteRequest,
);
export const InsuranceQuotePayload = PayloadType('InsuranceQuotePayload', 'quote', () => InsuranceQuote);
export const BindInsuranceQuotePayload = PayloadType(
  'BindInsuranceQuotePayload',
  'policy',
  () => InsurancePolicy,
  'The policy, verified by construction, active from the cover start.',
);
export const InsurancePolicyPayload = PayloadType('InsurancePolicyPayload', 'policy', () => InsurancePolicy);
