/**
 * Opaque global ids: base64url of "Type:localId". Clients must not parse them; the type prefix
 * lets `node(id:)` dispatch and stops an id of one type being used for another.
 */
export type NodeType =
  | 'Claim'
  | 'ClaimEvent'
  | 'ClaimEvidence'
  | 'ClaimDecision'
  | 'FraudReview'
  | 'Customer'
  | 'Seller'
  | 'Product'
  | 'Order'
  | 'Payout'
  | 'Recovery'
  | 'ProductDefence'
  | 'InsuranceProvider'
  | 'InsurancePolicy'
  | 'InsuranceQuote'
  | 'InsuranceQuoteRequest';

export function toGlobalId(type: NodeType, id: number | string): string {
  return Buffer.from(`${type}:${id}`, 'utf8').toString('base64url');
}

export interface DecodedGlobalId {
  /** A NodeType when the id is one of ours. */
  type: string;
  id: number;
}

/** Null for anything that is not a well-formed global id with a positive integer local id. */
export function decodeGlobalId(globalId: string): DecodedGlobalId | null {
  if (typeof globalId !== 'string' || globalId.length === 0 || globalId.length > 200) return null;
  if (!/^[A-Za-z0-9_-]+$/.test(globalId)) return null;
  const decoded = Buffer.from(globalId, 'base64url').toString('utf8');
  const match = /^([A-Za-z]+):([1-9][0-9]{0,15})$/.exec(decoded);
  if (!match) return null;
  const id = Number(match[2]);
  return Number.isSafeInteger(id) ? { type: match[1], id } : null;
}

/** The local id when `globalId` names an object of `type`, otherwise null. */
export function localIdOf(globalId: string, type: NodeType): number | null {
  const decoded = decodeGlobalId(globalId);
  return decoded && decoded.type === type ? decoded.id : null;
}
