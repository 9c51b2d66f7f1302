import t from 'tap';
import { RngStream, categoryOf, countersFor, dropThreshold, normals, philox4x32, uniforms } from '../ts/rng.js';

const hex = (a: Uint32Array) => [...a].map((x) => x.toString(16).padStart(8, '0')).join(' ');

// Random123's kat_vectors for philox4x32 with 10 rounds.
const KAT: [number[], number[], string][] = [
  [[0, 0, 0, 0], [0, 0], '6627e8d5 e169c58d bc57ac4c 9b00dbd8'],
  [[0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff], [0xffffffff, 0xffffffff], '408f276d 41c83b0e a20bc7c6 6d5451fd'],
  [[0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344], [0xa4093822, 0x299f31d0], 'd16cfe09 94fdcceb 5001e420 24126ea1'],
];

t.test('philox4x32-10 matches the Random123 known-answer vectors', async (t) => {
  for (const [ctr, key, want] of KAT) t.equal(hex(philox4x32(ctr, key, new Uint32Array(4))), want, `ctr ${ctr} key ${key}`);
});

t.test('each counter yields four elements; offsets address counters', async (t) => {
  t.equal(countersFor(0), 0);
  t.equal(countersFor(1), 1);
  t.equal(countersFor(8), 2);
  t.equal(countersFor(9), 3);
  const all = uniforms(7, 0, 12);
  t.same([...uniforms(7, 1, 8)], [...all.subarray(4)], 'offset 1 starts at element 4');
  const far = uniforms(7, 2 ** 40, 4);
  t.not(far[0], all[0], 'offsets beyond 2^32 give other numbers');
});

t.test('uniforms and normals have the right moments', async (t) => {
  const n = 200000;
  const u = uniforms(42, 0, n);
  const z = normals(42, 0, n);
  const mean = (a: Float64Array) => a.reduce((s, x) => s + x, 0) / a.length;
  const varOf = (a: Float64Array) => {
    const m = mean(a);
    return a.reduce((s, x) => s + (x - m) ** 2, 0) / a.length;
  };
  t.ok(Math.abs(mean(u) - 0.5) < 0.005, `uniform mean ${mean(u)}`);
  t.ok(Math.abs(varOf(u) - 1 / 12) < 0.002, `uniform variance ${varOf(u)}`);
  t.ok(u.every((x) => x >= 0 && x < 1), 'uniforms in [0, 1)');
  t.ok(Math.abs(mean(z)) < 0.01, `normal mean ${mean(z)}`);
  t.ok(Math.abs(varOf(z) - 1) < 0.01, `normal variance ${varOf(z)}`);
});

t.test('dropout threshold and categories are exact integer maps', async (t) => {
  t.equal(dropThreshold(0), 0);
  t.equal(dropThreshold(0.25), 4194304);
  t.equal(categoryOf(0, 10), 0);
  t.equal(categoryOf(0xffffffff, 10), 9);
  t.equal(categoryOf(0x80000000, 10), 5);
});

t.test('RngStream hands out disjoint counter ranges', async (t) => {
  const s = new RngStream(3);
  t.same(s.take(10), { seed: 3, offset: 0 });
  t.same(s.take(1), { seed: 3, offset: 3 });
  t.equal(s.offset, 4);
  t.throws(() => new RngStream(-1), /seed must be a non-negative safe integer/);
});
