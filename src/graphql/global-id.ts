import { badUserInput } from '../errors';

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
  | 'InsuranceQuoteRequest'
  | 'Notification'
  | 'WebhookEndpoint'
  | 'WebhookDelivery';

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

/** Names no row: database ids start at 1. */
export const NO_SUCH_ID = 0;

/**
 * The local id a client's global id names, decoded where the request enters (resolvers), so that
 * services speak local ids only. An id that is malformed or of another type becomes NO_SUCH_ID,
 * which finds nothing: the service answers it as it answers any unknown id.
 */
export function idOf(globalId: string, type: NodeType): number {
  return localIdOf(globalId, type) ?? NO_SUCH_ID;
}

/** `idOf` for an optional argument: null stays null (not given). */
export function optionalIdOf(globalId: string | null | undefined, type: NodeType): number | null {
  return globalId == null ? null : idOf(globalId, type);
}

/** For an id that selects rather than names (a filter): not an id of `type` is BAD_USER_INPUT. */
export function filterIdOf(globalId: string, type: NodeType, argument: string): number {
  const id = localIdOf(globalId, type);
  if (id === null) throw badUserInput(`${argument} is not a ${type} id`, argument);
  return id;
}
