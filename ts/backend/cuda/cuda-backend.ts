// The CUDA backend: tensors are device allocations (cudaMalloc, once, at tensor()), every op is one call into the
// addon (native/src/addon.cc) that enqueues kernels on the device's single stream, and download synchronises.
import { type Activation, type AdamGroup, type AdamOptions, type BackendInfo, type GraphShift, type RandomOptions, type StepGraph, Tensor } from '../backend.js';
import { CheckedBackend, type CopyArgs, type MatmulArgs, type ReluDropoutArgs, type TranslateArgs } from '../checked.js';
import { dropScale, dropThreshold } from '../../rng.js';

/** The addon's Device object (native/src/addon.cc); pointers are device addresses as numbers. */
export interface CudaDevice {
  alloc(bytes: number): number;
  free(ptr: number): void;
  upload(ptr: number, data: Float32Array): void;
  download(ptr: number, n: number): Float32Array;
  dispose(): void;
  gemm(a: number, b: number, c: number, bias: number, M: number, N: number, K: number, transA: number, transB: number, acc: number, act: number): void;
  actBackward(y: number, dy: number, dx: number, n: number, act: number): void;
  biasGrad(dy: number, db: number, rows: number, cols: number, acc: number): void;
  mul(a: number, b: number, out: number, n: number): void;
  reluDropoutBackward(out: number, dy: number, dx: number, rows: number, cols: number, scale: number, db: number, acc: number): void;
  axpby(x: number, y: number, out: number, n: number, alpha: number, beta: number): void;
  softmax(x: number, out: number, rows: number, cols: number): void;
  softmaxBackward(y: number, dy: number, dx: number, rows: number, cols: number): void;
  gatherRows(src: number, idx: number, out: number, rows: number, cols: number): void;
  copyCols(src: number, dst: number, rows: number, srcCols: number, dstCols: number, srcCol: number, dstCol: number, cols: number): void;
  fill(out: number, n: number, value: number): void;
  l2NormalizeRows(x: number, out: number, rows: number, cols: number, scale: number): void;
  sum(x: number, n: number, out: number): void;
  flagNonFinite(x: number, n: number, flag: number): void;
  bceWithSigmoid(y: number, t: number, n: number, loss: number, dLogits: number): void;
  crossEntropy(z: number, t: number, rows: number, cols: number, loss: number, dLogits: number): void;
  discriminatorLoss(dReal: number, dFake: number, n: number, loss: number, gradReal: number, gradFake: number): void;
  generatorLoss(dFake: number, n: number, loss: number, grad: number): void;
  entropy(z: number, rows: number, cols: number, loss: number, dLogits: number): void;
  clusterHeadCost(heads: number, d: number, n: number, eta: number, weight: number, cost: number, grad: number): void;
  adamTable(entries: number[]): number;
  adam(table: number, count: number, maxN: number, lr: number, b1: number, b2: number, eps: number, wd: number, step: number): void;
  uniformFill(out: number, n: number, seed: number, offset: number, low: number, high: number): void;
  normalFill(out: number, n: number, seed: number, offset: number, mean: number, std: number): void;
  dropout(x: number, out: number, mask: number, n: number, seed: number, offset: number, threshold: number, scale: number): void;
  categorical(out: number, rows: number, K: number, seed: number, offset: number): void;
  randomTranslate(x: number, out: number, rows: number, H: number, W: number, C: number, maxShift: number, seed: number, offset: number): void;
  /** CUDA stream capture: ops enqueued between beginCapture and endCapture form one CUDA Graph (returns its id). */
  beginCapture(): void;
  endCapture(): number;
  abortCapture(): void;
  /** Sets the device-side shift (random offsets, Adam steps) and launches graph `id` on the stream. */
  launchGraph(id: number, rngShift: number, stepShift: number): void;
  destroyGraph(id: number): void;
}

export class CudaTensor extends Tensor {
  constructor(
    shape: readonly number[],
    /** Device address (0 for empty tensors). */
    readonly ptr: number,
  ) {
    super('cuda', shape);
  }
}

const ACT_CODE: Record<Activation, number> = { none: 0, relu: 1, sigmoid: 2 };

export class CudaBackend extends CheckedBackend<CudaTensor> {
  /** Device-side Adam argument tables, built once per parameter group. */
  readonly #adamTables = new WeakMap<Tensor[], { table: number; maxN: number }>();

  constructor(
    private readonly device: CudaDevice,
    private readonly description: { device: string; reason: string },
  ) {
    super('cuda');
  }

  info(): BackendInfo {
    return { name: 'cuda', device: this.description.device, threads: 1, simd: 'none', reason: this.description.reason };
  }

  protected owns(t: Tensor): t is CudaTensor {
    return t instanceof CudaTensor;
  }

  protected kAlloc(shape: readonly number[]): CudaTensor {
    const size = shape.reduce((a, b) => a * b, 1);
    if (size === 0) return new CudaTensor(shape, 0);
    const t = new CudaTensor(shape, this.device.alloc(size * 4));
    this.device.fill(t.ptr, size, 0);
    return t;
  }

  protected kFree(t: CudaTensor): void {
    if (t.ptr !== 0) this.device.free(t.ptr);
  }

  protected kUpload(t: CudaTensor, data: Float32Array): void {
    if (t.size > 0) this.device.upload(t.ptr, data);
  }

  protected kDownload(t: CudaTensor): Float32Array {
    return t.size > 0 ? this.device.download(t.ptr, t.size) : new Float32Array(0);
  }

  protected kDispose(): void {
    this.device.dispose();
  }

  protected kMatmul(a: CudaTensor, b: CudaTensor, out: CudaTensor, m: MatmulArgs<CudaTensor>): void {
    this.device.gemm(a.ptr, b.ptr, out.ptr, m.bias?.ptr ?? 0, m.M, m.N, m.K, +m.transA, +m.transB, +m.accumulate, ACT_CODE[m.activation]);
  }

  protected kActivationBackward(y: CudaTensor, dy: CudaTensor, dx: CudaTensor, activation: Activation): void {
    this.device.actBackward(y.ptr, dy.ptr, dx.ptr, y.size, ACT_CODE[activation]);
  }

  protected kBiasGrad(dy: CudaTensor, db: CudaTensor, rows: number, cols: number, accumulate: boolean): void {
    this.device.biasGrad(dy.ptr, db.ptr, rows, cols, +accumulate);
  }

  protected kDropout(x: CudaTensor, out: CudaTensor, mask: CudaTensor, p: number, rng: RandomOptions): void {
    this.device.dropout(x.ptr, out.ptr, mask.ptr, x.size, rng.seed, rng.offset, dropThreshold(p), dropScale(p));
  }

  protected kReluDropoutBackward(out: CudaTensor, dy: CudaTensor, dx: CudaTensor, a: ReluDropoutArgs<CudaTensor>): void {
    this.device.reluDropoutBackward(out.ptr, dy.ptr, dx.ptr, a.rows, a.cols, a.scale, a.db?.ptr ?? 0, +a.accumulate);
  }

  protected kMul(a: CudaTensor, b: CudaTensor, out: CudaTensor): void {
    this.device.mul(a.ptr, b.ptr, out.ptr, a.size);
  }

  protected kSoftmax(x: CudaTensor, out: CudaTensor, rows: number, cols: number): void {
    this.device.softmax(x.ptr, out.ptr, rows, cols);
  }

  protected kSoftmaxBackward(y: CudaTensor, dy: CudaTensor, dx: CudaTensor, rows: number, cols: number): void {
    this.device.softmaxBackward(y.ptr, dy.ptr, dx.ptr, rows, cols);
  }

  protected kAxpby(x: CudaTensor, y: CudaTensor, out: CudaTensor, alpha: number, beta: number): void {
    this.device.axpby(x.ptr, y.ptr, out.ptr, x.size, alpha, beta);
  }

  protected kL2NormalizeRows(x: CudaTensor, out: CudaTensor, rows: number, cols: number, scale: number): void {
    this.device.l2NormalizeRows(x.ptr, out.ptr, rows, cols, scale);
  }

  protected kEntropy(logits: CudaTensor, loss: CudaTensor, dLogits: CudaTensor | undefined, rows: number, cols: number): void {
    this.device.entropy(logits.ptr, rows, cols, loss.ptr, dLogits?.ptr ?? 0);
  }

  protected kBce(y: CudaTensor, target: CudaTensor, loss: CudaTensor, dLogits: CudaTensor | undefined): void {
    this.device.bceWithSigmoid(y.ptr, target.ptr, y.size, loss.ptr, dLogits?.ptr ?? 0);
  }

  protected kCrossEntropy(logits: CudaTensor, target: CudaTensor, loss: CudaTensor, dLogits: CudaTensor | undefined, rows: number, cols: number): void {
    this.device.crossEntropy(logits.ptr, target.ptr, rows, cols, loss.ptr, dLogits?.ptr ?? 0);
  }

  protected kDiscriminatorLoss(dReal: CudaTensor, dFake: CudaTensor, loss: CudaTensor, gradReal: CudaTensor | undefined, gradFake: CudaTensor | undefined): void {
    this.device.discriminatorLoss(dReal.ptr, dFake.ptr, dReal.size, loss.ptr, gradReal?.ptr ?? 0, gradFake?.ptr ?? 0);
  }

  protected kGeneratorLoss(dFake: CudaTensor, loss: CudaTensor, gradFake: CudaTensor | undefined): void {
    this.device.generatorLoss(dFake.ptr, dFake.size, loss.ptr, gradFake?.ptr ?? 0);
  }

  protected kClusterHeadCost(heads: CudaTensor, cost: CudaTensor, grad: CudaTensor, d: number, n: number, eta: number, weight: number): void {
    this.device.clusterHeadCost(heads.ptr, d, n, eta, weight, cost.ptr, grad.ptr);
  }

  protected kAdam(params: CudaTensor[], grads: CudaTensor[], m: CudaTensor[], v: CudaTensor[], o: AdamOptions, group: AdamGroup): void {
    // The table of (param, grad, m, v, n) lives on the device, built at a group's first step (an optimiser passes
    // the same group every step; its tensors must not change afterwards).
    let entry = this.#adamTables.get(group.params);
    if (!entry) {
      const flat = params.flatMap((p, i) => [p.ptr, grads[i]!.ptr, m[i]!.ptr, v[i]!.ptr, p.size]);
      entry = { table: this.device.adamTable(flat), maxN: Math.max(...params.map((p) => p.size)) };
      this.#adamTables.set(group.params, entry);
    }
    this.device.adam(entry.table, params.length, entry.maxN, o.lr, o.beta1, o.beta2, o.eps, o.weightDecay, o.step);
  }

  protected kRandomNormal(out: CudaTensor, rng: RandomOptions, mean: number, std: number): void {
    this.device.normalFill(out.ptr, out.size, rng.seed, rng.offset, mean, std);
  }

  protected kRandomUniform(out: CudaTensor, rng: RandomOptions, low: number, high: number): void {
    this.device.uniformFill(out.ptr, out.size, rng.seed, rng.offset, low, high);
  }

  protected kRandomCategorical(out: CudaTensor, rng: RandomOptions, rows: number, cols: number): void {
    this.device.categorical(out.ptr, rows, cols, rng.seed, rng.offset);
  }

  protected kRandomTranslate(x: CudaTensor, out: CudaTensor, rng: RandomOptions, a: TranslateArgs): void {
    this.device.randomTranslate(x.ptr, out.ptr, a.rows, a.height, a.width, a.channels, a.maxShift, rng.seed, rng.offset);
  }

  protected kGatherRows(src: CudaTensor, indices: CudaTensor, out: CudaTensor, _srcRows: number, cols: number, first: number, count: number): void {
    // Row indices are not validated here (that would need a synchronising download); the trainer builds them.
    this.device.gatherRows(src.ptr, indices.ptr + 4 * first, out.ptr, count, cols);
  }

  protected kCopy(src: CudaTensor, dst: CudaTensor, a: CopyArgs): void {
    this.device.copyCols(src.ptr, dst.ptr, a.rows, a.srcCols, a.dstCols, a.srcCol, a.dstCol, a.cols);
  }

  protected kFill(out: CudaTensor, value: number): void {
    this.device.fill(out.ptr, out.size, value);
  }

  protected kFlagNonFinite(x: CudaTensor, flag: CudaTensor): void {
    this.device.flagNonFinite(x.ptr, x.size, flag.ptr);
  }

  protected kSum(x: CudaTensor, out: CudaTensor): void {
    this.device.sum(x.ptr, x.size, out.ptr);
  }

  // CUDA Graphs: the ops run by captureGraph's callback are recorded by CUDA stream capture into one graph. The random
  // kernels and Adam captured there read their offset and step shift from device memory, set by each launch.
  protected override kBeginCapture(): void {
    this.device.beginCapture();
  }

  protected override kAbortCapture(): void {
    this.device.abortCapture();
  }

  protected override kEndCapture(): StepGraph {
    const device = this.device;
    let id: number | undefined = device.endCapture();
    return {
      launch: (shift: GraphShift) => {
        if (id === undefined) this.fail('graph.launch', 'the graph has been disposed');
        this.notCapturing('graph.launch');
        this.checkShift(shift);
        device.launchGraph(id, shift.rng, shift.step);
      },
      dispose: () => {
        if (id !== undefined) device.destroyGraph(id);
        id = undefined;
      },
    };
  }
}
