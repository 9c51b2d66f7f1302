// Every op of the Wasm backend (relaxed and plain builds, 1 and 2 threads) and of the explorer page's
// single-threaded BrowserWasmBackend (both browser builds, an ordinary memory) against the float64 reference.
import t, { type Test } from 'tap';
import { type Activation, type Backend, type Tensor } from '../../ts/backend/backend.js';
import { ReferenceBackend } from '../../ts/backend/reference.js';
import { BrowserWasmBackend } from '../../ts/backend/wasm/browser-backend.js';
import { readWasmBuild } from '../../ts/backend/wasm/loader.js';
import { WasmBackend } from '../../ts/backend/wasm/wasm-backend.js';
import { firstMismatch, randomArray } from '../helpers/data.js';

const ref = new ReferenceBackend();
const configs = [
  { simd: 'relaxed', threads: 1 },
  { simd: 'relaxed', threads: 2 },
  { simd: 'plain', threads: 1 },
  { simd: 'plain', threads: 2 },
] as const;
const backends: { name: string; be: Backend }[] = [];
t.before(async () => {
  for (const c of configs) backends.push({ name: `${c.simd}/${c.threads}t`, be: await WasmBackend.create(c) });
  for (const simd of ['relaxed', 'plain'] as const) backends.push({ name: `browser ${simd}`, be: await BrowserWasmBackend.create(readWasmBuild, simd) });
});
t.teardown(() => {
  for (const { be } of backends) be.dispose();
});

/** Runs `op` on the reference and every Wasm backend with the same uploaded inputs; compares the named outputs. */
function parity(
  tt: Test,
  label: string,
  inputs: Record<string, { shape: number[]; data?: Float32Array }>,
  op: (be: Backend, x: Record<string, Tensor>) => void,
  outputs: string[],
  tol = { atol: 1e-5, rtol: 1e-4 },
): void {
  const run = (be: Backend) => {
    const x: Record<string, Tensor> = {};
    for (const [k, v] of Object.entries(inputs)) x[k] = be.tensor(v.shape, v.data ?? new Float32Array(v.shape.reduce((a, b) => a * b, 1)));
    op(be, x);
    const out = outputs.map((k) => be.download(x[k]!));
    for (const v of Object.values(x)) be.free(v);
    return out;
  };
  const want = run(ref);
  for (const { name, be } of backends) {
    const got = run(be);
    outputs.forEach((k, i) => {
      const bad = firstMismatch(got[i]!, want[i]!, tol.atol, tol.rtol);
      if (bad !== null) tt.fail(`${label} [${name}] ${k}: ${bad}`);
    });
  }
  tt.pass(label);
}

const acts: Activation[] = ['none', 'relu', 'sigmoid'];

t.test('matmul: awkward shapes, all transposes, accumulate onto non-zero outputs, fused bias and activation', async (t) => {
  const shapes = [[1, 1, 1], [7, 13, 1], [1, 7, 13], [13, 7, 100], [7, 100, 13], [100, 13, 7], [13, 1000, 7], [100, 1000, 1], [33, 65, 17]];
  let seed = 1;
  for (const [M, K, N] of shapes as [number, number, number][]) {
    for (const transA of [false, true]) {
      for (const transB of [false, true]) {
        const activation = acts[seed % 3]!;
        for (const accumulate of [false, true]) {
          const withBias = (seed + +accumulate) % 2 === 0;
          seed++;
          parity(
            t,
            `(${M},${K},${N}) transA=${transA} transB=${transB} acc=${accumulate} bias=${withBias} ${activation}`,
            {
              a: { shape: transA ? [K, M] : [M, K], data: randomArray(M * K, seed) },
              b: { shape: transB ? [N, K] : [K, N], data: randomArray(K * N, seed + 100) },
              bias: { shape: [N], data: randomArray(N, seed + 200) },
              out: { shape: [M, N], data: randomArray(M * N, seed + 300) },
            },
            (be, x) => be.matmul(x.a!, x.b!, x.out!, { transA, transB, accumulate, activation, ...(withBias ? { bias: x.bias! } : {}) }),
            ['out'],
          );
        }
      }
    }
  }
});

t.test('matmul: skinny shapes (tiny K, M or N: the unpacked paths of asm/gemm-skinny.ts, and the sizes just past them)', async (t) => {
  // [M, K, N]; the larger ones are over the 2-thread threshold, so both threads' shares are checked.
  const shapes = [
    [100, 1, 1000], [100, 2, 784], [7, 16, 13], [100, 13, 1000], [1000, 12, 100], [100, 17, 1000],
    [1, 100, 1000], [2, 7, 13], [3, 100, 1000], [4, 784, 784], [5, 100, 1000],
    [100, 1000, 1], [1000, 100, 2], [100, 784, 4], [13, 7, 3], [1000, 100, 13], [1000, 100, 16], [100, 1000, 5], [100, 100, 17],
  ];
  let seed = 7;
  for (const [M, K, N] of shapes as [number, number, number][]) {
    for (const transA of [false, true]) {
      for (const transB of [false, true]) {
        const activation = acts[seed % 3]!;
        const accumulate = seed % 2 === 0;
        const withBias = seed % 4 < 2;
        seed++;
        parity(
          t,
          `(${M},${K},${N}) transA=${transA} transB=${transB} acc=${accumulate} bias=${withBias} ${activation}`,
          {
            a: { shape: transA ? [K, M] : [M, K], data: randomArray(M * K, seed) },
            b: { shape: transB ? [N, K] : [K, N], data: randomArray(K * N, seed + 100) },
            bias: { shape: [N], data: randomArray(N, seed + 200) },
            out: { shape: [M, N], data: randomArray(M * N, seed + 300) },
          },
          (be, x) => be.matmul(x.a!, x.b!, x.out!, { transA, transB, accumulate, activation, ...(withBias ? { bias: x.bias! } : {}) }),
          ['out'],
        );
      }
    }
  }
});

t.test('matmul: the fused sigmoid over [-100, 100] is within 2 ulp of the f64 sigmoid (packed and skinny paths)', async (t) => {
  // Exact products (x * 1 + zeros), so only the epilogue differs from the reference.
  const M = 1000;
  const x = Float32Array.from({ length: M }, (_, i) => -100 + (200 * i) / (M - 1));
  const tight = { atol: 1e-30, rtol: 2.5e-7 };
  for (const [K, N] of [[17, 24], [1, 1000]] as const) {
    const a = new Float32Array(M * K);
    for (let i = 0; i < M; i++) a[i * K] = x[i]!;
    const b = new Float32Array(K * N);
    for (let j = 0; j < N; j++) b[j] = 1;
    parity(t, `sigmoid epilogue (${M},${K},${N})`, { a: { shape: [M, K], data: a }, b: { shape: [K, N], data: b }, out: { shape: [M, N] } },
      (be, v) => be.matmul(v.a!, v.b!, v.out!, { activation: 'sigmoid' }), ['out'], tight);
  }
});

t.test('matmul: the AAE layer shapes (forward, input gradient, weight gradient)', async (t) => {
  const x = { shape: [100, 784], data: randomArray(78400, 1, 0, 1) };
  const w = { shape: [1000, 784], data: randomArray(784000, 2, -0.05, 0.05) };
  const dy = { shape: [100, 1000], data: randomArray(100000, 3) };
  parity(t, 'forward (100,784)x(1000,784)^T + bias, relu', { x, w, b: { shape: [1000], data: randomArray(1000, 4) }, y: { shape: [100, 1000] } },
    (be, v) => be.matmul(v.x!, v.w!, v.y!, { transB: true, bias: v.b!, activation: 'relu' }), ['y']);
  parity(t, 'input gradient (100,1000)x(1000,784)', { dy, w, dx: { shape: [100, 784] } }, (be, v) => be.matmul(v.dy!, v.w!, v.dx!), ['dx']);
  parity(t, 'weight gradient (100,1000)^T x (100,784), accumulate', { dy, x, dw: { shape: [1000, 784], data: randomArray(784000, 5) } },
    (be, v) => be.matmul(v.dy!, v.x!, v.dw!, { transA: true, accumulate: true }), ['dw']);
});

t.test('elementwise ops on sizes 1, 7, 13, 100, 784, 1000 and 100x1000', async (t) => {
  const shapes = [[1], [7], [13], [100], [784], [1000], [100, 1000]];
  for (const shape of shapes) {
    const n = shape.reduce((a, b) => a * b, 1);
    const s = `[${shape}]`;
    const y = { shape, data: randomArray(n, 1, 0, 1) };
    const dy = { shape, data: randomArray(n, 2) };
    for (const act of acts) parity(t, `activationBackward ${act} ${s}`, { y, dy, dx: { shape } }, (be, x) => be.activationBackward(x.y!, x.dy!, x.dx!, act), ['dx']);
    parity(t, `dropoutBackward ${s}`, { y, dy, dx: { shape } }, (be, x) => be.dropoutBackward(x.dy!, x.y!, x.dx!), ['dx']);
    parity(t, `axpby ${s}`, { y, dy, out: { shape } }, (be, x) => be.axpby(x.y!, x.dy!, x.out!, { alpha: 0.75, beta: -2 }), ['out']);
    parity(t, `fill ${s}`, { out: { shape } }, (be, x) => be.fill(x.out!, -1.5), ['out']);
    parity(t, `sum ${s}`, { dy, out: { shape: [1] } }, (be, x) => be.sum(x.dy!, x.out!), ['out']);
    parity(t, `copy ${s}`, { dy, out: { shape } }, (be, x) => be.copy(x.dy!, x.out!), ['out']);
  }
  for (const [rows, cols] of [[1, 1], [7, 13], [100, 10], [100, 1000], [13, 784]] as [number, number][]) {
    const dy = { shape: [rows, cols], data: randomArray(rows * cols, 3) };
    parity(t, `biasGrad (${rows},${cols}) accumulate`, { dy, db: { shape: [cols], data: randomArray(cols, 4) } },
      (be, x) => be.biasGrad(x.dy!, x.db!, { accumulate: true }), ['db']);
    parity(t, `biasGrad (${rows},${cols})`, { dy, db: { shape: [cols], data: randomArray(cols, 4) } }, (be, x) => be.biasGrad(x.dy!, x.db!), ['db']);
    // out: a relu-then-dropout output (about a third exactly 0); the relaxed build must match too (no relaxed ops).
    const out = { shape: [rows, cols], data: randomArray(rows * cols, 7).map((v) => (v < -0.3 ? 0 : Math.max(v, 0))) };
    for (const db of [undefined, { shape: [cols], data: randomArray(cols, 8) }]) {
      for (const accumulate of db ? [false, true] : [false]) {
        parity(t, `reluDropoutBackward (${rows},${cols})${db ? ' with db' : ''}${accumulate ? ' accumulate' : ''}`, { out, dy, dx: { shape: [rows, cols] }, ...(db ? { db } : {}) },
          (be, x) => be.reluDropoutBackward(x.out!, x.dy!, x.dx!, { p: 0.25, ...(db ? { db: x.db! } : {}), accumulate }), db ? ['dx', 'db'] : ['dx']);
      }
    }
    parity(t, `softmax (${rows},${cols})`, { x: { shape: [rows, cols], data: randomArray(rows * cols, 5, -10, 10) }, out: { shape: [rows, cols] } },
      (be, x) => be.softmax(x.x!, x.out!), ['out']);
    parity(t, `softmaxBackward (${rows},${cols})`,
      { y: { shape: [rows, cols], data: randomArray(rows * cols, 6, 0, 1) }, dy, dx: { shape: [rows, cols] } },
      (be, x) => be.softmaxBackward(x.y!, x.dy!, x.dx!), ['dx']);
  }
});

t.test('copy of column blocks (concatenation and split)', async (t) => {
  const z = { shape: [100, 2], data: randomArray(200, 1) };
  const y = { shape: [100, 10], data: randomArray(1000, 2) };
  parity(t, 'concat [z, y] -> (100, 12)', { z, y, zy: { shape: [100, 12] } }, (be, x) => {
    be.copy(x.z!, x.zy!, { dstCol: 0 });
    be.copy(x.y!, x.zy!, { dstCol: 2 });
  }, ['zy']);
  parity(t, 'split columns 2..12 of (100, 12)', { zy: { shape: [100, 12], data: randomArray(1200, 3) }, y: { shape: [100, 10] } },
    (be, x) => be.copy(x.zy!, x.y!, { srcCol: 2, cols: 10 }), ['y']);
});

t.test('gatherRows', async (t) => {
  const src = { shape: [50, 784], data: randomArray(50 * 784, 1) };
  const idx = { shape: [7], data: Float32Array.of(3, 0, 49, 3, 17, 25, 1) };
  parity(t, 'gather 7 rows of 50', { src, idx, out: { shape: [7, 784] } }, (be, x) => be.gatherRows(x.src!, x.idx!, x.out!), ['out']);
  parity(t, 'gather indices 2..5 of 7 (first = 2)', { src, idx, out: { shape: [3, 784] } }, (be, x) => be.gatherRows(x.src!, x.idx!, x.out!, { first: 2 }), ['out']);
  const be = new ReferenceBackend();
  const s = be.tensor([4, 2], Float32Array.of(0, 1, 10, 11, 20, 21, 30, 31));
  const out = be.tensor([2, 2]);
  be.gatherRows(s, be.tensor([5], Float32Array.of(3, 3, 1, 2, 0)), out, { first: 2 });
  t.same(Array.from(be.download(out)), [10, 11, 20, 21], 'first = 2 takes indices[2] and indices[3]');
});

/** The first element where a and b differ in their bits, or null. */
function firstBitMismatch(a: Float32Array, b: Float32Array): string | null {
  if (a.length !== b.length) return `lengths ${a.length} and ${b.length}`;
  const ua = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const ub = new Uint32Array(b.buffer, b.byteOffset, b.length);
  const i = ua.findIndex((v, k) => v !== ub[k]);
  return i < 0 ? null : `element ${i}: ${a[i]} vs ${b[i]}`;
}

t.test('gatherRows from a pixel tensor: bit-identical to gathering the float32 pixels byte / 255, on every backend', async (t) => {
  // Row r, column c holds byte (7r + c) mod 256: every byte value in every row; 300 * 784 values split over threads.
  const rows = 256;
  const cols = 784;
  const bytes = Uint8Array.from({ length: rows * cols }, (_, i) => (7 * Math.floor(i / cols) + i) % 256);
  const floats = Float32Array.from(bytes, (b) => b / 255);
  const idx = Float32Array.from({ length: 300 }, (_, i) => (i * 37) % rows);
  const all = Float32Array.from({ length: 256 }, (_, b) => b);
  for (const { name, be } of [{ name: 'reference', be: ref as Backend }, ...backends]) {
    const pixels = be.pixels([rows, cols], bytes);
    const src = be.tensor([rows, cols], floats);
    const indices = be.tensor([300], idx);
    for (const [label, first, count] of [['all 300 indices', undefined, 300], ['indices 5..105 (first = 5)', 5, 100]] as const) {
      const fromBytes = be.tensor([count, cols]);
      const fromFloats = be.tensor([count, cols]);
      be.gatherRows(pixels, indices, fromBytes, first === undefined ? {} : { first });
      be.gatherRows(src, indices, fromFloats, first === undefined ? {} : { first });
      const bad = firstBitMismatch(be.download(fromBytes), be.download(fromFloats));
      t.equal(bad, null, `${name}: ${label}`);
      be.free(fromBytes);
      be.free(fromFloats);
    }
    // Every byte value, one per row: row b of a (256, 1) pixel tensor holds byte b.
    const column = be.pixels([256, 1], Uint8Array.from({ length: 256 }, (_, b) => b));
    const out = be.tensor([256, 1]);
    const byteRows = be.tensor([256], all);
    be.gatherRows(column, byteRows, out);
    t.equal(firstBitMismatch(be.download(out), Float32Array.from(all, (b) => Math.fround(b / 255))), null, `${name}: all 256 byte values give Math.fround(b / 255)`);
    for (const x of [pixels, src, indices, column, byteRows, out]) be.free(x);
  }
});

t.test('losses and their gradients', async (t) => {
  // (13, 1261): an odd size over the 2-thread threshold (bceWithSigmoid splits element pairs across threads).
  for (const [rows, cols] of [[1, 1], [7, 13], [100, 784], [100, 10], [13, 1261]] as [number, number][]) {
    const n = rows * cols;
    const y = { shape: [rows, cols], data: randomArray(n, 1, 0, 1) };
    y.data[0] = 0; // saturated outputs exercise the eps
    if (n > 1) y.data[1] = 1;
    const target = { shape: [rows, cols], data: randomArray(n, 2, 0, 1) };
    const loss = { shape: [1] };
    const g = { shape: [rows, cols] };
    parity(t, `bceWithSigmoid (${rows},${cols})`, { y, target, loss, g }, (be, x) => be.bceWithSigmoid(x.y!, x.target!, x.loss!, x.g!), ['loss', 'g']);
    parity(t, `bceWithSigmoid (${rows},${cols}) loss only`, { y, target, loss }, (be, x) => be.bceWithSigmoid(x.y!, x.target!, x.loss!), ['loss']);
    const logits = { shape: [rows, cols], data: randomArray(n, 3, -8, 8) };
    parity(t, `crossEntropy (${rows},${cols})`, { logits, target, loss, g }, (be, x) => be.crossEntropy(x.logits!, x.target!, x.loss!, x.g!), ['loss', 'g']);
    parity(t, `entropy (${rows},${cols})`, { logits, loss, g }, (be, x) => be.entropy(x.logits!, x.loss!, x.g!), ['loss', 'g']);
    parity(t, `entropy (${rows},${cols}) loss only`, { logits, loss }, (be, x) => be.entropy(x.logits!, x.loss!), ['loss']);
    if (cols <= 1024) {
      parity(t, `marginalEntropy (${rows},${cols})`, { logits, loss, g }, (be, x) => be.marginalEntropy(x.logits!, x.loss!, x.g!), ['loss', 'g']);
      parity(t, `marginalEntropy (${rows},${cols}) loss only`, { logits, loss }, (be, x) => be.marginalEntropy(x.logits!, x.loss!), ['loss']);
    }
  }
  for (const n of [1, 7, 100]) {
    const d = (seed: number) => ({ shape: [n, 1], data: randomArray(n, seed, 0, 1) });
    const dReal = d(4);
    const dFake = d(5);
    dFake.data[0] = 1;
    parity(t, `discriminatorLoss ${n}`, { dReal, dFake, loss: { shape: [1] }, gr: { shape: [n, 1] }, gf: { shape: [n, 1] } },
      (be, x) => be.discriminatorLoss(x.dReal!, x.dFake!, x.loss!, x.gr!, x.gf!), ['loss', 'gr', 'gf']);
    parity(t, `generatorLoss ${n}`, { dFake, loss: { shape: [1] }, g: { shape: [n, 1] } },
      (be, x) => be.generatorLoss(x.dFake!, x.loss!, x.g!), ['loss', 'g']);
  }
  // Cluster heads W_c: (d, n) spread over [-3, 3] with eta 2.5 (pairs in and out of reach), the gradient added to a
  // random one; heads 0 and 1 coincide (distance 0: cost eta, no gradient).
  for (const [d, n] of [[2, 3], [2, 16], [2, 30], [3, 10]] as const) {
    const w = randomArray(d * n, 6, -3, 3);
    for (let k = 0; k < d; k++) w[k * n + 1] = w[k * n]!;
    parity(t, `clusterHeadCost (${d},${n})`, { w: { shape: [d, n], data: w }, cost: { shape: [1] }, g: { shape: [d, n], data: randomArray(d * n, 7, -1, 1) } },
      (be, x) => be.clusterHeadCost(x.w!, x.cost!, x.g!, { eta: 2.5, weight: 0.7 }), ['cost', 'g']);
  }
});

t.test('l2NormalizeRows: awkward widths, a zero row, tiny values (a power iteration probe), in place', async (t) => {
  for (const [rows, cols] of [[1, 1], [3, 7], [13, 784], [100, 784]] as const) {
    const data = randomArray(rows * cols, rows + cols, -1, 1);
    data.fill(0, 0, cols); // row 0 is zero: it stays zero
    if (rows > 1) for (let c = 0; c < cols; c++) data[cols + c] = data[cols + c]! * 1e-9;
    parity(t, `l2NormalizeRows (${rows},${cols})`, { x: { shape: [rows, cols], data }, out: { shape: [rows, cols] } },
      (be, x) => be.l2NormalizeRows(x.x!, x.out!, { scale: 2.5 }), ['out']);
    parity(t, `l2NormalizeRows (${rows},${cols}) in place`, { x: { shape: [rows, cols], data } },
      (be, x) => be.l2NormalizeRows(x.x!, x.x!, { scale: 1e-6 }), ['x'], { atol: 1e-12, rtol: 1e-5 });
    parity(t, `l2NormalizeRows (${rows},${cols}) with row scales`, { x: { shape: [rows, cols], data }, s: { shape: [rows, 1], data: randomArray(rows, 5, 0.5, 4) }, out: { shape: [rows, cols] } },
      (be, x) => be.l2NormalizeRows(x.x!, x.out!, { scale: 0.25, rowScales: x.s! }), ['out']);
  }
});

t.test('flagNonFinite: NaN and +-Infinity anywhere set the flag; finite values leave it as it was', async (t) => {
  for (const n of [1, 7, 1000]) {
    for (const [bad, at] of [[NaN, 0], [Infinity, n - 1], [-Infinity, Math.floor(n / 2)], [3.4e38, 0]] as const) {
      const data = randomArray(n, n);
      data[at] = bad;
      for (const start of [0, 1]) {
        parity(t, `flagNonFinite ${n}: ${bad} at ${at}, flag ${start}`, { x: { shape: [n], data }, flag: { shape: [1], data: Float32Array.of(start) } },
          (be, x) => be.flagNonFinite(x.x!, x.flag!), ['flag'], { atol: 0, rtol: 0 });
      }
    }
  }
  const ref = new ReferenceBackend();
  const flag = ref.tensor([1]);
  ref.flagNonFinite(ref.tensor([3], Float32Array.of(1, 2, 3)), flag);
  t.equal(ref.download(flag)[0], 0, 'finite values: the flag stays 0');
  ref.flagNonFinite(ref.tensor([2], Float32Array.of(1, NaN)), flag);
  ref.flagNonFinite(ref.tensor([2], Float32Array.of(1, 2)), flag);
  t.equal(ref.download(flag)[0], 1, 'a NaN sets it, and a later finite tensor leaves it set');
});

t.test('fused multi-tensor Adam over several tensors and steps', async (t) => {
  const shapes = [[1000, 784], [1000], [7, 13], [1]];
  const inputs: Record<string, { shape: number[]; data?: Float32Array }> = {};
  shapes.forEach((shape, i) => {
    const n = shape.reduce((a, b) => a * b, 1);
    inputs[`p${i}`] = { shape, data: randomArray(n, i + 1) };
    inputs[`g${i}`] = { shape, data: randomArray(n, i + 10, -0.1, 0.1) };
    inputs[`m${i}`] = { shape };
    inputs[`v${i}`] = { shape };
  });
  const names = shapes.map((_, i) => i);
  parity(t, 'adam, 3 steps, weight decay', inputs, (be, x) => {
    const group = { params: names.map((i) => x[`p${i}`]!), grads: names.map((i) => x[`g${i}`]!), m: names.map((i) => x[`m${i}`]!), v: names.map((i) => x[`v${i}`]!) };
    for (let step = 1; step <= 3; step++) be.adam(group, { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, step, weightDecay: 0.01 });
  }, names.flatMap((i) => [`p${i}`, `m${i}`, `v${i}`]), { atol: 1e-6, rtol: 1e-4 });
});

t.test('random ops draw the same numbers on every backend for the same (seed, offset)', async (t) => {
  for (const n of [1, 7, 13, 1000, 100 * 1000]) {
    const exact = { atol: 0, rtol: 0 };
    parity(t, `uniform ${n}`, { out: { shape: [n] } }, (be, x) => be.randomUniform(x.out!, { seed: 5, offset: 2 ** 33 + 3, low: -2, high: 3 }), ['out'], { atol: 1e-6, rtol: 1e-6 });
    parity(t, `normal ${n}`, { out: { shape: [n] } }, (be, x) => be.randomNormal(x.out!, { seed: 6, offset: 11, mean: 1, std: 5 }), ['out'], { atol: 1e-5, rtol: 1e-5 });
    parity(t, `dropout ${n}`, { x: { shape: [n], data: randomArray(n, 1) }, out: { shape: [n] }, mask: { shape: [n] } },
      (be, x) => be.dropout(x.x!, x.out!, x.mask!, { p: 0.25, seed: 7, offset: 0 }), ['mask', 'out'], exact);
  }
  for (const [rows, k] of [[1, 1], [7, 10], [100, 10], [1000, 16]] as [number, number][]) {
    parity(t, `categorical (${rows},${k})`, { out: { shape: [rows, k], data: randomArray(rows * k, 1) } },
      (be, x) => be.randomCategorical(x.out!, { seed: 8, offset: 5 }), ['out'], { atol: 0, rtol: 0 });
  }
  // Translations: one image, an odd batch (two images per Philox counter, one left over), colour channels, and
  // shifts as large as the image allows (whole rows and columns shifted out).
  for (const [rows, h, w, c, maxShift] of [[1, 28, 28, 1, 2], [7, 28, 28, 1, 2], [100, 28, 28, 1, 3], [5, 6, 4, 3, 5], [9, 5, 5, 1, 1]] as const) {
    parity(t, `randomTranslate (${rows}, ${h}x${w}x${c}) up to ${maxShift}`, { x: { shape: [rows, h * w * c], data: randomArray(rows * h * w * c, 3) }, out: { shape: [rows, h * w * c], data: randomArray(rows * h * w * c, 4) } },
      (be, x) => be.randomTranslate(x.x!, x.out!, { seed: 9, offset: 2 ** 35 + 1, height: h, width: w, maxShift }), ['out'], { atol: 0, rtol: 0 });
  }
});

t.test('Adam flushes moments below FLT_MIN to zero (denormals would slow x86 down)', async (t) => {
  for (const { name, be } of backends) {
    const n = 9; // SIMD body and scalar tail
    const p = be.tensor([n], new Float32Array(n).fill(1));
    const g = be.tensor([n]);
    const m = be.tensor([n], new Float32Array(n).fill(1.2e-38));
    const v = be.tensor([n], new Float32Array(n).fill(1.1e-38)); // 0.999 * 1.1e-38 < FLT_MIN
    be.adam({ params: [p], grads: [g], m: [m], v: [v] }, { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, step: 5, weightDecay: 0 });
    t.same([...be.download(m)], new Array(n).fill(0), `${name}: m flushed`);
    t.same([...be.download(v)], new Array(n).fill(0), `${name}: v flushed`);
    t.same([...be.download(p)], new Array(n).fill(1), `${name}: parameters unchanged`);
  }
});
