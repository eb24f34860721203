import { describe, expect, it } from 'vitest';
import { jaccard, shingles, similarityBands } from '../src/services/screening/description-similarity';

// Band keys are stored with every filing and looked up by later ones: a release that computed
// other keys for the same text would stop finding every claim filed before it.

describe('the band keys of a description', () => {
  it('are the keys stored by earlier releases', () => {
    expect(
      similarityBands(
        'The heater overheated and scorched the floor: smoke, a burning smell, and a melted plug.',
      ),
    ).toEqual([
      '00:053a147405814f2c12e3c464',
      '01:131768410399359f00c695aa',
      '02:0212b78904d344921f4aef01',
      '03:09d4b1912bf5f3232adeab2e',
      '04:091aec1a109aa94804d1ab9b',
      '05:08b18ecd05f81d3c0fb60db4',
      '06:06acc28004ded9072fc53bd1',
      '07:0c8ec9074ed63bd41e505fa2',
      '08:0a25838409fed62322f73599',
      '09:246b1ae7044f5974136c3e87',
      '10:5a37a69f096ebfe51d4057de',
      '11:092975eb0829122d0b1119b8',
      '12:0a69126e0db775990520a400',
      '13:0cdd98b00e9a15f20dd7ddcc',
      '14:11f612f327ad10ab27727ef1',
      '15:1d735c2f0beeb98b1d8f51c2',
      '16:23420c0a054d84b7149e6cef',
      '17:139936980f13f32c1c01d49f',
      '18:07793c112507a308203b972c',
      '19:2465fc511952b55d1086c31f',
    ]);
    // Rows with high bits set, where a signed or unpadded hex form would differ.
    expect(similarityBands('Café crème — déjà vu')).toEqual([
      '00:2fbca2c661ff3fb90e4da439',
      '01:9da382ad48c40fc013f6af51',
      '02:3adb1ea682f8e7f046cb750e',
      '03:5edd2992543ea3f68eba38af',
      '04:1f5a04a22d4de89f2f2d4508',
      '05:31cde8061b0b4abd5ada8942',
      '06:360a0e5e5ad114844df4b3ae',
      '07:e571f11f8f7ef6782e80e6db',
      '08:5bc7e115da442560123861f7',
      '09:53e62e7683f66cbf401ee534',
      '10:867b92c08542d5ff2578496c',
      '11:68ba76a36e9dc70a3dee2d8c',
      '12:97a76d9aa8590a77c1fd2869',
      '13:4f7a80d0a9cbf2f40702c3bd',
      '14:3a32ec7226b9a19b24767807',
      '15:1e0bc8a95adbdb8fb562de37',
      '16:2b9edf3a5ebc06340b824328',
      '17:4dd6335b18cc0f57cf212fc1',
      '18:0cfd08daa31af54921ee0b5a',
      '19:bb8968d63d111d2f08f3f792',
    ]);
  });

  it('are the same for a copy that differs only in case, accents and punctuation, and none for no words', () => {
    expect(similarityBands('CAFE, creme... deja-vu!')).toEqual(similarityBands('Café crème — déjà vu'));
    expect(similarityBands(' — !? ')).toEqual([]);
  });

  it('share a band for a near copy and none for an unrelated text', () => {
    const original =
      'the kettle switched itself on at night and the base melted into the kitchen worktop leaving a black burn mark';
    const nearCopy =
      'the kettle switched itself on at night and the base melted into the kitchen worktop leaving a deep burn mark';
    const unrelated =
      'a ladder rung snapped under light load and I fell onto the patio breaking my wrist in two places';
    expect(jaccard(shingles(original), shingles(nearCopy))).toBeGreaterThan(0.6);
    const bands = new Set(similarityBands(original));
    expect(similarityBands(nearCopy).some((band) => bands.has(band))).toBe(true);
    expect(similarityBands(unrelated).some((band) => bands.has(band))).toBe(false);
  });
});
