import type { EvidenceKind } from '../../entities/evidence-kind';
import { checkText, TEXT_LIMITS } from '../common/text-input';
import { type UserError, UserErrorCode, userError } from '../common/user-error';

export interface EvidenceRequest {
  kind: EvidenceKind;
  description: string;
  contentHash: string;
  uri: string;
}

/** At most this many items in one request, and on one claim in all. */
export const MAX_EVIDENCE_PER_REQUEST = 20;
export const MAX_EVIDENCE_PER_CLAIM = 100;

const CONTENT_HASH = /^sha256:[0-9a-f]{64}$/;

/** Checks evidence items; returns them normalised, or null after pushing userErrors. */
export function checkEvidence(
  items: EvidenceRequest[],
  field: string[],
  errors: UserError[],
): EvidenceRequest[] | null {
  const before = errors.length;
  if (items.length > MAX_EVIDENCE_PER_REQUEST) {
    errors.push(
      userError(
        field,
        UserErrorCode.TOO_MANY_ITEMS,
        `at most ${MAX_EVIDENCE_PER_REQUEST} evidence items per request`,
      ),
    );
    return null;
  }
  const seen = new Set<string>();
  const checked = items.map((item, index) => {
    const path = [...field, String(index)];
    const description = checkText(
      item.description,
      [...path, 'description'],
      TEXT_LIMITS.evidenceDescription,
      errors,
    );
    const contentHash = item.contentHash.trim().toLowerCase();
    if (!CONTENT_HASH.test(contentHash)) {
      errors.push(
        userError(
          [...path, 'contentHash'],
          UserErrorCode.INVALID_FORMAT,
          'contentHash must be "sha256:" and 64 hex digits',
        ),
      );
    } else if (seen.has(contentHash)) {
      errors.push(
        userError(
          [...path, 'contentHash'],
          UserErrorCode.DUPLICATE_EVIDENCE,
          'the same content appears twice',
        ),
      );
    }
    seen.add(contentHash);
    const uri = checkText(item.uri, [...path, 'uri'], TEXT_LIMITS.uri, errors);
    if (uri !== null && !isHttpsUrl(uri)) {
      errors.push(userError([...path, 'uri'], UserErrorCode.INVALID_FORMAT, 'uri must be an https URL'));
    }
    return { kind: item.kind, description: description ?? '', contentHash, uri: uri ?? '' };
  });
  return errors.length === before ? checked : null;
}

function isHttpsUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' && url.hostname.length > 0 && !url.username && !url.password;
  } catch {
    return false;
  }
}
