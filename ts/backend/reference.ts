// The float64 reference backend: the oracle every other backend is tested against. Naive loops on purpose, one
// op per method, each written to be read next to its definition in backend.ts. Never fast; always clear.
import { type Activation, type AdamOptions, type BackendInfo, type DType, LOSS_EPS, type RandomOptions, Tensor } from './backend.js';
import { CheckedBackend, type CopyArgs, type MatmulArgs, type ReluDropoutArgs, type TranslateArgs } from './checked.js';
import { clusterHeadCost } from './cluster-heads.js';
import { categoryOf, dropScale, dropThreshold, forEachWord, normals, translationShifts, uniforms } from '../rng.js';

export class ReferenceTensor extends Tensor {
  constructor(
    shape: readonly number[],
    /** The values; a uint8 pixel tensor holds its bytes 0..255. */
    readonly data: Float64Array,
    dtype?: DType,
  ) {
    super('reference', shape, dtype);
  }
}

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/** log sum exp(z) of one row of logits, with the max subtracted first. */
function logSumExp(z: Float64Array): number {
  const max = Math.max(...z);
  let sumExp = 0;
  for (const v of z) sumExp += Math.exp(v - max);
  return max + Math.log(sumExp);
}

function activate(x: number, activation: Activation): number {
  if (activation === 'relu') return x > 0 ? x : 0;
  if (activation === 'sigmoid') return sigmoid(x);
  return x;
}

export class ReferenceBackend extends CheckedBackend<ReferenceTensor> {
  constructor() {
    super('reference');
  }

  info(): BackendInfo {
    return { name: 'reference', device: 'CPU, float64, naive loops', threads: 1, simd: 'none', reason: 'float64 oracle for tests' };
  }

  /** The float64 contents (for finite-difference gradient checks); the returned array is a copy. */
  read64(t: Tensor): Float64Array {
    return this.live('read64', 'tensor', t).data.slice();
  }

  /** Writes float64 values without rounding to float32 (for finite-difference gradient checks). */
  write64(t: Tensor, values: ArrayLike<number>): void {
    const x = this.live('write64', 'tensor', t);
    if (values.length !== x.size) this.fail('write64', `${x.describe()} holds ${x.size} values but got ${values.length}`);
    x.data.set(values);
  }

  protected owns(t: Tensor): t is ReferenceTensor {
    return t instanceof ReferenceTensor;
  }

  protected kAlloc(shape: readonly number[]): ReferenceTensor {
    return new ReferenceTensor(shape, new Float64Array(shape.reduce((a, b) => a * b, 1)));
  }

  protected kPixels(shape: readonly [number, number], data: Uint8Array): ReferenceTensor {
    return new ReferenceTensor(shape, Float64Array.from(data), 'uint8');
  }

  protected kFree(): void {}

  protected kUpload(t: ReferenceTensor, data: Float32Array): void {
    t.data.set(data);
  }

  protected kDownload(t: ReferenceTensor): Float32Array {
    return Float32Array.from(t.data);
  }

  protected kDispose(): void {}

  protected kMatmul(a: ReferenceTensor, b: ReferenceTensor, out: ReferenceTensor, args: MatmulArgs<ReferenceTensor>): void {
    const { M, N, K, transA, transB, accumulate, bias, activation } = args;
    const A = (i: number, k: number) => (transA ? a.data[k * M + i]! : a.data[i * K + k]!);
    const B = (k: number, j: number) => (transB ? b.data[j * K + k]! : b.data[k * N + j]!);
    for (let i = 0; i < M; i++) {
      for (let j = 0; j < N; j++) {
        let s = accumulate ? out.data[i * N + j]! : 0;
        for (let k = 0; k < K; k++) s += A(i, k) * B(k, j);
        if (bias) s += bias.data[j]!;
        out.data[i * N + j] = activate(s, activation);
      }
    }
  }

  protected kActivationBackward(y: ReferenceTensor, dy: ReferenceTensor, dx: ReferenceTensor, activation: Activation): void {
    for (let i = 0; i < y.size; i++) {
      const v = y.data[i]!;
      const g = dy.data[i]!;
      if (activation === 'relu') dx.data[i] = v > 0 ? g : 0;
      else if (activation === 'sigmoid') dx.data[i] = g * v * (1 - v);
      else dx.data[i] = g;
    }
  }

  protected kBiasGrad(dy: ReferenceTensor, db: ReferenceTensor, rows: number, cols: number, accumulate: boolean): void {
    for (let j = 0; j < cols; j++) {
      let s = accumulate ? db.data[j]! : 0;
      for (let i = 0; i < rows; i++) s += dy.data[i * cols + j]!;
      db.data[j] = s;
    }
  }

  protected kDropout(x: ReferenceTensor, out: ReferenceTensor, mask: ReferenceTensor, p: number, rng: RandomOptions): void {
    const threshold = dropThreshold(p);
    const scale = dropScale(p);
    forEachWord(rng.seed, rng.offset, x.size, (i, word) => {
      mask.data[i] = word >>> 8 >= threshold ? scale : 0;
      out.data[i] = x.data[i]! * mask.data[i]!;
    });
  }

  protected kReluDropoutBackward(out: ReferenceTensor, dy: ReferenceTensor, dx: ReferenceTensor, a: ReluDropoutArgs<ReferenceTensor>): void {
    for (let i = 0; i < out.size; i++) dx.data[i] = out.data[i]! > 0 ? dy.data[i]! * a.scale : 0;
    if (a.db) this.kBiasGrad(dx, a.db, a.rows, a.cols, a.accumulate);
  }

  protected kMul(a: ReferenceTensor, b: ReferenceTensor, out: ReferenceTensor): void {
    for (let i = 0; i < a.size; i++) out.data[i] = a.data[i]! * b.data[i]!;
  }

  protected kSoftmax(x: ReferenceTensor, out: ReferenceTensor, rows: number, cols: number): void {
    for (let r = 0; r < rows; r++) {
      const row = x.data.subarray(r * cols, (r + 1) * cols);
      const max = Math.max(...row);
      let total = 0;
      for (let c = 0; c < cols; c++) total += Math.exp(row[c]! - max);
      for (let c = 0; c < cols; c++) out.data[r * cols + c] = Math.exp(row[c]! - max) / total;
    }
  }

  protected kSoftmaxBackward(y: ReferenceTensor, dy: ReferenceTensor, dx: ReferenceTensor, rows: number, cols: number): void {
    for (let r = 0; r < rows; r++) {
      let dot = 0;
      for (let c = 0; c < cols; c++) dot += dy.data[r * cols + c]! * y.data[r * cols + c]!;
      for (let c = 0; c < cols; c++) dx.data[r * cols + c] = y.data[r * cols + c]! * (dy.data[r * cols + c]! - dot);
    }
  }

  protected kAxpby(x: ReferenceTensor, y: ReferenceTensor, out: ReferenceTensor, alpha: number, beta: number): void {
    for (let i = 0; i < x.size; i++) out.data[i] = alpha * x.data[i]! + beta * y.data[i]!;
  }

  protected kL2NormalizeRows(x: ReferenceTensor, out: ReferenceTensor, rows: number, cols: number, scale: number, rowScales: ReferenceTensor | undefined): void {
    for (let r = 0; r < rows; r++) {
      let ss = 0;
      for (let c = 0; c < cols; c++) ss += x.data[r * cols + c]! ** 2;
      const k = ss > 0 ? (scale * (rowScales ? rowScales.data[r]! : 1)) / Math.sqrt(ss) : 0;
      for (let c = 0; c < cols; c++) out.data[r * cols + c] = k * x.data[r * cols + c]!;
    }
  }

  protected kEntropy(logits: ReferenceTensor, loss: ReferenceTensor, dLogits: ReferenceTensor | undefined, rows: number, cols: number): void {
    let total = 0;
    for (let r = 0; r < rows; r++) {
      const z = logits.data.subarray(r * cols, (r + 1) * cols);
      const logZ = logSumExp(z);
      let h = 0;
      for (let c = 0; c < cols; c++) h -= Math.exp(z[c]! - logZ) * (z[c]! - logZ);
      total += h;
      if (dLogits) {
        for (let c = 0; c < cols; c++) dLogits.data[r * cols + c] = (-Math.exp(z[c]! - logZ) * (z[c]! - logZ + h)) / rows;
      }
    }
    loss.data[0] = total / rows;
  }

  protected kMarginalEntropy(logits: ReferenceTensor, loss: ReferenceTensor, dLogits: ReferenceTensor | undefined, rows: number, cols: number): void {
    const logZ = Array.from({ length: rows }, (_, r) => logSumExp(logits.data.subarray(r * cols, (r + 1) * cols)));
    const q = (r: number, c: number) => Math.exp(logits.data[r * cols + c]! - logZ[r]!);
    const mean = new Float64Array(cols);
    for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) mean[c] = mean[c]! + q(r, c);
    const logMean = new Float64Array(cols);
    let h = 0;
    for (let c = 0; c < cols; c++) {
      mean[c] = mean[c]! / rows;
      logMean[c] = mean[c]! > 0 ? Math.log(mean[c]!) : 0;
      h -= mean[c]! * logMean[c]!;
    }
    loss.data[0] = h;
    if (!dLogits) return;
    for (let r = 0; r < rows; r++) {
      let s = 0;
      for (let c = 0; c < cols; c++) s += q(r, c) * logMean[c]!;
      for (let c = 0; c < cols; c++) dLogits.data[r * cols + c] = (q(r, c) * (s - logMean[c]!)) / rows;
    }
  }

  protected kBce(y: ReferenceTensor, target: ReferenceTensor, loss: ReferenceTensor, dLogits: ReferenceTensor | undefined): void {
    const n = y.size;
    let total = 0;
    for (let i = 0; i < n; i++) {
      const p = y.data[i]!;
      const t = target.data[i]!;
      total += t * Math.log(p + LOSS_EPS) + (1 - t) * Math.log(1 - p + LOSS_EPS);
      // d/dz of the loss term through y = sigmoid(z), where dy/dz = y (1 - y).
      if (dLogits) dLogits.data[i] = ((-t * p * (1 - p)) / (p + LOSS_EPS) + ((1 - t) * p * (1 - p)) / (1 - p + LOSS_EPS)) / n;
    }
    loss.data[0] = -total / n;
  }

  protected kCrossEntropy(
    logits: ReferenceTensor,
    target: ReferenceTensor,
    loss: ReferenceTensor,
    dLogits: ReferenceTensor | undefined,
    rows: number,
    cols: number,
  ): void {
    let total = 0;
    for (let r = 0; r < rows; r++) {
      const z = logits.data.subarray(r * cols, (r + 1) * cols);
      const t = target.data.subarray(r * cols, (r + 1) * cols);
      const logZ = logSumExp(z);
      let tSum = 0;
      for (let c = 0; c < cols; c++) {
        total += t[c]! * (z[c]! - logZ);
        tSum += t[c]!;
      }
      if (dLogits) {
        for (let c = 0; c < cols; c++) dLogits.data[r * cols + c] = (Math.exp(z[c]! - logZ) * tSum - t[c]!) / rows;
      }
    }
    loss.data[0] = -total / rows;
  }

  protected kDiscriminatorLoss(
    dReal: ReferenceTensor,
    dFake: ReferenceTensor,
    loss: ReferenceTensor,
    gradReal: ReferenceTensor | undefined,
    gradFake: ReferenceTensor | undefined,
  ): void {
    const n = dReal.size;
    let total = 0;
    for (let i = 0; i < n; i++) {
      const r = dReal.data[i]!;
      const f = dFake.data[i]!;
      total += Math.log(r + LOSS_EPS) + Math.log(1 - f + LOSS_EPS);
      if (gradReal) gradReal.data[i] = -(r * (1 - r)) / (r + LOSS_EPS) / n;
      if (gradFake) gradFake.data[i] = (f * (1 - f)) / (1 - f + LOSS_EPS) / n;
    }
    loss.data[0] = -total / n;
  }

  protected kClusterHeadCost(heads: ReferenceTensor, cost: ReferenceTensor, grad: ReferenceTensor, d: number, n: number, eta: number, weight: number): void {
    const r = clusterHeadCost(heads.data, { d, n, eta });
    cost.data[0] = weight * r.cost;
    for (let i = 0; i < d * n; i++) grad.data[i] = grad.data[i]! + weight * r.grad[i]!;
  }

  protected kGeneratorLoss(dFake: ReferenceTensor, loss: ReferenceTensor, gradFake: ReferenceTensor | undefined): void {
    const n = dFake.size;
    let total = 0;
    for (let i = 0; i < n; i++) {
      const f = dFake.data[i]!;
      total += Math.log(f + LOSS_EPS);
      if (gradFake) gradFake.data[i] = -(f * (1 - f)) / (f + LOSS_EPS) / n;
    }
    loss.data[0] = -total / n;
  }

  protected kAdam(params: ReferenceTensor[], grads: ReferenceTensor[], m: ReferenceTensor[], v: ReferenceTensor[], o: AdamOptions): void {
    const bc1 = 1 - o.beta1 ** o.step;
    const bc2 = 1 - o.beta2 ** o.step;
    const stepSize = o.lr / bc1;
    for (let t = 0; t < params.length; t++) {
      const p = params[t]!.data;
      const g = grads[t]!.data;
      const mt = m[t]!.data;
      const vt = v[t]!.data;
      for (let i = 0; i < p.length; i++) {
        const gi = g[i]! + o.weightDecay * p[i]!;
        mt[i] = o.beta1 * mt[i]! + (1 - o.beta1) * gi;
        vt[i] = o.beta2 * vt[i]! + (1 - o.beta2) * gi * gi;
        const denom = Math.sqrt(vt[i]!) / Math.sqrt(bc2) + o.eps;
        p[i] = p[i]! - (stepSize * mt[i]!) / denom;
      }
    }
  }

  protected kRandomNormal(out: ReferenceTensor, rng: RandomOptions, mean: number, std: number): void {
    const z = normals(rng.seed, rng.offset, out.size);
    for (let i = 0; i < out.size; i++) out.data[i] = mean + std * z[i]!;
  }

  protected kRandomUniform(out: ReferenceTensor, rng: RandomOptions, low: number, high: number): void {
    const u = uniforms(rng.seed, rng.offset, out.size);
    for (let i = 0; i < out.size; i++) out.data[i] = low + (high - low) * u[i]!;
  }

  protected kRandomCategorical(out: ReferenceTensor, rng: RandomOptions, rows: number, cols: number): void {
    out.data.fill(0);
    forEachWord(rng.seed, rng.offset, rows, (r, word) => {
      out.data[r * cols + categoryOf(word, cols)] = 1;
    });
  }

  protected kRandomTranslate(x: ReferenceTensor, out: ReferenceTensor, rng: RandomOptions, a: TranslateArgs): void {
    const { height: H, width: W, channels: C } = a;
    const shifts = translationShifts(rng.seed, rng.offset, a.rows, a.maxShift);
    for (let i = 0; i < a.rows; i++) {
      const dx = shifts[2 * i]!;
      const dy = shifts[2 * i + 1]!;
      const base = i * H * W * C;
      for (let r = 0; r < H; r++) {
        for (let c = 0; c < W; c++) {
          const sr = r - dy;
          const sc = c - dx;
          const inside = sr >= 0 && sr < H && sc >= 0 && sc < W;
          for (let ch = 0; ch < C; ch++) out.data[base + (r * W + c) * C + ch] = inside ? x.data[base + (sr * W + sc) * C + ch]! : 0;
        }
      }
    }
  }

  /** indices[first + i] for i < count, each checked to be a row of a src of srcRows rows. */
  #rows(indices: ReferenceTensor, srcRows: number, first: number, count: number): number[] {
    return Array.from({ length: count }, (_, i) => {
      const row = indices.data[first + i]!;
      if (!Number.isInteger(row) || row < 0 || row >= srcRows) {
        this.fail('gatherRows', `indices[${first + i}] = ${row} is not a row of src (expected an integer in [0, ${srcRows}))`);
      }
      return row;
    });
  }

  protected kGatherRows(src: ReferenceTensor, indices: ReferenceTensor, out: ReferenceTensor, srcRows: number, cols: number, first: number, count: number): void {
    this.#rows(indices, srcRows, first, count).forEach((row, i) => out.data.set(src.data.subarray(row * cols, (row + 1) * cols), i * cols));
  }

  protected kGatherPixels(src: ReferenceTensor, indices: ReferenceTensor, out: ReferenceTensor, srcRows: number, cols: number, first: number, count: number): void {
    // Math.fround(b / 255): the float32 pixel value the host computes from the byte.
    this.#rows(indices, srcRows, first, count).forEach((row, i) => {
      for (let c = 0; c < cols; c++) out.data[i * cols + c] = Math.fround(src.data[row * cols + c]! / 255);
    });
  }

  protected kCopy(src: ReferenceTensor, dst: ReferenceTensor, a: CopyArgs): void {
    for (let r = 0; r < a.rows; r++) {
      for (let c = 0; c < a.cols; c++) dst.data[r * a.dstCols + a.dstCol + c] = src.data[r * a.srcCols + a.srcCol + c]!;
    }
  }

  protected kFill(out: ReferenceTensor, value: number): void {
    out.data.fill(value);
  }

  protected kFlagNonFinite(x: ReferenceTensor, flag: ReferenceTensor): void {
    if (x.data.some((v) => !Number.isFinite(v))) flag.data[0] = 1;
  }

  protected kSum(x: ReferenceTensor, out: ReferenceTensor): void {
    let s = 0;
    for (let i = 0; i < x.size; i++) s += x.data[i]!;
    out.data[0] = s;
  }
}
