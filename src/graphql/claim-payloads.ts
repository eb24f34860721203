import { ClaimPayload } from './claim-payload';

export const FileClaimPayload = ClaimPayload('FileClaimPayload');
export const AddClaimEvidencePayload = ClaimPayload('AddClaimEvidencePayload');
export const RespondToClaimPayload = ClaimPayload('RespondToClaimPayload');
export const RecordClaimPaymentPayload = ClaimPayload('RecordClaimPaymentPayload');
export const ReviewClaimPayload = ClaimPayload('ReviewClaimPayload');
export const WithdrawClaimPayload = ClaimPayload('WithdrawClaimPayload');
export const AppealClaimPayload = ClaimPayload('AppealClaimPayload');
export const SubmitProductDefencePayload = ClaimPayload('SubmitProductDefencePayload');
export const DecideProductDefencePayload = ClaimPayload('DecideProductDefencePayload');
export const RecordRecoveryPaymentPayload = ClaimPayload('RecordRecoveryPaymentPayload');
