// One typed table of every kernel's arguments, the single statement of each op's calling convention:
// - `device`: the argument list of the native addons' Device methods (the CPU and CUDA addons take the same list),
//   as "name: kind" where kind is how the addon's C++ reads the number (ptr: an address; i32, i64, u64: integers;
//   f64: a double, narrowed to float where the kernel takes one; flag: 0 or 1). The NativeDevice interface is
//   generated from it (device-backend.ts), and test/backend/kernel-table.test.ts reads both addon.cc files and fails
//   when an op's unpacking there (info[i] and its conversion) differs from this list.
// - `wasm`: the AssemblyScript export's arguments before the (tid, nth) that parallel kernels take last; the Wasm
//   backend's dispatch is typed from it, and the test checks each compiled export's parameter count.
// Adding an op: one entry here, its kernels (asm/, native/src/, native/src/cpu/), and its k* methods.

export type ArgKind = 'ptr' | 'i32' | 'i64' | 'u64' | 'f64' | 'flag';
type Arg = `${string}: ${ArgKind}`;

interface KernelSpec {
  device: readonly Arg[];
  wasm: { args: readonly string[]; parallel: boolean };
}

export const KERNELS = {
  gemm: {
    device: ['a: ptr', 'b: ptr', 'c: ptr', 'bias: ptr', 'M: i32', 'N: i32', 'K: i32', 'transA: flag', 'transB: flag', 'accumulate: flag', 'act: i32'],
    wasm: { args: ['a', 'b', 'c', 'bias', 'M', 'N', 'K', 'transA', 'transB', 'accumulate', 'act', 'work'], parallel: true },
  },
  actBackward: { device: ['y: ptr', 'dy: ptr', 'dx: ptr', 'n: i64', 'act: i32'], wasm: { args: ['y', 'dy', 'dx', 'n', 'act'], parallel: true } },
  biasGrad: { device: ['dy: ptr', 'db: ptr', 'rows: i32', 'cols: i32', 'accumulate: flag'], wasm: { args: ['dy', 'db', 'rows', 'cols', 'accumulate'], parallel: true } },
  mul: { device: ['a: ptr', 'b: ptr', 'out: ptr', 'n: i64'], wasm: { args: ['a', 'b', 'out', 'n'], parallel: true } },
  reluDropoutBackward: {
    device: ['out: ptr', 'dy: ptr', 'dx: ptr', 'rows: i32', 'cols: i32', 'scale: f64', 'db: ptr', 'accumulate: flag'],
    wasm: { args: ['out', 'dy', 'dx', 'rows', 'cols', 'scale', 'db', 'accumulate'], parallel: true },
  },
  axpby: { device: ['x: ptr', 'y: ptr', 'out: ptr', 'n: i64', 'alpha: f64', 'beta: f64'], wasm: { args: ['x', 'y', 'out', 'n', 'alpha', 'beta'], parallel: true } },
  softmax: { device: ['x: ptr', 'out: ptr', 'rows: i32', 'cols: i32'], wasm: { args: ['x', 'out', 'rows', 'cols'], parallel: true } },
  softmaxBackward: { device: ['y: ptr', 'dy: ptr', 'dx: ptr', 'rows: i32', 'cols: i32'], wasm: { args: ['y', 'dy', 'dx', 'rows', 'cols'], parallel: true } },
  gatherRows: { device: ['src: ptr', 'idx: ptr', 'out: ptr', 'rows: i32', 'cols: i32'], wasm: { args: ['src', 'idx', 'out', 'rows', 'cols'], parallel: true } },
  // gatherRows from a uint8 pixel tensor: src holds cols bytes per row, out gets float32 byte / 255.
  gatherPixels: { device: ['src: ptr', 'idx: ptr', 'out: ptr', 'rows: i32', 'cols: i32'], wasm: { args: ['src', 'idx', 'out', 'rows', 'cols'], parallel: true } },
  copyCols: {
    device: ['src: ptr', 'dst: ptr', 'rows: i32', 'srcCols: i32', 'dstCols: i32', 'srcCol: i32', 'dstCol: i32', 'cols: i32'],
    wasm: { args: ['src', 'dst', 'rows', 'srcCols', 'dstCols', 'srcCol', 'dstCol', 'cols'], parallel: true },
  },
  fill: { device: ['out: ptr', 'n: i64', 'value: f64'], wasm: { args: ['out', 'n', 'value'], parallel: true } },
  l2NormalizeRows: { device: ['x: ptr', 'out: ptr', 'rows: i32', 'cols: i32', 'scale: f64', 'rowScales: ptr'], wasm: { args: ['x', 'out', 'rows', 'cols', 'scale', 'rowScales'], parallel: false } },
  sum: { device: ['x: ptr', 'n: i64', 'out: ptr'], wasm: { args: ['x', 'n', 'out'], parallel: false } },
  flagNonFinite: { device: ['x: ptr', 'n: i64', 'flag: ptr'], wasm: { args: ['x', 'n', 'flag'], parallel: false } },
  bceWithSigmoid: {
    device: ['y: ptr', 't: ptr', 'n: i64', 'loss: ptr', 'dLogits: ptr'],
    // The Wasm kernel writes each thread's partial sum (f64) to `partials`; the backend adds them into the loss.
    wasm: { args: ['y', 't', 'n', 'partials', 'dLogits'], parallel: true },
  },
  crossEntropy: {
    device: ['z: ptr', 't: ptr', 'rows: i32', 'cols: i32', 'loss: ptr', 'dLogits: ptr'],
    wasm: { args: ['z', 't', 'rows', 'cols', 'loss', 'dLogits'], parallel: false },
  },
  discriminatorLoss: {
    device: ['dReal: ptr', 'dFake: ptr', 'n: i64', 'loss: ptr', 'gradReal: ptr', 'gradFake: ptr'],
    wasm: { args: ['dReal', 'dFake', 'n', 'loss', 'gradReal', 'gradFake'], parallel: false },
  },
  generatorLoss: { device: ['dFake: ptr', 'n: i64', 'loss: ptr', 'grad: ptr'], wasm: { args: ['dFake', 'n', 'loss', 'grad'], parallel: false } },
  entropy: { device: ['z: ptr', 'rows: i32', 'cols: i32', 'loss: ptr', 'dLogits: ptr'], wasm: { args: ['z', 'rows', 'cols', 'loss', 'dLogits'], parallel: false } },
  marginalEntropy: {
    device: ['z: ptr', 'rows: i32', 'cols: i32', 'loss: ptr', 'dLogits: ptr'],
    // scratch: MARGINAL_MAX_COLUMNS doubles of the backend's own (the mean row and its logarithm).
    wasm: { args: ['z', 'rows', 'cols', 'loss', 'dLogits', 'scratch'], parallel: false },
  },
  clusterHeadCost: {
    device: ['heads: ptr', 'd: i32', 'n: i32', 'eta: f64', 'weight: f64', 'cost: ptr', 'grad: ptr'],
    wasm: { args: ['heads', 'd', 'n', 'eta', 'weight', 'cost', 'grad'], parallel: false },
  },
  adam: {
    // table: the addon's adamTable(); maxN sizes the CUDA launch (the CPU addon does not need it).
    device: ['table: ptr', 'count: i32', 'maxN: i64', 'lr: f64', 'beta1: f64', 'beta2: f64', 'eps: f64', 'weightDecay: f64', 'step: f64'],
    wasm: { args: ['table', 'count', 'lr', 'beta1', 'beta2', 'eps', 'weightDecay', 'step'], parallel: true },
  },
  uniformFill: {
    device: ['out: ptr', 'n: i64', 'seed: u64', 'offset: u64', 'low: f64', 'high: f64'],
    wasm: { args: ['out', 'n', 'seed', 'offset', 'low', 'high'], parallel: true },
  },
  normalFill: {
    device: ['out: ptr', 'n: i64', 'seed: u64', 'offset: u64', 'mean: f64', 'std: f64'],
    wasm: { args: ['out', 'n', 'seed', 'offset', 'mean', 'std'], parallel: true },
  },
  dropout: {
    device: ['x: ptr', 'out: ptr', 'mask: ptr', 'n: i64', 'seed: u64', 'offset: u64', 'threshold: i64', 'scale: f64'],
    wasm: { args: ['x', 'out', 'mask', 'n', 'seed', 'offset', 'threshold', 'scale'], parallel: true },
  },
  categorical: { device: ['out: ptr', 'rows: i32', 'K: i32', 'seed: u64', 'offset: u64'], wasm: { args: ['out', 'rows', 'K', 'seed', 'offset'], parallel: true } },
  randomTranslate: {
    device: ['x: ptr', 'out: ptr', 'rows: i32', 'H: i32', 'W: i32', 'C: i32', 'maxShift: i32', 'seed: u64', 'offset: u64'],
    wasm: { args: ['x', 'out', 'rows', 'H', 'W', 'C', 'maxShift', 'seed', 'offset'], parallel: false },
  },
} as const satisfies Record<string, KernelSpec>;

export type KernelName = keyof typeof KERNELS;

/** A tuple of numbers as long as the list T. */
type Numbers<T extends readonly unknown[]> = { -readonly [I in keyof T]: number };

/** The addons' op methods, generated from the table: one number per argument. */
export type DeviceOps = { [K in KernelName]: (...args: Numbers<(typeof KERNELS)[K]['device']>) => void };

/** Wasm kernels split across the thread pool (they take tid, nth last), and those run on the calling thread. */
export type ParallelKernel = { [K in KernelName]: (typeof KERNELS)[K]['wasm']['parallel'] extends true ? K : never }[KernelName];
export type SerialKernel = Exclude<KernelName, ParallelKernel>;

/** The Wasm export's arguments (before tid, nth) of kernel K. */
export type WasmArgs<K extends KernelName> = Numbers<(typeof KERNELS)[K]['wasm']['args']>;

export const PARALLEL_KERNELS = (Object.keys(KERNELS) as KernelName[]).filter((k): k is ParallelKernel => KERNELS[k].wasm.parallel);
