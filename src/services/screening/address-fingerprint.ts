import { createHash } from 'node:crypto';
import { normalisedWords } from './description-similarity';

/**
 * The fingerprint of a delivery address: sha256 of its words, lower-cased, without accents or
 * punctuation, so "12 Elm St., Apt 4" and "12 elm st apt 4" match. Null for an address with no
 * words.
 */
export function addressFingerprint(address: string): string | null {
  const words = normalisedWords(address);
  return words.length === 0 ? null : createHash('sha256').update(words.join(' ')).digest('hex');
}
