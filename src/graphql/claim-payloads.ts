import { Claim } from '../entities/claim.entity';
import { PayloadType } from './payload.type';

export const FileClaimPayload = PayloadType('FileClaimPayload', 'claim', () => Claim);
export const AddClaimEvidencePayload = PayloadType('AddClaimEvidencePayload', 'claim', () => Claim);
export const RespondToClaimPayload = PayloadType('RespondToClaimPayload', 'claim', () => Claim);
export const RecordClaimPaymentPayload = PayloadType('RecordClaimPaymentPayload', 'claim', () => Claim);
export const ReviewClaimPayload = PayloadType('ReviewClaimPayload', 'claim', () => Claim);
export const WithdrawClaimPayload = PayloadType('WithdrawClaimPayload', 'claim', () => Claim);
export const AppealClaimPayload = PayloadType('AppealClaimPayload', 'claim', () => Claim);
export const SubmitProductDefencePayload = PayloadType('SubmitProductDefencePayload', 'claim', () => Claim);
export const DecideProductDefencePayload = PayloadType('DecideProductDefencePayload', 'claim', () => Claim);
export const RecordRecoveryPaymentPayload = PayloadType('RecordRecoveryPaymentPayload', 'claim', () => Claim);
