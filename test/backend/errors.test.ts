// Bad calls get one clear error naming the op, the shapes given and the shapes expected.
import t from 'tap';
import { type Backend, BackendError } from '../../ts/backend/backend.js';
import { cpuStatus } from '../../ts/backend/cpu/index.js';
import { ReferenceBackend } from '../../ts/backend/reference.js';
import { createBackend } from '../../ts/backend/select.js';

async function each(fn: (be: Backend, name: string) => void | Promise<void>): Promise<void> {
  // The native CPU backend shares these checks (CheckedBackend); it joins where its addon is built.
  for (const name of ['reference', 'wasm', ...(cpuStatus().ok ? ['cpu' as const] : [])] as const) {
    const be = await createBackend(name, { threads: 1 });
    try {
      await fn(be, name);
    } finally {
      be.dispose();
    }
  }
}

t.test('an unknown backend name lists the valid ones', async (t) => {
  // @ts-expect-error: deliberately wrong name
  await t.rejects(createBackend('tpu'), { name: 'BackendError', message: 'unknown backend "tpu"; valid backends are: auto, cuda, cpu, wasm, reference' });
});

t.test('matmul names the shapes given and expected', async (t) => {
  await each((be, name) => {
    const a = be.tensor([100, 784]);
    const w = be.tensor([1000, 784]);
    const out = be.tensor([100, 1000]);
    t.throws(() => be.matmul(a, w, out), new BackendError(`${name}.matmul: inner dimensions differ: a [100, 784] x b [1000, 784] gives K = 784 and 1000`));
    const small = be.tensor([100, 999]);
    t.throws(() => be.matmul(a, w, small, { transB: true }), { message: `${name}.matmul: out has shape [100, 999], expected [100, 1000] for a [100, 784] x b [1000, 784]^T` });
    const bias = be.tensor([999]);
    t.throws(() => be.matmul(a, w, out, { transB: true, bias }), { message: `${name}.matmul: bias has shape [999], expected [1000]` });
    // @ts-expect-error: deliberately wrong activation
    t.throws(() => be.matmul(a, w, out, { transB: true, activation: 'tanh' }), { message: /activation must be one of none, relu, sigmoid, got tanh/ });
    t.throws(() => be.matmul(be.tensor([784]), w, out), { message: `${name}.matmul: a must be 2-D, got shape [784]` });
  });
});

t.test('elementwise ops and losses reject mismatched shapes', async (t) => {
  await each((be, name) => {
    const y = be.tensor([100, 784]);
    const dy = be.tensor([100, 783]);
    t.throws(() => be.activationBackward(y, dy, y, 'relu'), { message: `${name}.activationBackward: dy has shape [100, 783] but y has shape [100, 784]; expected equal shapes` });
    t.throws(() => be.bceWithSigmoid(y, y, be.tensor([2])), { message: `${name}.bceWithSigmoid: loss must have exactly one element, got shape [2]` });
    t.throws(() => be.biasGrad(y, be.tensor([783])), { message: `${name}.biasGrad: db has shape [783], expected [784] for dy [100, 784]` });
    t.throws(() => be.dropout(y, y, y, { p: 1, seed: 0, offset: 0 }), { message: `${name}.dropout: p must be in [0, 1), got 1` });
    t.throws(() => be.reluDropoutBackward(y, y, y, { p: 0.25, db: be.tensor([100]) }), { message: `${name}.reluDropoutBackward: db has shape [100], expected [784] for out [100, 784]` });
    t.throws(() => be.reluDropoutBackward(y, dy, y, { p: 0.25 }), { message: `${name}.reluDropoutBackward: dy has shape [100, 783] but out has shape [100, 784]; expected equal shapes` });
    t.throws(() => be.reluDropoutBackward(y, y, y, { p: -0.5 }), { message: `${name}.reluDropoutBackward: p must be in [0, 1), got -0.5` });
    const heads = be.tensor([2, 10]);
    t.throws(() => be.clusterHeadCost(be.tensor([20]), be.tensor([1]), be.tensor([20]), { eta: 1, weight: 1 }), { message: `${name}.clusterHeadCost: heads must be 2-D (d, n), got shape [20]` });
    t.throws(() => be.clusterHeadCost(heads, be.tensor([1]), be.tensor([10, 2]), { eta: 1, weight: 1 }), { message: /clusterHeadCost: grad has shape \[10, 2\] but heads has shape \[2, 10\]/ });
    t.throws(() => be.clusterHeadCost(heads, be.tensor([1]), be.tensor([2, 10]), { eta: 0, weight: 1 }), { message: `${name}.clusterHeadCost: eta must be > 0, got 0` });
    t.throws(() => be.randomNormal(y, { seed: -1, offset: 0 }), { message: `${name}.randomNormal: seed must be a non-negative safe integer, got -1` });
    t.throws(() => be.gatherRows(y, be.tensor([3], Float32Array.of(0, 100, 2)), be.tensor([3, 784])),
      { message: `${name}.gatherRows: indices[1] = 100 is not a row of src (expected an integer in [0, 100))` });
    t.throws(() => be.gatherRows(y, be.tensor([5]), be.tensor([3, 784]), { first: 3 }), { message: `${name}.gatherRows: indices 3..6 are outside indices [5]` });
    t.throws(() => be.copy(y, be.tensor([100, 10]), { srcCol: 780, cols: 10 }), { message: `${name}.copy: columns 780..790 are outside src [100, 784]` });
    t.throws(() => be.upload(y, new Float32Array(3)), { message: new RegExp(`${name}.upload: tensor #\\d+ \\[100, 784\\] holds 78400 values but data has 3`) });
    t.throws(() => be.adam({ params: [y], grads: [], m: [], v: [] }, { lr: 1, beta1: 0.9, beta2: 0.999, eps: 1e-8, step: 1, weightDecay: 0 }),
      { message: `${name}.adam: group.grads has 0 tensors, expected 1 (one per parameter)` });
  });
});

t.test('the augmentation and consistency ops name what is wrong', async (t) => {
  await each((be, name) => {
    const x = be.tensor([4, 784]);
    const out = be.tensor([4, 784]);
    const rng = { seed: 1, offset: 0 };
    t.throws(() => be.randomTranslate(x, x, { ...rng, height: 28, width: 28, maxShift: 2 }), { message: `${name}.randomTranslate: out must be a different tensor from x` });
    t.throws(() => be.randomTranslate(x, out, { ...rng, height: 27, width: 28, maxShift: 2 }), { message: `${name}.randomTranslate: x [4, 784] does not hold 27x28 images: 784 is not a multiple of 756` });
    t.throws(() => be.randomTranslate(x, out, { ...rng, height: 28, width: 28, maxShift: 28 }), { message: `${name}.randomTranslate: maxShift must be an integer in [0, 28), got 28` });
    t.throws(() => be.randomTranslate(x, be.tensor([4, 28, 28]), { ...rng, height: 28, width: 28, maxShift: 1 }), { message: `${name}.randomTranslate: out has shape [4, 28, 28] but x has shape [4, 784]; expected equal shapes` });
    t.throws(() => be.l2NormalizeRows(x, be.tensor([4, 783]), { scale: 1 }), { message: `${name}.l2NormalizeRows: out has shape [4, 783] but x has shape [4, 784]; expected equal shapes` });
    t.throws(() => be.l2NormalizeRows(x, out, { scale: NaN }), { message: `${name}.l2NormalizeRows: scale must be a finite number, got NaN` });
    t.throws(() => be.l2NormalizeRows(x, out, { scale: 1, rowScales: be.tensor([4, 2]) }), { message: `${name}.l2NormalizeRows: rowScales [4, 2] must be (4) or (4, 1), one scale per row of x [4, 784]` });
    t.throws(() => be.flagNonFinite(x, be.tensor([2])), { message: `${name}.flagNonFinite: flag must have exactly one element, got shape [2]` });
    t.throws(() => be.entropy(be.tensor([4, 10]), be.tensor([2])), { message: `${name}.entropy: loss must have exactly one element, got shape [2]` });
    t.throws(() => be.entropy(be.tensor([4, 10]), be.tensor([1]), be.tensor([10, 4])), { message: `${name}.entropy: dLogits has shape [10, 4] but logits has shape [4, 10]; expected equal shapes` });
    t.throws(() => be.marginalEntropy(be.tensor([4, 1025]), be.tensor([1])), { message: `${name}.marginalEntropy: logits may have at most 2048 rows and 1024 columns (classes), got shape [4, 1025]` });
  });
});

t.test('a freed tensor, a foreign tensor and a disposed backend are named', async (t) => {
  await each(async (be, name) => {
    const x = be.tensor([2, 3]);
    be.free(x);
    t.throws(() => be.download(x), { message: new RegExp(`${name}.download: tensor is tensor #\\d+ \\[2, 3\\], which has been freed`) });
    t.throws(() => be.free(x), { message: /has been freed/ });
    const other = new ReferenceBackend();
    const foreign = other.tensor([2, 3]);
    if (name !== 'reference') t.throws(() => be.fill(foreign, 0), { message: new RegExp(`${name}.fill: out is tensor #\\d+ \\[2, 3\\] from the reference backend, not this ${name} backend`) });
  });
  const be = new ReferenceBackend();
  be.dispose();
  t.throws(() => be.tensor([1]), { message: 'reference.tensor: the backend has been disposed' });
});

t.test('a uint8 pixel tensor: only gatherRows (as src) and free take it, every other op names it', async (t) => {
  await each(async (be, name) => {
    const pixels = be.pixels([3, 4], Uint8Array.from({ length: 12 }, (_, i) => i * 20));
    const refused = 'tensor #\\d+ \\[3, 4\\] uint8, a uint8 pixel tensor, which only gatherRows \\(as src\\) and free take';
    const message = (op: string, arg: string) => new RegExp(`^${name}\\.${op}: ${arg} is ${refused}$`);
    t.throws(() => be.upload(pixels, new Float32Array(12)), { name: 'BackendError', message: message('upload', 'tensor') });
    t.throws(() => be.download(pixels), { message: message('download', 'tensor') });
    t.throws(() => be.copy(pixels, be.tensor([3, 4])), { message: message('copy', 'src') });
    t.throws(() => be.fill(pixels, 0), { message: message('fill', 'out') });
    t.throws(() => be.matmul(pixels, be.tensor([4, 2]), be.tensor([3, 2])), { message: message('matmul', 'a') });
    t.throws(() => be.gatherRows(be.tensor([3, 4]), be.tensor([2]), be.pixels([2, 4], new Uint8Array(8))), { message: /^\w+\.gatherRows: out is tensor #\d+ \[2, 4\] uint8, a uint8 pixel tensor/ });
    t.throws(() => be.gatherRows(pixels, be.pixels([2, 1], new Uint8Array(2)), be.tensor([2, 4])), { message: /^\w+\.gatherRows: indices is tensor #\d+ \[2, 1\] uint8, a uint8 pixel tensor/ });
    const out = be.tensor([2, 4]);
    be.gatherRows(pixels, be.tensor([2], Float32Array.of(2, 0)), out);
    t.same(Array.from(be.download(out)), [160, 180, 200, 220, 0, 20, 40, 60].map((b) => Math.fround(b / 255)), 'gatherRows reads it');
    if (name !== 'cpu') {
      // The native backends do not check row indices (that would need a synchronising download).
      t.throws(() => be.gatherRows(pixels, be.tensor([1], Float32Array.of(3)), be.tensor([1, 4])), { message: `${name}.gatherRows: indices[0] = 3 is not a row of src (expected an integer in [0, 3))` });
    }
    be.free(pixels);
    t.throws(() => be.gatherRows(pixels, be.tensor([1]), be.tensor([1, 4])), { message: /gatherRows: src is tensor #\d+ \[3, 4\] uint8, which has been freed/ });
    t.throws(() => be.pixels([3, 4], new Uint8Array(11)), { message: `${name}.pixels: shape [3, 4] holds 12 bytes but data has 11` });
    t.throws(() => be.pixels([12] as unknown as [number, number], new Uint8Array(12)), { message: `${name}.pixels: shape must be [n, features] of non-negative integers, got [12]` });
    t.throws(() => be.pixels([3, 4], new Float32Array(12) as unknown as Uint8Array), { message: `${name}.pixels: data must be a Uint8Array, got Float32Array` });
  });
});

t.test('wasm: running out of memory says how much was asked and leaves other tensors intact', async (t) => {
  const be = await createBackend('wasm', { threads: 1, memoryMB: 64 });
  const keep = be.tensor([1000], Float32Array.from({ length: 1000 }, (_, i) => i));
  t.throws(() => be.tensor([10000, 10000]), { message: /wasm: out of memory: asked for 381\.5 MiB, .* free of the 64\.0 MiB maximum/ });
  t.same([...be.download(keep).subarray(0, 5)], [0, 1, 2, 3, 4], 'existing tensor unchanged');
  const more = be.tensor([1000, 1000]);
  t.equal(more.size, 1e6, 'allocation still works after the failure');
  be.dispose();
});

t.test('new tensors are zero even where freed tensors lived', async (t) => {
  await each((be, name) => {
    const a = be.tensor([1000], new Float32Array(1000).fill(7));
    be.free(a);
    const b = be.tensor([1000]);
    t.same([...be.download(b)].filter((v) => v !== 0), [], `${name}: zero-filled`);
  });
});
