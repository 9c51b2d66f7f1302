// The Backend interface: every model, loss and optimiser in this project is written on it, and runs unchanged on
// the float64 reference, the WebAssembly SIMD backend, the native CPU backend and the CUDA backend.
//
// Rules (docs/architecture.md has the layer map and how to add an op):
// - Tensors are resident on the backend; a `Tensor` is a handle with a shape. Data crosses only at upload/download.
// - Every op writes into an output it is given; nothing allocates in a training step.
// - Ops are synchronous from TypeScript's point of view.
// - Every op checks shapes before running (see checked.ts) and names the op, the shapes given and expected.
// Elementwise ops (same-shape inputs and output) may write in place: out may be one of the inputs.
// Tensors hold float32 values (the reference holds float64); integer data (row indices) is stored exactly as
// float32 integers, which is exact below 2^24. The one exception is a pixel tensor (`pixels`): uint8 image bytes,
// a quarter of the memory of the same images as float32, which only gatherRows reads (as its src) and free frees.

export type Activation = 'none' | 'relu' | 'sigmoid';

export type BackendName = 'reference' | 'wasm' | 'cpu' | 'cuda';

export interface BackendInfo {
  name: BackendName;
  /** Human-readable device, e.g. "WebAssembly SIMD (relaxed), 2 threads" or "NVIDIA H100". */
  device: string;
  threads: number;
  /** Wasm's SIMD build, or the native CPU backend's instruction set ('none' for the reference and CUDA). */
  simd: 'relaxed' | 'plain' | 'avx512' | 'avx2' | 'portable' | 'none';
  /** Why this configuration was chosen (e.g. why the plain-SIMD build was loaded). */
  reason: string;
  [key: string]: unknown;
}

/** What a tensor's elements are: float32 values, or uint8 pixels (see `Backend.pixels`). */
export type DType = 'float32' | 'uint8';

let nextTensorId = 1;

/** A handle to a tensor resident on one backend. Backends subclass it to hold their storage. */
export class Tensor {
  readonly id: number;
  readonly size: number;
  #freed = false;

  constructor(
    readonly backend: string,
    readonly shape: readonly number[],
    readonly dtype: DType = 'float32',
  ) {
    this.id = nextTensorId++;
    this.size = shape.reduce((a, b) => a * b, 1);
  }

  get freed(): boolean {
    return this.#freed;
  }

  /** Marks the handle dead; only the owning backend calls this, from `free`. */
  markFreed(): void {
    this.#freed = true;
  }

  /** "tensor #12 [100, 784]" ("tensor #12 [100, 784] uint8" for pixels): used in every error message. */
  describe(): string {
    return `tensor #${this.id} [${this.shape.join(', ')}]${this.dtype === 'float32' ? '' : ` ${this.dtype}`}`;
  }
}

export interface MatmulOptions {
  /** a is stored (K, M) and used transposed. */
  transA?: boolean;
  /** b is stored (N, K) and used transposed (a Linear layer's (out, in) weight in y = x W^T). */
  transB?: boolean;
  /** out = act(out + op(a) op(b) + bias) instead of act(op(a) op(b) + bias). */
  accumulate?: boolean;
  /** bias: (N), added to every row. */
  bias?: Tensor;
  activation?: Activation;
}

/** Counter-based randomness: element streams are fixed by (seed, offset); see ts/rng.ts for the layout. */
export interface RandomOptions {
  seed: number;
  offset: number;
}

export interface AdamOptions {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  /** 1-based step number after this update (PyTorch's `state['step']`), used for bias correction. */
  step: number;
  /** L2 penalty added to the gradient, as PyTorch's Adam `weight_decay`. */
  weightDecay: number;
}

/** One optimiser's parameters: four lists of equal length, tensor i of each having the same shape. */
export interface AdamGroup {
  params: Tensor[];
  grads: Tensor[];
  m: Tensor[];
  v: Tensor[];
}

export interface CopyOptions {
  /** First source column (default 0). Source and destination are viewed as (rows, cols) with the last dim as cols. */
  srcCol?: number;
  /** First destination column (default 0). */
  dstCol?: number;
  /** Number of columns (default: all source columns). */
  cols?: number;
}

/** How far a replayed graph's random streams and optimiser steps are from the iteration it was captured on. */
export interface GraphShift {
  /** Added to the offset of every random op recorded in the graph. */
  rng: number;
  /** Added to the step number of every Adam update recorded in the graph. */
  step: number;
}

/** A recorded sequence of ops (one training iteration), replayed on the same tensors. */
export interface StepGraph {
  /** Runs the recorded ops again, with random offsets and Adam steps shifted by `shift`. */
  launch(shift: GraphShift): void;
  dispose(): void;
}

export interface Backend {
  info(): BackendInfo;

  /** A new tensor of the given shape, zero-filled, or holding `data` (length must equal the size). */
  tensor(shape: readonly number[], data?: Float32Array): Tensor;
  /**
   * A uint8 pixel tensor (n, features) holding `data` (length n * features): images kept as their bytes, element b
   * standing for the pixel value b / 255. Only gatherRows reads it (as src, giving float32 rows) and free frees it;
   * every other op refuses it.
   */
  pixels(shape: readonly [number, number], data: Uint8Array): Tensor;
  upload(t: Tensor, data: Float32Array): void;
  download(t: Tensor): Float32Array;
  free(t: Tensor): void;
  /** Frees every tensor and worker; the backend is unusable afterwards. */
  dispose(): void;

  /** out: (M, N) = act(op(a) op(b) + bias [+ out]);  a: (M, K) | (K, M);  b: (K, N) | (N, K);  bias: (N) */
  matmul(a: Tensor, b: Tensor, out: Tensor, options?: MatmulOptions): void;
  /** dx = dy * act'(.) computed from the saved activation output y; all three the same shape. */
  activationBackward(y: Tensor, dy: Tensor, dx: Tensor, activation: Activation): void;
  /** db: (N) [+]= sum over rows of dy: (M, N). */
  biasGrad(dy: Tensor, db: Tensor, options?: { accumulate?: boolean }): void;
  /** mask = (keep ? 1/(1-p) : 0) drawn from Philox, out = x * mask;  x, out, mask same shape. */
  dropout(x: Tensor, out: Tensor, mask: Tensor, options: RandomOptions & { p: number }): void;
  /** dx = dy * mask. */
  dropoutBackward(dy: Tensor, mask: Tensor, dx: Tensor): void;
  /**
   * Backward of relu followed by dropout(p), from the dropout's output alone (no mask, no pre-dropout activation):
   * out = relu(z) * mask is > 0 exactly where both let z through, so dz = out > 0 ? dy / (1 - p) : 0. db, if given,
   * [+]= the column sums of dz: the bias gradient of the layer that produced z.  out, dy, dx: (M, N); db: (N).
   */
  reluDropoutBackward(out: Tensor, dy: Tensor, dx: Tensor, options: { p: number; db?: Tensor; accumulate?: boolean }): void;
  /** Row-wise softmax: x, out: (B, C). */
  softmax(x: Tensor, out: Tensor): void;
  /** Softmax backward from the saved output y: dx = y * (dy - rowsum(dy * y));  y, dy, dx: (B, C). */
  softmaxBackward(y: Tensor, dy: Tensor, dx: Tensor): void;
  /** out = alpha * x + beta * y, elementwise, all the same size. */
  axpby(x: Tensor, y: Tensor, out: Tensor, options: { alpha: number; beta: number }): void;
  /**
   * Row-wise L2 normalisation: out row i = scale * s_i * x row i / ||x row i|| (the norm summed in float64), s_i =
   * rowScales[i] when given, else 1; a row of zeros gives zeros. x, out: (B, n); out may be x; rowScales: (B) or (B, 1).
   */
  l2NormalizeRows(x: Tensor, out: Tensor, options: { scale: number; rowScales?: Tensor }): void;

  /**
   * Binary cross-entropy of a sigmoid output y against target t (same shape), mean over all elements, with eps 1e-15
   * inside both logs: loss: (1) = -mean(t log(y + eps) + (1 - t) log(1 - y + eps)).
   * dLogits, if given, receives d loss / d z where y = sigmoid(z) (the sigmoid's backward is fused in).
   */
  bceWithSigmoid(y: Tensor, target: Tensor, loss: Tensor, dLogits?: Tensor): void;
  /** Cross-entropy of logits (B, C) against target probabilities (B, C), mean over rows; dLogits = (softmax*sum(t) - t)/B. */
  crossEntropy(logits: Tensor, target: Tensor, loss: Tensor, dLogits?: Tensor): void;
  /**
   * Mean entropy of the row softmaxes of logits (B, C): loss: (1) = -mean over rows of sum_c q_c log q_c, q =
   * softmax(logits). dLogits, if given, receives d loss / d logits = -q (log q + H_row) / B.
   */
  entropy(logits: Tensor, loss: Tensor, dLogits?: Tensor): void;
  /**
   * Entropy of the batch's mean softmax (IMSAT's marginal entropy H(Y)) of logits (B, C), B <= 2048, C <= 1024:
   * loss: (1) = -sum_c m_c log m_c, m = mean over rows of softmax(logits). dLogits, if given, receives
   * d loss / d logits = q (sum_c' q_c' log m_c' - log m) / B per row, q = softmax(row); a class no row gives any
   * probability (m_c = 0) contributes nothing.
   */
  marginalEntropy(logits: Tensor, loss: Tensor, dLogits?: Tensor): void;
  /**
   * Discriminator loss on sigmoid outputs (B, 1): loss = -mean(log(dReal + eps) + log(1 - dFake + eps)).
   * gradReal / gradFake receive the gradient with respect to the discriminator's logits.
   */
  discriminatorLoss(dReal: Tensor, dFake: Tensor, loss: Tensor, gradReal?: Tensor, gradFake?: Tensor): void;
  /** Generator loss on sigmoid outputs (B, 1): loss = -mean(log(dFake + eps)); grad with respect to the logits. */
  generatorLoss(dFake: Tensor, loss: Tensor, gradFake?: Tensor): void;
  /**
   * The dimensionality-reduction AAE's cluster-head cost of heads W_c: (d, n), one head per column:
   * cost: (1) = weight * sum over pairs i < j of relu(eta - |w_i - w_j|), and grad: (d, n) += weight * d cost / d W_c
   * (added: grad already holds the reconstruction's gradient). Coincident heads add eta and no gradient.
   */
  clusterHeadCost(heads: Tensor, cost: Tensor, grad: Tensor, options: { eta: number; weight: number }): void;

  /** One fused Adam step (PyTorch semantics) over every tensor of the group. */
  adam(group: AdamGroup, options: AdamOptions): void;

  /** out = mean + std * N(0,1) from Philox + Box-Muller. */
  randomNormal(out: Tensor, options: RandomOptions & { mean?: number; std?: number }): void;
  /** out = low + (high - low) * U[0,1) with 24-bit resolution. */
  randomUniform(out: Tensor, options: RandomOptions & { low?: number; high?: number }): void;
  /** out: (B, K) receives one uniformly drawn one-hot row per example. */
  randomCategorical(out: Tensor, options: RandomOptions): void;

  /**
   * Random integer translations of images with zero fill (data augmentation). x, out: (B, height * width * C), each
   * row an image stored row-major with C interleaved channels; out must not be x. Row i is shifted by (dx, dy),
   * each in [-maxShift, maxShift]: words 2i and 2i + 1 of the stream (seed, offset), as categorical draws over
   * 2 maxShift + 1 values, minus maxShift. out[i, r, c] = x[i, r - dy, c - dx], or 0 outside the image.
   */
  randomTranslate(x: Tensor, out: Tensor, options: RandomOptions & { height: number; width: number; maxShift: number }): void;

  /**
   * out: (B, D) row i = src row indices[first + i];  src: (N, D);  indices: integer-valued, (B) without `first`,
   * (>= first + B) with it, so one upload of a whole epoch's batch order serves every batch of the epoch.
   * A pixel tensor src gives out = (float)((double)byte / 255), exactly Math.fround(byte / 255): the rows gathered from
   * an image's bytes equal those gathered from its float32 pixels computed on the host as byte / 255.
   */
  gatherRows(src: Tensor, indices: Tensor, out: Tensor, options?: { first?: number }): void;
  /** Copies a column block between tensors with the same number of rows (whole tensor by default). */
  copy(src: Tensor, dst: Tensor, options?: CopyOptions): void;
  fill(out: Tensor, value: number): void;
  /**
   * flag: (1) is set to 1 when any element of x is NaN or +-Infinity, and left as it is otherwise, so one flag gathers
   * many tensors over many steps (the trainer reads it only when it logs: no download per op or per step).
   */
  flagNonFinite(x: Tensor, flag: Tensor): void;
  /** out: (1) = sum of all elements of x (accumulated in float64). */
  sum(x: Tensor, out: Tensor): void;

  /**
   * Records the ops `fn` issues, without running them, into a graph that `launch` replays: a CUDA Graph on the
   * CUDA backend (one launch for an iteration's ~300 kernels), a list of recorded kernel calls elsewhere (no shape
   * checks on replay). Tensors cannot be created, uploaded, downloaded or freed while capturing.
   */
  captureGraph(fn: () => void): StepGraph;
}

export class BackendError extends Error {
  override name = 'BackendError';
}

/** BCE / adversarial-loss epsilon, as the reference PyTorch code's TINY. */
export const LOSS_EPS = 1e-15;
