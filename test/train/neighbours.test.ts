// kthNeighbourDistances: the distance to the k-th nearest other image among the given rows equals a brute-force
// float64 search on the reference backend; the Wasm and cpu backends (float32 GEMM) agree with it to float32
// rounding, from float32 images and from uint8 pixels; with the default block and with small blocks (the rows and
// columns of the Gram matrix in several blocks, the last ones partial).
import t from 'tap';
import { type Backend } from '../../ts/backend/backend.js';
import { cpuStatus } from '../../ts/backend/cpu/index.js';
import { ReferenceBackend } from '../../ts/backend/reference.js';
import { createBackend } from '../../ts/backend/select.js';
import { kthNeighbourDistances } from '../../ts/train/neighbours.js';

const [N, D] = [700, 12];
let state = 12345;
const pixels = Uint8Array.from({ length: N * D }, () => {
  state ^= state << 13;
  state ^= state >>> 17;
  state ^= state << 5;
  return (state >>> 0) % 256;
});
const images = Float32Array.from(pixels, (b) => b / 255);
const rows = Int32Array.from({ length: 600 }, (_, i) => (i * 3) % N); // 600 distinct rows, not in order

function bruteForce(k: number): Float64Array {
  return Float64Array.from(rows, (a) => {
    const d = Array.from(rows, (b) => (a === b ? Infinity : Math.sqrt(Array.from({ length: D }, (_, e) => (images[a * D + e]! - images[b * D + e]!) ** 2).reduce((s, v) => s + v, 0))));
    return d.sort((p, q) => p - q)[k - 1]!;
  });
}

for (const [k, block] of [[1, undefined], [10, undefined], [10, { rows: 64, cols: 100 }]] as const) {
  t.test(`k = ${k}, blocks ${block ? `${block.rows} x ${block.cols}` : 'default'}: reference backend equals brute force`, async (t) => {
    const be = new ReferenceBackend();
    const got = kthNeighbourDistances(be, be.tensor([N, D], images), { rows, k, ...(block ? { block } : {}) });
    const want = bruteForce(k);
    for (let i = 0; i < rows.length; i++) if (Math.abs(got[i]! - want[i]!) > 1e-5 * want[i]!) t.fail(`row ${rows[i]}: ${got[i]} vs ${want[i]}`);
    t.pass('every row');
  });
}

for (const name of ['wasm', 'cpu'] as const) {
  const skip = name === 'cpu' && !cpuStatus().ok ? 'the CPU addon is not usable here' : false;
  t.test(`${name} backend, from float32 images and from pixels: within float32 rounding of brute force`, { skip }, async (t) => {
    const be: Backend = await createBackend(name, { threads: 1 });
    const want = bruteForce(10);
    for (const [what, tensor] of [['float32', be.tensor([N, D], images)], ['pixels', be.pixels([N, D], pixels)]] as const) {
      const got = kthNeighbourDistances(be, tensor, { rows, k: 10, block: { rows: 64, cols: 100 } });
      const worst = Math.max(...Array.from(got, (g, i) => Math.abs(g - want[i]!) / want[i]!));
      t.ok(worst < 1e-4, `${what}: worst relative difference ${worst}`);
    }
    be.dispose();
  });
}

t.test('k out of range: a RangeError naming it', async (t) => {
  const be = new ReferenceBackend();
  t.throws(() => kthNeighbourDistances(be, be.tensor([N, D], images), { rows, k: 600 }), { message: 'kthNeighbourDistances: k must be an integer in [1, 600), got 600' });
});
