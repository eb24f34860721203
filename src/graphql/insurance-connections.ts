import { InsurancePolicy } from '../entities/insurance-policy.entity';
import { InsuranceProvider } from '../entities/insurance-provider.entity';
import { InsuranceQuoteRequest } from '../entities/insurance-quote-request.entity';
import { InsuranceQuote } from '../entities/insurance-quote.entity';
import { ConnectionType } from './connection.type';

export const InsuranceProviderConnection = ConnectionType(
  InsuranceProvider,
  'InsuranceProvider',
  'insurance providers',
);
export type InsuranceProviderConnection = InstanceType<typeof InsuranceProviderConnection>;

export const InsuranceQuoteRequestConnection = ConnectionType(
  InsuranceQuoteRequest,
  'InsuranceQuoteRequest',
  'quote requests',
);
export type InsuranceQuoteRequestConnection = InstanceType<typeof InsuranceQuoteRequestConnection>;

export const InsuranceQuoteConnection = ConnectionType(InsuranceQuote, 'InsuranceQuote', 'quotes');
export type InsuranceQuoteConnection = InstanceType<typeof InsuranceQuoteConnection>;

export const InsurancePolicyConnection = ConnectionType(
  InsurancePolicy,
  'InsurancePolicy',
  'insurance policies',
);
export type InsurancePolicyConnection = InstanceType<typeof InsurancePolicyConnection>;
