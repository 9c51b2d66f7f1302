// The backends whose tensors live behind a native addon's Device object (CUDA: native/src/addon.cc; CPU:
// native/src/cpu/addon.cc): tensors are allocations addressed by numbers holding pointers, and every op is one call
// of the Device with the same arguments on both addons, so this one class drives either. Subclasses add what differs
// (info(), and on CUDA its graph capture).
import { type Activation, type AdamGroup, type AdamOptions, type DType, type RandomOptions, Tensor } from './backend.js';
import { CheckedBackend, type CopyArgs, type MatmulArgs, type ReluDropoutArgs, type TranslateArgs } from './checked.js';
import { dropScale, dropThreshold } from '../rng.js';
import { type DeviceOps } from './kernel-table.js';

/**
 * The Device object both addons export; pointers are addresses as numbers (exact below 2^53). The op methods' argument
 * lists come from the kernel table (kernel-table.ts), which a test checks against both addons' C++.
 */
export interface NativeDevice extends DeviceOps {
  alloc(bytes: number): number;
  free(ptr: number): void;
  /** Copies data's bytes (float32 values, or a pixel tensor's uint8) to ptr. */
  upload(ptr: number, data: Float32Array | Uint8Array): void;
  download(ptr: number, n: number): Float32Array;
  dispose(): void;
  /** A table of (param, grad, m, v, n) per tensor in the addon's memory, for adam(). */
  adamTable(entries: number[]): number;
}

export class DeviceTensor extends Tensor {
  constructor(
    /** The backend instance that allocated it: another instance's ops refuse it. */
    readonly owner: object,
    backend: string,
    shape: readonly number[],
    /** Address (0 for empty tensors). */
    readonly ptr: number,
    dtype?: DType,
  ) {
    super(backend, shape, dtype);
  }
}

const ACT_CODE: Record<Activation, number> = { none: 0, relu: 1, sigmoid: 2 };

export abstract class DeviceBackend extends CheckedBackend<DeviceTensor> {
  /** Adam argument tables, built once per parameter group (in the addon's memory). */
  readonly #adamTables = new WeakMap<Tensor[], { table: number; maxN: number }>();

  protected constructor(
    name: string,
    protected readonly device: NativeDevice,
  ) {
    super(name);
  }

  protected owns(t: Tensor): t is DeviceTensor {
    return t instanceof DeviceTensor && t.owner === this;
  }

  protected kAlloc(shape: readonly number[]): DeviceTensor {
    const size = shape.reduce((a, b) => a * b, 1);
    if (size === 0) return new DeviceTensor(this, this.backendName, shape, 0);
    const t = new DeviceTensor(this, this.backendName, shape, this.device.alloc(size * 4));
    this.device.fill(t.ptr, size, 0);
    return t;
  }

  protected kPixels(shape: readonly [number, number], data: Uint8Array): DeviceTensor {
    if (data.length === 0) return new DeviceTensor(this, this.backendName, shape, 0, 'uint8');
    const t = new DeviceTensor(this, this.backendName, shape, this.device.alloc(data.length), 'uint8');
    try {
      this.device.upload(t.ptr, data);
    } catch (e) {
      this.device.free(t.ptr);
      throw e;
    }
    return t;
  }

  protected kFree(t: DeviceTensor): void {
    if (t.ptr !== 0) this.device.free(t.ptr);
  }

  protected kUpload(t: DeviceTensor, data: Float32Array): void {
    if (t.size > 0) this.device.upload(t.ptr, data);
  }

  protected kDownload(t: DeviceTensor): Float32Array {
    return t.size > 0 ? this.device.download(t.ptr, t.size) : new Float32Array(0);
  }

  protected kDispose(): void {
    this.device.dispose();
  }

  protected kMatmul(a: DeviceTensor, b: DeviceTensor, out: DeviceTensor, m: MatmulArgs<DeviceTensor>): void {
    this.device.gemm(a.ptr, b.ptr, out.ptr, m.bias?.ptr ?? 0, m.M, m.N, m.K, +m.transA, +m.transB, +m.accumulate, ACT_CODE[m.activation]);
  }

  protected kActivationBackward(y: DeviceTensor, dy: DeviceTensor, dx: DeviceTensor, activation: Activation): void {
    this.device.actBackward(y.ptr, dy.ptr, dx.ptr, y.size, ACT_CODE[activation]);
  }

  protected kBiasGrad(dy: DeviceTensor, db: DeviceTensor, rows: number, cols: number, accumulate: boolean): void {
    this.device.biasGrad(dy.ptr, db.ptr, rows, cols, +accumulate);
  }

  protected kDropout(x: DeviceTensor, out: DeviceTensor, mask: DeviceTensor, p: number, rng: RandomOptions): void {
    this.device.dropout(x.ptr, out.ptr, mask.ptr, x.size, rng.seed, rng.offset, dropThreshold(p), dropScale(p));
  }

  protected kReluDropoutBackward(out: DeviceTensor, dy: DeviceTensor, dx: DeviceTensor, a: ReluDropoutArgs<DeviceTensor>): void {
    this.device.reluDropoutBackward(out.ptr, dy.ptr, dx.ptr, a.rows, a.cols, a.scale, a.db?.ptr ?? 0, +a.accumulate);
  }

  protected kMul(a: DeviceTensor, b: DeviceTensor, out: DeviceTensor): void {
    this.device.mul(a.ptr, b.ptr, out.ptr, a.size);
  }

  protected kSoftmax(x: DeviceTensor, out: DeviceTensor, rows: number, cols: number): void {
    this.device.softmax(x.ptr, out.ptr, rows, cols);
  }

  protected kSoftmaxBackward(y: DeviceTensor, dy: DeviceTensor, dx: DeviceTensor, rows: number, cols: number): void {
    this.device.softmaxBackward(y.ptr, dy.ptr, dx.ptr, rows, cols);
  }

  protected kAxpby(x: DeviceTensor, y: DeviceTensor, out: DeviceTensor, alpha: number, beta: number): void {
    this.device.axpby(x.ptr, y.ptr, out.ptr, x.size, alpha, beta);
  }

  protected kL2NormalizeRows(x: DeviceTensor, out: DeviceTensor, rows: number, cols: number, scale: number, rowScales: DeviceTensor | undefined): void {
    this.device.l2NormalizeRows(x.ptr, out.ptr, rows, cols, scale, rowScales?.ptr ?? 0);
  }

  protected kEntropy(logits: DeviceTensor, loss: DeviceTensor, dLogits: DeviceTensor | undefined, rows: number, cols: number): void {
    this.device.entropy(logits.ptr, rows, cols, loss.ptr, dLogits?.ptr ?? 0);
  }

  protected kMarginalEntropy(logits: DeviceTensor, loss: DeviceTensor, dLogits: DeviceTensor | undefined, rows: number, cols: number): void {
    this.device.marginalEntropy(logits.ptr, rows, cols, loss.ptr, dLogits?.ptr ?? 0);
  }

  protected kBce(y: DeviceTensor, target: DeviceTensor, loss: DeviceTensor, dLogits: DeviceTensor | undefined): void {
    this.device.bceWithSigmoid(y.ptr, target.ptr, y.size, loss.ptr, dLogits?.ptr ?? 0);
  }

  protected kCrossEntropy(logits: DeviceTensor, target: DeviceTensor, loss: DeviceTensor, dLogits: DeviceTensor | undefined, rows: number, cols: number): void {
    this.device.crossEntropy(logits.ptr, target.ptr, rows, cols, loss.ptr, dLogits?.ptr ?? 0);
  }

  protected kDiscriminatorLoss(dReal: DeviceTensor, dFake: DeviceTensor, loss: DeviceTensor, gradReal: DeviceTensor | undefined, gradFake: DeviceTensor | undefined): void {
    this.device.discriminatorLoss(dReal.ptr, dFake.ptr, dReal.size, loss.ptr, gradReal?.ptr ?? 0, gradFake?.ptr ?? 0);
  }

  protected kGeneratorLoss(dFake: DeviceTensor, loss: DeviceTensor, gradFake: DeviceTensor | undefined): void {
    this.device.generatorLoss(dFake.ptr, dFake.size, loss.ptr, gradFake?.ptr ?? 0);
  }

  protected kClusterHeadCost(heads: DeviceTensor, cost: DeviceTensor, grad: DeviceTensor, d: number, n: number, eta: number, weight: number): void {
    this.device.clusterHeadCost(heads.ptr, d, n, eta, weight, cost.ptr, grad.ptr);
  }

  protected kAdam(params: DeviceTensor[], grads: DeviceTensor[], m: DeviceTensor[], v: DeviceTensor[], o: AdamOptions, group: AdamGroup): void {
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

  protected kRandomNormal(out: DeviceTensor, rng: RandomOptions, mean: number, std: number): void {
    this.device.normalFill(out.ptr, out.size, rng.seed, rng.offset, mean, std);
  }

  protected kRandomUniform(out: DeviceTensor, rng: RandomOptions, low: number, high: number): void {
    this.device.uniformFill(out.ptr, out.size, rng.seed, rng.offset, low, high);
  }

  protected kRandomCategorical(out: DeviceTensor, rng: RandomOptions, rows: number, cols: number): void {
    this.device.categorical(out.ptr, rows, cols, rng.seed, rng.offset);
  }

  protected kRandomTranslate(x: DeviceTensor, out: DeviceTensor, rng: RandomOptions, a: TranslateArgs): void {
    this.device.randomTranslate(x.ptr, out.ptr, a.rows, a.height, a.width, a.channels, a.maxShift, rng.seed, rng.offset);
  }

  protected kGatherRows(src: DeviceTensor, indices: DeviceTensor, out: DeviceTensor, _srcRows: number, cols: number, first: number, count: number): void {
    // Row indices are not validated here (that would need a synchronising download); the trainer builds them.
    this.device.gatherRows(src.ptr, indices.ptr + 4 * first, out.ptr, count, cols);
  }

  protected kGatherPixels(src: DeviceTensor, indices: DeviceTensor, out: DeviceTensor, _srcRows: number, cols: number, first: number, count: number): void {
    this.device.gatherPixels(src.ptr, indices.ptr + 4 * first, out.ptr, count, cols);
  }

  protected kCopy(src: DeviceTensor, dst: DeviceTensor, a: CopyArgs): void {
    this.device.copyCols(src.ptr, dst.ptr, a.rows, a.srcCols, a.dstCols, a.srcCol, a.dstCol, a.cols);
  }

  protected kFill(out: DeviceTensor, value: number): void {
    this.device.fill(out.ptr, out.size, value);
  }

  protected kFlagNonFinite(x: DeviceTensor, flag: DeviceTensor): void {
    this.device.flagNonFinite(x.ptr, x.size, flag.ptr);
  }

  protected kSum(x: DeviceTensor, out: DeviceTensor): void {
    this.device.sum(x.ptr, x.size, out.ptr);
  }
}
