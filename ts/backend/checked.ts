// CheckedBackend: the shape and argument checks every backend shares. Public ops validate, then call the
// protected kernel (`k*`) of the concrete backend, which may assume valid arguments.
import {
  type Activation,
  type AdamGroup,
  type AdamOptions,
  type Backend,
  type BackendInfo,
  BackendError,
  type CopyOptions,
  type MatmulOptions,
  type GraphShift,
  type RandomOptions,
  type StepGraph,
  Tensor,
} from './backend.js';
import { dropScale } from '../rng.js';

const ACTIVATIONS: readonly Activation[] = ['none', 'relu', 'sigmoid'];

/** The largest logits marginalEntropy takes: its kernels keep the mean row (C doubles) and, on CUDA, each row's
 * log-normaliser in fixed scratch or shared memory. */
export const MARGINAL_MAX_COLUMNS = 1024;
export const MARGINAL_MAX_ROWS = 2048;

const fmt = (shape: readonly (number | string)[]): string => `[${shape.join(', ')}]`;

/** Normalised matmul arguments handed to kernels. */
export interface MatmulArgs<T extends Tensor = Tensor> {
  M: number;
  N: number;
  K: number;
  transA: boolean;
  transB: boolean;
  accumulate: boolean;
  bias: T | undefined;
  activation: Activation;
}

/** Normalised reluDropoutBackward arguments: dx = out > 0 ? dy * scale : 0 over (rows, cols); db [+]= colsum(dx). */
export interface ReluDropoutArgs<T extends Tensor = Tensor> {
  rows: number;
  cols: number;
  /** 1 / (1 - p) rounded to f32, the factor dropout's mask holds. */
  scale: number;
  db: T | undefined;
  accumulate: boolean;
}

/** Normalised randomTranslate arguments: rows images of height x width pixels with `channels` interleaved values. */
export interface TranslateArgs {
  rows: number;
  height: number;
  width: number;
  channels: number;
  maxShift: number;
}

export interface CopyArgs {
  rows: number;
  srcCols: number;
  dstCols: number;
  srcCol: number;
  dstCol: number;
  cols: number;
}

/** (rows, cols) view of a tensor: the last dimension is the columns. */
function rowsCols(t: Tensor): [number, number] {
  if (t.shape.length === 0) return [1, 1];
  const cols = t.shape[t.shape.length - 1]!;
  return [cols === 0 ? 0 : t.size / cols, cols];
}

const NO_SHIFT: GraphShift = { rng: 0, step: 0 };

export abstract class CheckedBackend<T extends Tensor> implements Backend {
  #disposed = false;
  /** A graph is being captured: ops are recorded, storage calls are refused. */
  #capturing = false;
  /** The generic recorder's list of kernel calls (undefined unless it is capturing). */
  #recording: (() => void)[] | undefined;
  /** Applied to random offsets and Adam steps while a recorded graph replays (zero otherwise). */
  #shift: GraphShift = NO_SHIFT;

  protected constructor(protected readonly backendName: string) {}

  abstract info(): BackendInfo;

  // ---- storage ----------------------------------------------------------------------------------------------
  protected abstract kAlloc(shape: readonly number[]): T;
  /** A uint8 tensor of `shape` (size = data.length) holding data. */
  protected abstract kPixels(shape: readonly [number, number], data: Uint8Array): T;
  protected abstract kFree(t: T): void;
  protected abstract kUpload(t: T, data: Float32Array): void;
  protected abstract kDownload(t: T): Float32Array;
  protected abstract kDispose(): void;

  // ---- kernels ----------------------------------------------------------------------------------------------
  protected abstract kMatmul(a: T, b: T, out: T, args: MatmulArgs<T>): void;
  protected abstract kActivationBackward(y: T, dy: T, dx: T, activation: Activation): void;
  protected abstract kBiasGrad(dy: T, db: T, rows: number, cols: number, accumulate: boolean): void;
  protected abstract kDropout(x: T, out: T, mask: T, p: number, rng: RandomOptions): void;
  protected abstract kMul(a: T, b: T, out: T): void;
  protected abstract kReluDropoutBackward(out: T, dy: T, dx: T, args: ReluDropoutArgs<T>): void;
  protected abstract kSoftmax(x: T, out: T, rows: number, cols: number): void;
  protected abstract kSoftmaxBackward(y: T, dy: T, dx: T, rows: number, cols: number): void;
  protected abstract kAxpby(x: T, y: T, out: T, alpha: number, beta: number): void;
  protected abstract kL2NormalizeRows(x: T, out: T, rows: number, cols: number, scale: number, rowScales: T | undefined): void;
  protected abstract kEntropy(logits: T, loss: T, dLogits: T | undefined, rows: number, cols: number): void;
  protected abstract kMarginalEntropy(logits: T, loss: T, dLogits: T | undefined, rows: number, cols: number): void;
  protected abstract kBce(y: T, target: T, loss: T, dLogits: T | undefined): void;
  protected abstract kCrossEntropy(logits: T, target: T, loss: T, dLogits: T | undefined, rows: number, cols: number): void;
  protected abstract kDiscriminatorLoss(dReal: T, dFake: T, loss: T, gradReal: T | undefined, gradFake: T | undefined): void;
  protected abstract kGeneratorLoss(dFake: T, loss: T, gradFake: T | undefined): void;
  protected abstract kClusterHeadCost(heads: T, cost: T, grad: T, d: number, n: number, eta: number, weight: number): void;
  /** `group` is the caller's object: backends may cache per-group state (the CUDA backend's device-side table). */
  protected abstract kAdam(params: T[], grads: T[], m: T[], v: T[], options: AdamOptions, group: AdamGroup): void;
  protected abstract kRandomNormal(out: T, rng: RandomOptions, mean: number, std: number): void;
  protected abstract kRandomUniform(out: T, rng: RandomOptions, low: number, high: number): void;
  protected abstract kRandomCategorical(out: T, rng: RandomOptions, rows: number, cols: number): void;
  protected abstract kRandomTranslate(x: T, out: T, rng: RandomOptions, args: TranslateArgs): void;
  /** out row i = src row indices[first + i] for i < count. */
  protected abstract kGatherRows(src: T, indices: T, out: T, srcRows: number, cols: number, first: number, count: number): void;
  /** kGatherRows from a uint8 pixel tensor src: out = (float)((double)byte / 255). */
  protected abstract kGatherPixels(src: T, indices: T, out: T, srcRows: number, cols: number, first: number, count: number): void;
  protected abstract kCopy(src: T, dst: T, args: CopyArgs): void;
  protected abstract kFill(out: T, value: number): void;
  protected abstract kSum(x: T, out: T): void;
  protected abstract kFlagNonFinite(x: T, flag: T): void;

  /** Whether t is a tensor of this backend (concrete backends check their subclass). */
  protected abstract owns(t: Tensor): t is T;

  // ---- checks -----------------------------------------------------------------------------------------------
  protected fail(op: string, message: string): never {
    throw new BackendError(`${this.backendName}.${op}: ${message}`);
  }

  /** t as this backend's live tensor; a uint8 pixel tensor only where `options.pixels` says the op takes one. */
  protected live(op: string, name: string, t: Tensor | undefined, options: { pixels?: boolean } = {}): T {
    if (this.#disposed) this.fail(op, 'the backend has been disposed');
    if (!(t instanceof Tensor)) this.fail(op, `${name} must be a Tensor, got ${t === undefined ? 'undefined' : typeof t}`);
    if (t.freed) this.fail(op, `${name} is ${t.describe()}, which has been freed`);
    if (!this.owns(t)) this.fail(op, `${name} is ${t.describe()} from the ${t.backend} backend, not this ${this.backendName} backend`);
    if (t.dtype === 'uint8' && !options.pixels) {
      this.fail(op, `${name} is ${t.describe()}, a uint8 pixel tensor, which only gatherRows (as src) and free take`);
    }
    return t;
  }

  protected sameShape(op: string, names: string[], ts: Tensor[]): void {
    const first = ts[0]!;
    for (let i = 1; i < ts.length; i++) {
      const t = ts[i]!;
      if (t.shape.length !== first.shape.length || t.shape.some((d, j) => d !== first.shape[j])) {
        this.fail(op, `${names[i]} has shape ${fmt(t.shape)} but ${names[0]} has shape ${fmt(first.shape)}; expected equal shapes`);
      }
    }
  }

  protected scalarOut(op: string, t: Tensor): void {
    if (t.size !== 1) this.fail(op, `loss must have exactly one element, got shape ${fmt(t.shape)}`);
  }

  /** A dropout probability: a number in [0, 1). */
  protected checkDropP(op: string, p: unknown): asserts p is number {
    if (typeof p !== 'number' || !(p >= 0 && p < 1)) this.fail(op, `p must be in [0, 1), got ${String(p)}`);
  }

  protected rank2(op: string, name: string, t: Tensor): [number, number] {
    if (t.shape.length !== 2) this.fail(op, `${name} must be 2-D, got shape ${fmt(t.shape)}`);
    return [t.shape[0]!, t.shape[1]!];
  }

  protected finite(op: string, name: string, v: number): void {
    if (typeof v !== 'number' || !Number.isFinite(v)) this.fail(op, `${name} must be a finite number, got ${String(v)}`);
  }

  protected checkRandom(op: string, rng: RandomOptions): void {
    for (const key of ['seed', 'offset'] as const) {
      const v = rng?.[key];
      if (!Number.isSafeInteger(v) || v < 0) this.fail(op, `${key} must be a non-negative safe integer, got ${String(v)}`);
    }
  }

  // ---- storage API --------------------------------------------------------------------------------------------
  tensor(shape: readonly number[], data?: Float32Array): Tensor {
    if (this.#disposed) this.fail('tensor', 'the backend has been disposed');
    this.notCapturing('tensor');
    if (!Array.isArray(shape) || shape.some((d) => !Number.isInteger(d) || d < 0)) {
      this.fail('tensor', `shape must be an array of non-negative integers, got ${JSON.stringify(shape)}`);
    }
    const t = this.kAlloc([...shape]);
    if (data !== undefined) {
      try {
        this.upload(t, data);
      } catch (e) {
        this.free(t);
        throw e;
      }
    }
    return t;
  }

  pixels(shape: readonly [number, number], data: Uint8Array): Tensor {
    const op = 'pixels';
    if (this.#disposed) this.fail(op, 'the backend has been disposed');
    this.notCapturing(op);
    if (!Array.isArray(shape) || shape.length !== 2 || shape.some((d) => !Number.isInteger(d) || d < 0)) {
      this.fail(op, `shape must be [n, features] of non-negative integers, got ${JSON.stringify(shape)}`);
    }
    if (!(data instanceof Uint8Array)) this.fail(op, `data must be a Uint8Array, got ${(data as unknown as object | undefined)?.constructor?.name ?? typeof data}`);
    const [n, features] = shape;
    if (data.length !== n * features) this.fail(op, `shape ${fmt(shape)} holds ${n * features} bytes but data has ${data.length}`);
    return this.kPixels([n, features], data);
  }

  upload(t: Tensor, data: Float32Array): void {
    const x = this.live('upload', 'tensor', t);
    this.notCapturing('upload');
    if (!(data instanceof Float32Array)) this.fail('upload', `data must be a Float32Array, got ${(data as unknown as object | undefined)?.constructor?.name ?? typeof data}`);
    if (data.length !== x.size) this.fail('upload', `${x.describe()} holds ${x.size} values but data has ${data.length}`);
    this.kUpload(x, data);
  }

  download(t: Tensor): Float32Array {
    const x = this.live('download', 'tensor', t);
    this.notCapturing('download');
    return this.kDownload(x);
  }

  free(t: Tensor): void {
    const x = this.live('free', 'tensor', t, { pixels: true });
    this.notCapturing('free');
    this.kFree(x);
    x.markFreed();
  }

  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.kDispose();
  }

  // ---- step graphs ------------------------------------------------------------------------------------------
  captureGraph(fn: () => void): StepGraph {
    if (this.#disposed) this.fail('captureGraph', 'the backend has been disposed');
    this.notCapturing('captureGraph');
    this.#capturing = true;
    this.kBeginCapture();
    try {
      fn();
    } catch (e) {
      this.#capturing = false;
      this.kAbortCapture();
      throw e;
    }
    this.#capturing = false;
    return this.kEndCapture();
  }

  protected checkShift(shift: GraphShift): void {
    for (const key of ['rng', 'step'] as const) {
      const v = shift?.[key];
      if (!Number.isSafeInteger(v) || v < 0) this.fail('graph.launch', `shift.${key} must be a non-negative safe integer, got ${String(v)}`);
    }
  }

  protected notCapturing(op: string): void {
    if (this.#capturing) this.fail(op, 'not allowed while a graph is being captured (captureGraph records ops on existing tensors only)');
  }

  /** Runs a kernel call now, or records it when the generic recorder is capturing. */
  protected run(kernel: () => void): void {
    if (this.#recording) this.#recording.push(kernel);
    else kernel();
  }

  /** Random options with the replay shift applied (the options themselves outside a replay). */
  protected shifted(rng: RandomOptions): RandomOptions {
    return this.#shift.rng === 0 ? rng : { seed: rng.seed, offset: rng.offset + this.#shift.rng };
  }

  protected shiftedStep(o: AdamOptions): AdamOptions {
    return this.#shift.step === 0 ? o : { ...o, step: o.step + this.#shift.step };
  }

  // The generic recorder; the CUDA backend overrides these three with CUDA stream capture.
  protected kBeginCapture(): void {
    this.#recording = [];
  }

  protected kAbortCapture(): void {
    this.#recording = undefined;
  }

  protected kEndCapture(): StepGraph {
    let ops: (() => void)[] | undefined = this.#recording!;
    this.#recording = undefined;
    return {
      launch: (shift: GraphShift) => {
        if (!ops) this.fail('graph.launch', 'the graph has been disposed');
        if (this.#disposed) this.fail('graph.launch', 'the backend has been disposed');
        this.notCapturing('graph.launch');
        this.checkShift(shift);
        this.#shift = shift;
        try {
          for (const op of ops) op();
        } finally {
          this.#shift = NO_SHIFT;
        }
      },
      dispose: () => {
        ops = undefined;
      },
    };
  }

  // ---- ops --------------------------------------------------------------------------------------------------
  matmul(a: Tensor, b: Tensor, out: Tensor, options: MatmulOptions = {}): void {
    const op = 'matmul';
    const A = this.live(op, 'a', a);
    const B = this.live(op, 'b', b);
    const O = this.live(op, 'out', out);
    const transA = options.transA ?? false;
    const transB = options.transB ?? false;
    const activation = options.activation ?? 'none';
    if (!ACTIVATIONS.includes(activation)) this.fail(op, `activation must be one of ${ACTIVATIONS.join(', ')}, got ${String(activation)}`);
    const [ar, ac] = this.rank2(op, 'a', A);
    const [br, bc] = this.rank2(op, 'b', B);
    const [M, K] = transA ? [ac, ar] : [ar, ac];
    const [Kb, N] = transB ? [bc, br] : [br, bc];
    const desc = `a ${fmt(A.shape)}${transA ? '^T' : ''} x b ${fmt(B.shape)}${transB ? '^T' : ''}`;
    if (K !== Kb) this.fail(op, `inner dimensions differ: ${desc} gives K = ${K} and ${Kb}`);
    if (O.shape.length !== 2 || O.shape[0] !== M || O.shape[1] !== N) {
      this.fail(op, `out has shape ${fmt(O.shape)}, expected [${M}, ${N}] for ${desc}`);
    }
    if (O === A || O === B) this.fail(op, 'out must not alias a or b');
    let bias: T | undefined;
    if (options.bias !== undefined) {
      bias = this.live(op, 'bias', options.bias);
      if (bias.size !== N || bias.shape.length !== 1) this.fail(op, `bias has shape ${fmt(bias.shape)}, expected [${N}]`);
    }
    const args = { M, N, K, transA, transB, accumulate: options.accumulate ?? false, bias, activation };
    this.run(() => this.kMatmul(A, B, O, args));
  }

  activationBackward(y: Tensor, dy: Tensor, dx: Tensor, activation: Activation): void {
    const op = 'activationBackward';
    const ts = [this.live(op, 'y', y), this.live(op, 'dy', dy), this.live(op, 'dx', dx)] as const;
    this.sameShape(op, ['y', 'dy', 'dx'], [...ts]);
    if (!ACTIVATIONS.includes(activation)) this.fail(op, `activation must be one of ${ACTIVATIONS.join(', ')}, got ${String(activation)}`);
    const [y0, dy0, dx0] = ts;
    this.run(() => this.kActivationBackward(y0, dy0, dx0, activation));
  }

  biasGrad(dy: Tensor, db: Tensor, options: { accumulate?: boolean } = {}): void {
    const op = 'biasGrad';
    const D = this.live(op, 'dy', dy);
    const B = this.live(op, 'db', db);
    const [rows, cols] = this.rank2(op, 'dy', D);
    if (B.shape.length !== 1 || B.size !== cols) this.fail(op, `db has shape ${fmt(B.shape)}, expected [${cols}] for dy ${fmt(D.shape)}`);
    const accumulate = options.accumulate ?? false;
    this.run(() => this.kBiasGrad(D, B, rows, cols, accumulate));
  }

  dropout(x: Tensor, out: Tensor, mask: Tensor, options: RandomOptions & { p: number }): void {
    const op = 'dropout';
    const ts = [this.live(op, 'x', x), this.live(op, 'out', out), this.live(op, 'mask', mask)] as const;
    this.sameShape(op, ['x', 'out', 'mask'], [...ts]);
    this.checkRandom(op, options);
    const p = options.p;
    this.checkDropP(op, p);
    const [x0, out0, mask0] = ts;
    const rng = { seed: options.seed, offset: options.offset };
    this.run(() => this.kDropout(x0, out0, mask0, p, this.shifted(rng)));
  }

  dropoutBackward(dy: Tensor, mask: Tensor, dx: Tensor): void {
    const op = 'dropoutBackward';
    const ts = [this.live(op, 'dy', dy), this.live(op, 'mask', mask), this.live(op, 'dx', dx)] as const;
    this.sameShape(op, ['dy', 'mask', 'dx'], [...ts]);
    const [a0, b0, out0] = ts;
    this.run(() => this.kMul(a0, b0, out0));
  }

  reluDropoutBackward(out: Tensor, dy: Tensor, dx: Tensor, options: { p: number; db?: Tensor; accumulate?: boolean }): void {
    const op = 'reluDropoutBackward';
    const ts = [this.live(op, 'out', out), this.live(op, 'dy', dy), this.live(op, 'dx', dx)] as const;
    this.sameShape(op, ['out', 'dy', 'dx'], [...ts]);
    const [rows, cols] = this.rank2(op, 'out', ts[0]);
    const p = options.p;
    this.checkDropP(op, p);
    let db: T | undefined;
    if (options.db !== undefined) {
      db = this.live(op, 'db', options.db);
      if (db.shape.length !== 1 || db.size !== cols) this.fail(op, `db has shape ${fmt(db.shape)}, expected [${cols}] for out ${fmt(ts[0].shape)}`);
    }
    const args = { rows, cols, scale: dropScale(p), db, accumulate: options.accumulate ?? false };
    const [out0, dy0, dx0] = ts;
    this.run(() => this.kReluDropoutBackward(out0, dy0, dx0, args));
  }

  softmax(x: Tensor, out: Tensor): void {
    const op = 'softmax';
    const X = this.live(op, 'x', x);
    const O = this.live(op, 'out', out);
    this.sameShape(op, ['x', 'out'], [X, O]);
    const [rows, cols] = this.rank2(op, 'x', X);
    this.run(() => this.kSoftmax(X, O, rows, cols));
  }

  softmaxBackward(y: Tensor, dy: Tensor, dx: Tensor): void {
    const op = 'softmaxBackward';
    const ts = [this.live(op, 'y', y), this.live(op, 'dy', dy), this.live(op, 'dx', dx)] as const;
    this.sameShape(op, ['y', 'dy', 'dx'], [...ts]);
    const [rows, cols] = this.rank2(op, 'y', ts[0]);
    const [y0, dy0, dx0] = ts;
    this.run(() => this.kSoftmaxBackward(y0, dy0, dx0, rows, cols));
  }

  axpby(x: Tensor, y: Tensor, out: Tensor, options: { alpha: number; beta: number }): void {
    const op = 'axpby';
    const ts = [this.live(op, 'x', x), this.live(op, 'y', y), this.live(op, 'out', out)] as const;
    if (ts[0].size !== ts[1].size || ts[0].size !== ts[2].size) {
      this.fail(op, `x ${fmt(ts[0].shape)}, y ${fmt(ts[1].shape)} and out ${fmt(ts[2].shape)} must have the same size`);
    }
    this.finite(op, 'alpha', options?.alpha);
    this.finite(op, 'beta', options?.beta);
    const [x0, y0, out0] = ts;
    const { alpha, beta } = options;
    this.run(() => this.kAxpby(x0, y0, out0, alpha, beta));
  }

  l2NormalizeRows(x: Tensor, out: Tensor, options: { scale: number; rowScales?: Tensor }): void {
    const op = 'l2NormalizeRows';
    const X = this.live(op, 'x', x);
    const O = this.live(op, 'out', out);
    const [rows, cols] = this.rank2(op, 'x', X);
    this.sameShape(op, ['x', 'out'], [X, O]);
    this.finite(op, 'scale', options?.scale);
    const S = options.rowScales === undefined ? undefined : this.live(op, 'rowScales', options.rowScales);
    if (S && (S.size !== rows || S.shape.length > 2)) this.fail(op, `rowScales ${fmt(S.shape)} must be (${rows}) or (${rows}, 1), one scale per row of x ${fmt(X.shape)}`);
    const { scale } = options;
    this.run(() => this.kL2NormalizeRows(X, O, rows, cols, scale, S));
  }

  /** The arguments of an entropy of logits (B, C) into loss (1), with its optional gradient (B, C). */
  #entropyArgs(op: string, logits: Tensor, loss: Tensor, dLogits: Tensor | undefined) {
    const Z = this.live(op, 'logits', logits);
    const L = this.live(op, 'loss', loss);
    const [rows, cols] = this.rank2(op, 'logits', Z);
    this.scalarOut(op, L);
    const G = dLogits === undefined ? undefined : this.live(op, 'dLogits', dLogits);
    if (G) this.sameShape(op, ['logits', 'dLogits'], [Z, G]);
    if (rows === 0 || cols === 0) this.fail(op, `logits must have rows and columns, got shape ${fmt(Z.shape)}`);
    return { Z, L, G, rows, cols };
  }

  entropy(logits: Tensor, loss: Tensor, dLogits?: Tensor): void {
    const { Z, L, G, rows, cols } = this.#entropyArgs('entropy', logits, loss, dLogits);
    this.run(() => this.kEntropy(Z, L, G, rows, cols));
  }

  marginalEntropy(logits: Tensor, loss: Tensor, dLogits?: Tensor): void {
    const op = 'marginalEntropy';
    const { Z, L, G, rows, cols } = this.#entropyArgs(op, logits, loss, dLogits);
    if (cols > MARGINAL_MAX_COLUMNS || rows > MARGINAL_MAX_ROWS) {
      this.fail(op, `logits may have at most ${MARGINAL_MAX_ROWS} rows and ${MARGINAL_MAX_COLUMNS} columns (classes), got shape ${fmt(Z.shape)}`);
    }
    this.run(() => this.kMarginalEntropy(Z, L, G, rows, cols));
  }

  bceWithSigmoid(y: Tensor, target: Tensor, loss: Tensor, dLogits?: Tensor): void {
    const op = 'bceWithSigmoid';
    const Y = this.live(op, 'y', y);
    const Tt = this.live(op, 'target', target);
    const L = this.live(op, 'loss', loss);
    this.sameShape(op, ['y', 'target'], [Y, Tt]);
    this.scalarOut(op, L);
    const G = dLogits === undefined ? undefined : this.live(op, 'dLogits', dLogits);
    if (G) this.sameShape(op, ['y', 'dLogits'], [Y, G]);
    if (Y.size === 0) this.fail(op, 'y is empty');
    this.run(() => this.kBce(Y, Tt, L, G));
  }

  crossEntropy(logits: Tensor, target: Tensor, loss: Tensor, dLogits?: Tensor): void {
    const op = 'crossEntropy';
    const Z = this.live(op, 'logits', logits);
    const Tt = this.live(op, 'target', target);
    const L = this.live(op, 'loss', loss);
    const [rows, cols] = this.rank2(op, 'logits', Z);
    this.sameShape(op, ['logits', 'target'], [Z, Tt]);
    this.scalarOut(op, L);
    const G = dLogits === undefined ? undefined : this.live(op, 'dLogits', dLogits);
    if (G) this.sameShape(op, ['logits', 'dLogits'], [Z, G]);
    if (rows === 0) this.fail(op, 'logits has no rows');
    this.run(() => this.kCrossEntropy(Z, Tt, L, G, rows, cols));
  }

  discriminatorLoss(dReal: Tensor, dFake: Tensor, loss: Tensor, gradReal?: Tensor, gradFake?: Tensor): void {
    const op = 'discriminatorLoss';
    const R = this.live(op, 'dReal', dReal);
    const F = this.live(op, 'dFake', dFake);
    const L = this.live(op, 'loss', loss);
    this.scalarOut(op, L);
    this.sameShape(op, ['dReal', 'dFake'], [R, F]);
    if (R.size === 0) this.fail(op, 'dReal is empty');
    const GR = gradReal === undefined ? undefined : this.live(op, 'gradReal', gradReal);
    const GF = gradFake === undefined ? undefined : this.live(op, 'gradFake', gradFake);
    if (GR) this.sameShape(op, ['dReal', 'gradReal'], [R, GR]);
    if (GF) this.sameShape(op, ['dFake', 'gradFake'], [F, GF]);
    this.run(() => this.kDiscriminatorLoss(R, F, L, GR, GF));
  }

  generatorLoss(dFake: Tensor, loss: Tensor, gradFake?: Tensor): void {
    const op = 'generatorLoss';
    const F = this.live(op, 'dFake', dFake);
    const L = this.live(op, 'loss', loss);
    this.scalarOut(op, L);
    if (F.size === 0) this.fail(op, 'dFake is empty');
    const G = gradFake === undefined ? undefined : this.live(op, 'gradFake', gradFake);
    if (G) this.sameShape(op, ['dFake', 'gradFake'], [F, G]);
    this.run(() => this.kGeneratorLoss(F, L, G));
  }

  clusterHeadCost(heads: Tensor, cost: Tensor, grad: Tensor, options: { eta: number; weight: number }): void {
    const op = 'clusterHeadCost';
    const W = this.live(op, 'heads', heads);
    const L = this.live(op, 'cost', cost);
    const G = this.live(op, 'grad', grad);
    if (W.shape.length !== 2) this.fail(op, `heads must be 2-D (d, n), got shape [${W.shape.join(', ')}]`);
    this.scalarOut(op, L);
    this.sameShape(op, ['heads', 'grad'], [W, G]);
    this.finite(op, 'eta', options?.eta);
    this.finite(op, 'weight', options?.weight);
    if (!(options.eta > 0)) this.fail(op, `eta must be > 0, got ${options.eta}`);
    const [d, n] = W.shape as [number, number];
    this.run(() => this.kClusterHeadCost(W, L, G, d, n, options.eta, options.weight));
  }

  adam(group: AdamGroup, options: AdamOptions): void {
    const op = 'adam';
    const n = group?.params?.length;
    if (!Number.isInteger(n)) this.fail(op, 'group.params must be an array of tensors');
    for (const key of ['grads', 'm', 'v'] as const) {
      if (group[key]?.length !== n) this.fail(op, `group.${key} has ${group[key]?.length} tensors, expected ${n} (one per parameter)`);
    }
    const P: T[] = [];
    const G: T[] = [];
    const M: T[] = [];
    const V: T[] = [];
    for (let i = 0; i < n; i++) {
      const ts = [
        this.live(op, `params[${i}]`, group.params[i]),
        this.live(op, `grads[${i}]`, group.grads[i]),
        this.live(op, `m[${i}]`, group.m[i]),
        this.live(op, `v[${i}]`, group.v[i]),
      ];
      this.sameShape(op, [`params[${i}]`, `grads[${i}]`, `m[${i}]`, `v[${i}]`], ts);
      P.push(ts[0]!);
      G.push(ts[1]!);
      M.push(ts[2]!);
      V.push(ts[3]!);
    }
    for (const key of ['lr', 'beta1', 'beta2', 'eps', 'weightDecay'] as const) this.finite(op, key, options?.[key]);
    if (!(options.beta1 >= 0 && options.beta1 < 1) || !(options.beta2 >= 0 && options.beta2 < 1)) {
      this.fail(op, `betas must be in [0, 1), got ${options.beta1}, ${options.beta2}`);
    }
    if (!Number.isInteger(options.step) || options.step < 1) this.fail(op, `step must be an integer >= 1, got ${String(options.step)}`);
    const o: AdamOptions = { ...options };
    this.run(() => this.kAdam(P, G, M, V, this.shiftedStep(o), group));
  }

  randomNormal(out: Tensor, options: RandomOptions & { mean?: number; std?: number }): void {
    const op = 'randomNormal';
    const O = this.live(op, 'out', out);
    this.checkRandom(op, options);
    const mean = options.mean ?? 0;
    const std = options.std ?? 1;
    this.finite(op, 'mean', mean);
    this.finite(op, 'std', std);
    const rng = { seed: options.seed, offset: options.offset };
    this.run(() => this.kRandomNormal(O, this.shifted(rng), mean, std));
  }

  randomUniform(out: Tensor, options: RandomOptions & { low?: number; high?: number }): void {
    const op = 'randomUniform';
    const O = this.live(op, 'out', out);
    this.checkRandom(op, options);
    const low = options.low ?? 0;
    const high = options.high ?? 1;
    this.finite(op, 'low', low);
    this.finite(op, 'high', high);
    const rng = { seed: options.seed, offset: options.offset };
    this.run(() => this.kRandomUniform(O, this.shifted(rng), low, high));
  }

  randomCategorical(out: Tensor, options: RandomOptions): void {
    const op = 'randomCategorical';
    const O = this.live(op, 'out', out);
    this.checkRandom(op, options);
    const [rows, cols] = this.rank2(op, 'out', O);
    if (cols < 1) this.fail(op, `out must have at least one category, got shape ${fmt(O.shape)}`);
    const rng = { seed: options.seed, offset: options.offset };
    this.run(() => this.kRandomCategorical(O, this.shifted(rng), rows, cols));
  }

  randomTranslate(x: Tensor, out: Tensor, options: RandomOptions & { height: number; width: number; maxShift: number }): void {
    const op = 'randomTranslate';
    const X = this.live(op, 'x', x);
    const O = this.live(op, 'out', out);
    this.checkRandom(op, options);
    const [rows, cols] = this.rank2(op, 'x', X);
    this.sameShape(op, ['x', 'out'], [X, O]);
    if (X === O) this.fail(op, 'out must be a different tensor from x');
    const { height, width, maxShift } = options;
    for (const [k, v] of [['height', height], ['width', width]] as const) {
      if (!Number.isInteger(v) || v < 1) this.fail(op, `${k} must be a positive integer, got ${String(v)}`);
    }
    if (cols % (height * width) !== 0) this.fail(op, `x ${fmt(X.shape)} does not hold ${height}x${width} images: ${cols} is not a multiple of ${height * width}`);
    if (!Number.isInteger(maxShift) || maxShift < 0 || maxShift >= Math.max(height, width)) {
      this.fail(op, `maxShift must be an integer in [0, ${Math.max(height, width)}), got ${String(maxShift)}`);
    }
    const rng = { seed: options.seed, offset: options.offset };
    const args = { rows, height, width, channels: cols / (height * width), maxShift };
    this.run(() => this.kRandomTranslate(X, O, this.shifted(rng), args));
  }

  gatherRows(src: Tensor, indices: Tensor, out: Tensor, options: { first?: number } = {}): void {
    const op = 'gatherRows';
    const S = this.live(op, 'src', src, { pixels: true });
    const I = this.live(op, 'indices', indices);
    const O = this.live(op, 'out', out);
    const [srcRows, cols] = this.rank2(op, 'src', S);
    if (I.shape.length !== 1) this.fail(op, `indices must be 1-D, got shape ${fmt(I.shape)}`);
    const first = options.first ?? 0;
    if (!Number.isInteger(first) || first < 0) this.fail(op, `first must be a non-negative integer, got ${first}`);
    const count = options.first === undefined ? I.size : O.shape[0]!;
    if (O.shape.length !== 2 || O.shape[0] !== count || O.shape[1] !== cols) {
      this.fail(op, `out has shape ${fmt(O.shape)}, expected [${count}, ${cols}] for src ${fmt(S.shape)} and ${count} indices`);
    }
    if (first + count > I.size) this.fail(op, `indices ${first}..${first + count} are outside indices ${fmt(I.shape)}`);
    if (S.dtype === 'uint8') this.run(() => this.kGatherPixels(S, I, O, srcRows, cols, first, count));
    else this.run(() => this.kGatherRows(S, I, O, srcRows, cols, first, count));
  }

  copy(src: Tensor, dst: Tensor, options: CopyOptions = {}): void {
    const op = 'copy';
    const S = this.live(op, 'src', src);
    const D = this.live(op, 'dst', dst);
    const [rows, srcCols] = rowsCols(S);
    const [dRows, dstCols] = rowsCols(D);
    const srcCol = options.srcCol ?? 0;
    const dstCol = options.dstCol ?? 0;
    const cols = options.cols ?? srcCols - srcCol;
    if (rows !== dRows) this.fail(op, `src ${fmt(S.shape)} has ${rows} rows but dst ${fmt(D.shape)} has ${dRows}`);
    for (const [k, v] of [['srcCol', srcCol], ['dstCol', dstCol], ['cols', cols]] as const) {
      if (!Number.isInteger(v) || v < 0) this.fail(op, `${k} must be a non-negative integer, got ${String(v)}`);
    }
    if (srcCol + cols > srcCols) this.fail(op, `columns ${srcCol}..${srcCol + cols} are outside src ${fmt(S.shape)}`);
    if (dstCol + cols > dstCols) this.fail(op, `columns ${dstCol}..${dstCol + cols} are outside dst ${fmt(D.shape)}`);
    if (S === D) this.fail(op, 'src and dst must be different tensors');
    const args = { rows, srcCols, dstCols, srcCol, dstCol, cols };
    this.run(() => this.kCopy(S, D, args));
  }

  fill(out: Tensor, value: number): void {
    const O = this.live('fill', 'out', out);
    if (typeof value !== 'number' || Number.isNaN(value)) this.fail('fill', `value must be a number, got ${String(value)}`);
    this.run(() => this.kFill(O, value));
  }

  flagNonFinite(x: Tensor, flag: Tensor): void {
    const X = this.live('flagNonFinite', 'x', x);
    const F = this.live('flagNonFinite', 'flag', flag);
    if (F.size !== 1) this.fail('flagNonFinite', `flag must have exactly one element, got shape ${fmt(F.shape)}`);
    if (X === F) this.fail('flagNonFinite', 'flag must be a different tensor from x');
    this.run(() => this.kFlagNonFinite(X, F));
  }

  sum(x: Tensor, out: Tensor): void {
    const X = this.live('sum', 'x', x);
    const O = this.live('sum', 'out', out);
    if (O.size !== 1) this.fail('sum', `out must have exactly one element, got shape ${fmt(O.shape)}`);
    this.run(() => this.kSum(X, O));
  }
}
