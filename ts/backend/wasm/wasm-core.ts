// The Wasm backend's storage and dispatch over one WebAssembly.Memory, managed by an Arena: every op is a call of an
// AssemblyScript kernel (asm/). Parallel kernels go through a KernelThreads: the Node backend's worker pool over a
// shared memory (wasm-backend.ts), or the calling thread alone (tid 0, nth 1) over an ordinary memory
// (browser-backend.ts). No Node imports: the explorer page bundles this file.
import { type Activation, type AdamOptions, type BackendInfo, BackendError, type DType, type RandomOptions, Tensor } from '../backend.js';
import { CheckedBackend, type CopyArgs, MARGINAL_MAX_COLUMNS, type MatmulArgs, type ReluDropoutArgs, type TranslateArgs } from '../checked.js';
import { dropScale, dropThreshold } from '../../rng.js';
import { Arena, OutOfMemoryError } from './arena.js';
import { type ParallelKernel, type SerialKernel, type WasmArgs } from '../kernel-table.js';

export class WasmTensor extends Tensor {
  constructor(
    shape: readonly number[],
    /** Byte address in the backend's memory (0 for empty tensors, which own no memory). */
    readonly ptr: number,
    dtype?: DType,
  ) {
    super('wasm', shape, dtype);
  }
}

type Kernel = (...args: number[]) => number;

/** Runs parallel kernels: `fn(...args, tid, nth)` on nth threads, tid 0 on the calling one. */
export interface KernelThreads {
  readonly threads: number;
  /** `name` is fn's export name (workers run their own instance's export of it). */
  run(name: string, fn: Kernel, args: number[], nth: number): void;
  stop(): void;
}

/** The calling thread alone: every parallel kernel runs whole as thread 0 of 1. */
export const ONE_THREAD: KernelThreads = {
  threads: 1,
  run: (_name, fn, args) => {
    fn(...args, 0, 1);
  },
  stop: () => undefined,
};

/** Below these sizes an op runs on the main thread alone: waking workers would cost more than it saves. */
const PARALLEL_MIN_FLOPS = 1 << 18;
const PARALLEL_MIN_ELEMENTS = 1 << 14;

export const PAGE = 65536;
/** Bytes [0, 64 KiB) hold the module's static data; what a backend reserves (the pool's control block) follows. */
export const STATIC_BYTES = 65536;
const ADAM_TABLE_ENTRIES = 4096;
/** GEMM_COUNTER_BYTES of asm/gemm.ts. */
const COUNTER_BYTES = 64;

const ACT_CODE: Record<Activation, number> = { none: 0, relu: 1, sigmoid: 2 };

/** BackendInfo's device: "WebAssembly relaxed SIMD, 2 threads". */
export function wasmDevice(simd: 'relaxed' | 'plain', threads: number): string {
  return `WebAssembly ${simd === 'relaxed' ? 'relaxed SIMD' : 'SIMD'}, ${threads} thread${threads > 1 ? 's' : ''}`;
}

export interface WasmCoreParts {
  /** A build of asm/ whose imported memory matches `memory` (shared or not). */
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  /** Bytes after STATIC_BYTES that the arena leaves alone. */
  reserved: number;
  /** Most bytes the memory may grow to. */
  maxBytes: number;
  threads: KernelThreads;
  info: BackendInfo;
}

export abstract class WasmCore extends CheckedBackend<WasmTensor> {
  readonly #k: Record<string, Kernel>;
  readonly #memory: WebAssembly.Memory;
  readonly #arena: Arena;
  readonly #threads: KernelThreads;
  readonly #gemmWork: number;
  /** The GEMM's dynamic-split counter (multi-threaded calls), zeroed before each call. */
  readonly #gemmCounter: number;
  readonly #adamTable: number;
  /** One f64 per thread: the partial sums of a multi-threaded loss (bceWithSigmoid). */
  readonly #partials: number;
  /** marginalEntropy's scratch: MARGINAL_MAX_COLUMNS doubles. */
  readonly #marginal: number;
  readonly #info: BackendInfo;

  /** Instantiates `parts.module` over `parts.memory` on the calling thread and lays out the backend's scratch. */
  protected constructor(parts: WasmCoreParts) {
    super('wasm');
    const instance = new WebAssembly.Instance(parts.module, {
      env: { memory: parts.memory, abort: () => { throw new Error('wasm abort'); } },
    });
    this.#k = instance.exports as unknown as Record<string, Kernel>;
    this.#memory = parts.memory;
    this.#arena = new Arena(parts.memory, STATIC_BYTES + parts.reserved, parts.maxBytes);
    this.#threads = parts.threads;
    const threads = parts.threads.threads;
    // The multi-threaded GEMM's block counter sits just before the work area (asm/gemm.ts).
    this.#gemmCounter = this.#arena.alloc(COUNTER_BYTES + this.#k['gemmWorkBytes']!() * threads);
    this.#gemmWork = this.#gemmCounter + COUNTER_BYTES;
    this.#adamTable = this.#arena.alloc(ADAM_TABLE_ENTRIES * 20);
    this.#partials = this.#arena.alloc(8 * threads);
    this.#marginal = this.#arena.alloc(8 * MARGINAL_MAX_COLUMNS);
    this.#info = parts.info;
  }

  info(): BackendInfo {
    return { ...this.#info, usedMB: Math.round((this.#arena.usedBytes / 1048576) * 10) / 10 };
  }

  protected owns(t: Tensor): t is WasmTensor {
    return t instanceof WasmTensor;
  }

  #f32(t: WasmTensor): Float32Array {
    return new Float32Array(this.#memory.buffer, t.ptr, t.size);
  }

  /**
   * Runs kernel `name` with (tid, nth) appended, on all threads when `work` (elements or flops) is big enough;
   * returns the nth it used.
   */
  #par<K extends ParallelKernel>(name: K, args: WasmArgs<K>, work: number, minWork = PARALLEL_MIN_ELEMENTS): number {
    const nth = work >= minWork ? this.#threads.threads : 1;
    this.#threads.run(name, this.#k[name]!, args, nth);
    return nth;
  }

  /** Runs serial kernel `name` on the calling thread. */
  #call<K extends SerialKernel>(name: K, ...args: WasmArgs<K>): void {
    this.#k[name]!(...args);
  }

  /** `bytes` of the arena for a tensor of `shape` (0 when empty), its out-of-memory error naming the tensor. */
  #allocBytes(shape: readonly number[], bytes: number, dtype: DType): number {
    if (bytes === 0) return 0;
    try {
      return this.#arena.alloc(bytes);
    } catch (e) {
      if (e instanceof OutOfMemoryError) throw new BackendError(`${e.message} (tensor [${shape.join(', ')}]${dtype === 'float32' ? '' : ` ${dtype}`})`);
      throw e;
    }
  }

  protected kAlloc(shape: readonly number[]): WasmTensor {
    const size = shape.reduce((a, b) => a * b, 1);
    const t = new WasmTensor(shape, this.#allocBytes(shape, size * 4, 'float32'));
    this.#f32(t).fill(0); // the arena reuses freed blocks: new tensors start at zero, as tensor() promises
    return t;
  }

  protected kPixels(shape: readonly [number, number], data: Uint8Array): WasmTensor {
    const t = new WasmTensor(shape, this.#allocBytes(shape, data.length, 'uint8'), 'uint8');
    new Uint8Array(this.#memory.buffer, t.ptr, data.length).set(data);
    return t;
  }

  protected kFree(t: WasmTensor): void {
    if (t.ptr !== 0) this.#arena.free(t.ptr);
  }

  protected kUpload(t: WasmTensor, data: Float32Array): void {
    this.#f32(t).set(data);
  }

  protected kDownload(t: WasmTensor): Float32Array {
    return this.#f32(t).slice();
  }

  protected kDispose(): void {
    this.#threads.stop();
  }

  protected kMatmul(a: WasmTensor, b: WasmTensor, out: WasmTensor, m: MatmulArgs<WasmTensor>): void {
    const args: WasmArgs<'gemm'> = [
      a.ptr, b.ptr, out.ptr, m.bias?.ptr ?? 0, m.M, m.N, m.K,
      +m.transA, +m.transB, +m.accumulate, ACT_CODE[m.activation], this.#gemmWork,
    ];
    new Int32Array(this.#memory.buffer, this.#gemmCounter, 1)[0] = 0;
    this.#par('gemm', args, 2 * m.M * m.N * m.K, PARALLEL_MIN_FLOPS);
  }

  protected kActivationBackward(y: WasmTensor, dy: WasmTensor, dx: WasmTensor, activation: Activation): void {
    this.#par('actBackward', [y.ptr, dy.ptr, dx.ptr, y.size, ACT_CODE[activation]], y.size);
  }

  protected kBiasGrad(dy: WasmTensor, db: WasmTensor, rows: number, cols: number, accumulate: boolean): void {
    this.#par('biasGrad', [dy.ptr, db.ptr, rows, cols, +accumulate], dy.size);
  }

  protected kDropout(x: WasmTensor, out: WasmTensor, mask: WasmTensor, p: number, rng: RandomOptions): void {
    this.#par('dropout', [x.ptr, out.ptr, mask.ptr, x.size, rng.seed, rng.offset, dropThreshold(p), dropScale(p)], x.size);
  }

  protected kReluDropoutBackward(out: WasmTensor, dy: WasmTensor, dx: WasmTensor, a: ReluDropoutArgs<WasmTensor>): void {
    this.#par('reluDropoutBackward', [out.ptr, dy.ptr, dx.ptr, a.rows, a.cols, a.scale, a.db?.ptr ?? 0, +a.accumulate], out.size);
  }

  protected kMul(a: WasmTensor, b: WasmTensor, out: WasmTensor): void {
    this.#par('mul', [a.ptr, b.ptr, out.ptr, a.size], a.size);
  }

  protected kSoftmax(x: WasmTensor, out: WasmTensor, rows: number, cols: number): void {
    this.#par('softmax', [x.ptr, out.ptr, rows, cols], x.size);
  }

  protected kSoftmaxBackward(y: WasmTensor, dy: WasmTensor, dx: WasmTensor, rows: number, cols: number): void {
    this.#par('softmaxBackward', [y.ptr, dy.ptr, dx.ptr, rows, cols], y.size);
  }

  protected kAxpby(x: WasmTensor, y: WasmTensor, out: WasmTensor, alpha: number, beta: number): void {
    this.#par('axpby', [x.ptr, y.ptr, out.ptr, x.size, alpha, beta], x.size);
  }

  protected kL2NormalizeRows(x: WasmTensor, out: WasmTensor, rows: number, cols: number, scale: number, rowScales: WasmTensor | undefined): void {
    this.#call('l2NormalizeRows', x.ptr, out.ptr, rows, cols, scale, rowScales?.ptr ?? 0);
  }

  protected kEntropy(logits: WasmTensor, loss: WasmTensor, dLogits: WasmTensor | undefined, rows: number, cols: number): void {
    this.#call('entropy', logits.ptr, rows, cols, loss.ptr, dLogits?.ptr ?? 0);
  }

  protected kMarginalEntropy(logits: WasmTensor, loss: WasmTensor, dLogits: WasmTensor | undefined, rows: number, cols: number): void {
    this.#call('marginalEntropy', logits.ptr, rows, cols, loss.ptr, dLogits?.ptr ?? 0, this.#marginal);
  }

  protected kBce(y: WasmTensor, target: WasmTensor, loss: WasmTensor, dLogits: WasmTensor | undefined): void {
    const nth = this.#par('bceWithSigmoid', [y.ptr, target.ptr, y.size, this.#partials, dLogits?.ptr ?? 0], y.size);
    // The threads' f64 partial sums, added in thread order.
    const partials = new Float64Array(this.#memory.buffer, this.#partials, nth);
    let total = 0;
    for (let i = 0; i < nth; i++) total += partials[i]!;
    this.#f32(loss)[0] = -total / y.size;
  }

  protected kCrossEntropy(
    logits: WasmTensor,
    target: WasmTensor,
    loss: WasmTensor,
    dLogits: WasmTensor | undefined,
    rows: number,
    cols: number,
  ): void {
    this.#call('crossEntropy', logits.ptr, target.ptr, rows, cols, loss.ptr, dLogits?.ptr ?? 0);
  }

  protected kDiscriminatorLoss(
    dReal: WasmTensor,
    dFake: WasmTensor,
    loss: WasmTensor,
    gradReal: WasmTensor | undefined,
    gradFake: WasmTensor | undefined,
  ): void {
    this.#call('discriminatorLoss', dReal.ptr, dFake.ptr, dReal.size, loss.ptr, gradReal?.ptr ?? 0, gradFake?.ptr ?? 0);
  }

  protected kGeneratorLoss(dFake: WasmTensor, loss: WasmTensor, gradFake: WasmTensor | undefined): void {
    this.#call('generatorLoss', dFake.ptr, dFake.size, loss.ptr, gradFake?.ptr ?? 0);
  }

  protected kClusterHeadCost(heads: WasmTensor, cost: WasmTensor, grad: WasmTensor, d: number, n: number, eta: number, weight: number): void {
    this.#call('clusterHeadCost', heads.ptr, d, n, eta, weight, cost.ptr, grad.ptr);
  }

  protected kAdam(params: WasmTensor[], grads: WasmTensor[], m: WasmTensor[], v: WasmTensor[], o: AdamOptions): void {
    // The argument table: per tensor (param, grad, m, v, n) as u32, read by asm/adam.ts.
    let total = 0;
    for (let start = 0; start < params.length; start += ADAM_TABLE_ENTRIES) {
      const count = Math.min(ADAM_TABLE_ENTRIES, params.length - start);
      const table = new Uint32Array(this.#memory.buffer, this.#adamTable, count * 5);
      for (let i = 0; i < count; i++) {
        const t = start + i;
        table.set([params[t]!.ptr, grads[t]!.ptr, m[t]!.ptr, v[t]!.ptr, params[t]!.size], i * 5);
        total += params[t]!.size;
      }
      this.#par('adam', [this.#adamTable, count, o.lr, o.beta1, o.beta2, o.eps, o.weightDecay, o.step], total);
    }
  }

  protected kRandomNormal(out: WasmTensor, rng: RandomOptions, mean: number, std: number): void {
    this.#par('normalFill', [out.ptr, out.size, rng.seed, rng.offset, mean, std], out.size);
  }

  protected kRandomUniform(out: WasmTensor, rng: RandomOptions, low: number, high: number): void {
    this.#par('uniformFill', [out.ptr, out.size, rng.seed, rng.offset, low, high], out.size);
  }

  protected kRandomCategorical(out: WasmTensor, rng: RandomOptions, rows: number, cols: number): void {
    this.#par('categorical', [out.ptr, rows, cols, rng.seed, rng.offset], out.size);
  }

  protected kRandomTranslate(x: WasmTensor, out: WasmTensor, rng: RandomOptions, a: TranslateArgs): void {
    this.#call('randomTranslate', x.ptr, out.ptr, a.rows, a.height, a.width, a.channels, a.maxShift, rng.seed, rng.offset);
  }

  /** Checks that indices[first .. first + count) are rows of a src of srcRows rows (the kernels read them unchecked). */
  #checkRows(indices: WasmTensor, srcRows: number, first: number, count: number): void {
    const idx = this.#f32(indices);
    for (let i = first; i < first + count; i++) {
      const row = idx[i]!;
      if (!Number.isInteger(row) || row < 0 || row >= srcRows) {
        this.fail('gatherRows', `indices[${i}] = ${row} is not a row of src (expected an integer in [0, ${srcRows}))`);
      }
    }
  }

  protected kGatherRows(src: WasmTensor, indices: WasmTensor, out: WasmTensor, srcRows: number, cols: number, first: number, count: number): void {
    this.#checkRows(indices, srcRows, first, count);
    this.#par('gatherRows', [src.ptr, indices.ptr + 4 * first, out.ptr, count, cols], out.size);
  }

  protected kGatherPixels(src: WasmTensor, indices: WasmTensor, out: WasmTensor, srcRows: number, cols: number, first: number, count: number): void {
    this.#checkRows(indices, srcRows, first, count);
    this.#par('gatherPixels', [src.ptr, indices.ptr + 4 * first, out.ptr, count, cols], out.size);
  }

  protected kCopy(src: WasmTensor, dst: WasmTensor, a: CopyArgs): void {
    this.#par('copyCols', [src.ptr, dst.ptr, a.rows, a.srcCols, a.dstCols, a.srcCol, a.dstCol, a.cols], a.rows * a.cols);
  }

  protected kFill(out: WasmTensor, value: number): void {
    this.#par('fill', [out.ptr, out.size, value], out.size);
  }

  protected kFlagNonFinite(x: WasmTensor, flag: WasmTensor): void {
    this.#call('flagNonFinite', x.ptr, x.size, flag.ptr);
  }

  protected kSum(x: WasmTensor, out: WasmTensor): void {
    this.#call('sum', x.ptr, x.size, out.ptr);
  }
}
