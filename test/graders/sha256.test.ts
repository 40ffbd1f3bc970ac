import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { nodeSha256 } from '../../functions/node-sha256.ts';
import { digest, jsonDigest, Sha256, sha256Hex } from '../../graders/sha256.ts';

describe('sha256Hex', () => {
  const vectors: { name: string; input: string; hex: string }[] = [
    { name: 'empty', input: '', hex: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' },
    { name: 'abc', input: 'abc', hex: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad' },
    {
      name: '448-bit message (two blocks)',
      input: 'abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq',
      hex: '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    },
    {
      name: '896-bit message',
      input:
        'abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu',
      hex: 'cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1',
    },
  ];
  for (const v of vectors) {
    it(`FIPS 180-4 vector: ${v.name}`, () => expect(sha256Hex(v.input)).toBe(v.hex));
  }

  it('one million "a" (NIST long vector)', () => {
    expect(sha256Hex('a'.repeat(1_000_000))).toBe(
      'cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0',
    );
  });

  it('agrees with node:crypto on lengths around the padding boundary and on UTF-8 text', () => {
    for (let n = 0; n < 140; n++) {
      const text = `é${'x'.repeat(n)}☃`;
      expect(sha256Hex(text)).toBe(createHash('sha256').update(text, 'utf8').digest('hex'));
    }
  });
});

describe('Sha256 (incremental)', () => {
  const text = 'héllo wörld, ünïcode ✓ '.repeat(40);
  // Chunk sizes around the 64-byte block edge, fixed so the test repeats exactly.
  for (const size of [1, 3, 55, 56, 63, 64, 65, 127, 1000]) {
    it(`chunks of ${size} characters give the one-shot digest`, () => {
      const h = new Sha256();
      for (let i = 0; i < text.length; i += size) h.update(text.slice(i, i + size));
      expect(h.hex()).toBe(createHash('sha256').update(text).digest('hex'));
    });
  }
  it('mixes bytes and strings', () => {
    const h = new Sha256().update(new Uint8Array([0x61, 0x62])).update('c');
    expect(h.hex()).toBe(sha256Hex('abc'));
  });
});

describe('jsonDigest streams exactly JSON.stringify', () => {
  const cases: { name: string; value: unknown }[] = [
    { name: 'a trace-shaped object', value: { endAt: 5, records: [{ a: 1 }, { b: [1, 2] }], notes: [] } },
    {
      name: 'undefined members are left out, in arrays they are null',
      value: { a: undefined, b: [undefined, 1], c: 2 },
    },
    { name: 'nested beyond the streamed depth', value: [[[{ x: 'ü' }]], { y: { z: [null] } }] },
    { name: 'scalars', value: 'text "quoted"' },
    { name: 'empty containers', value: { a: {}, b: [] } },
    {
      name: 'several 16 K chunks, a multi-byte character across a chunk edge',
      value: { logs: Array.from({ length: 3000 }, (_, i) => ({ i, line: `é${'x'.repeat(i % 40)}😀` })) },
    },
  ];
  for (const c of cases) {
    it(c.name, () => expect(jsonDigest(c.value)).toBe(digest(JSON.stringify(c.value))));
    it(`${c.name}, with node:crypto's hash (the adapters')`, () =>
      expect(jsonDigest(c.value, { sha256: nodeSha256 })).toBe(jsonDigest(c.value)));
  }
});
