export enum EvidenceKind {
  PHOTO = 'PHOTO',
  VIDEO = 'VIDEO',
  DOCUMENT = 'DOCUMENT',
  RECEIPT = 'RECEIPT',
  /** Medical records carry health information: shown only to those who may see injury details. */
  MEDICAL_RECORD = 'MEDICAL_RECORD',
  EXPERT_REPORT = 'EXPERT_REPORT',
  OTHER = 'OTHER',
}

export const SENSITIVE_EVIDENCE_KINDS: readonly EvidenceKind[] = [EvidenceKind.MEDICAL_RECORD];
