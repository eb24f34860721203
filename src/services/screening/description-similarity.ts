/**
 * Near-identical descriptions across claimants, found without comparing a claim with every other:
 * each description becomes a set of word shingles, summarised by a MinHash signature cut into
 * bands. Two descriptions share a band with high probability when their shingle sets are similar
 * (Jaccard ≥ 0.6 shares one of 20 bands of 3 with probability 0.99), so the stored bands act as
 * an index of candidates; each candidate is then compared exactly.
 */

const SHINGLE_WORDS = 3;
const BANDS = 20;
const ROWS_PER_BAND = 3;
const SIGNATURE_LENGTH = BANDS * ROWS_PER_BAND;

/** Lower-case words without accents or punctuation: what two copies of a text keep in common. */
export function normalisedWords(text: string): string[] {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

/** The set of runs of three consecutive words (one run for shorter texts). */
export function shingles(text: string): Set<string> {
  const words = normalisedWords(text);
  if (words.length <= SHINGLE_WORDS) return new Set(words.length > 0 ? [words.join(' ')] : []);
  const result = new Set<string>();
  for (let i = 0; i + SHINGLE_WORDS <= words.length; i++)
    result.add(words.slice(i, i + SHINGLE_WORDS).join(' '));
  return result;
}

/** Jaccard similarity of two shingle sets: shared over combined. */
export function jaccard(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let shared = 0;
  for (const item of a) if (b.has(item)) shared++;
  return shared / (a.size + b.size - shared);
}

/** Band keys of the description's MinHash signature; the same text always gives the same keys. */
export function similarityBands(text: string): string[] {
  return bandsOfShingles(shingles(text));
}

/** `similarityBands` of a text whose shingles are already known. */
export function bandsOfShingles(set: ReadonlySet<string>): string[] {
  if (set.size === 0) return [];
  const signature = new Uint32Array(SIGNATURE_LENGTH).fill(0xffffffff);
  for (const shingle of set) {
    const base = fnv1a(shingle);
    for (let i = 0; i < SIGNATURE_LENGTH; i++) {
      const value = mix(base ^ SEEDS[i]);
      if (value < signature[i]) signature[i] = value;
    }
  }
  // Put together from a table of hex pairs: formatting each row with toString(16) took eight
  // times as long as working out the whole signature (runs in every filing and every screening).
  const bands: string[] = [];
  for (let band = 0; band < BANDS; band++) {
    let key = BAND_PREFIXES[band];
    for (let row = band * ROWS_PER_BAND; row < (band + 1) * ROWS_PER_BAND; row++) key += hex8(signature[row]);
    bands.push(key);
  }
  return bands;
}

/** "00:" … "19:", each band key's start. */
const BAND_PREFIXES = Array.from({ length: BANDS }, (_, band) => `${band.toString().padStart(2, '0')}:`);
const HEX_PAIRS = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

/** An unsigned 32-bit value as eight lower-case hex digits. */
function hex8(value: number): string {
  return (
    HEX_PAIRS[value >>> 24] +
    HEX_PAIRS[(value >>> 16) & 0xff] +
    HEX_PAIRS[(value >>> 8) & 0xff] +
    HEX_PAIRS[value & 0xff]
  );
}

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** MurmurHash3's finaliser: spreads every input bit over the output. */
function mix(value: number): number {
  let h = value >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** One fixed seed per signature row, so signatures stay comparable across processes and releases. */
const SEEDS = Uint32Array.from({ length: SIGNATURE_LENGTH }, (_, i) => mix(Math.imul(i + 1, 0x9e3779b1)));
