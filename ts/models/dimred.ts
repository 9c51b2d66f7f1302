// Dimensionality reduction with cluster heads (Makhzani et al. 2016, Sec. 7): Q outputs a softmax cluster code y
// (n clusters, D_cat, categorical prior) and a style code z (D_gauss); the representation P decodes is
//   r = W_c y + z,   W_c: (zDim, n) learned cluster heads, one column per cluster,
// and a cost keeps the heads apart: heads = weight * sum over pairs i < j of relu(eta - |W_c[:,i] - W_c[:,j]|).
// Unsupervised (n clusters) or semi-supervised (n = classes, plus the cross-entropy phase on labeled data).
// Each iteration: reconstruction (+ head cost) -> both discriminators -> generator [-> cross-entropy].
import { type Backend, type Tensor } from '../backend/backend.js';
import { Parameter } from '../nn/parameter.js';
import { type Optimizer } from '../optim/optimizer.js';
import { createOptimizer } from '../optim/create.js';
import { type RngStream } from '../rng.js';
import { type StepBatch } from './autoencoder.js';
import { ClusteringAAE } from './clustering.js';
import { type AaeConfig, type DimredOptions } from './config.js';

export class DimredAAE extends ClusteringAAE {
  readonly options: DimredOptions;
  readonly heads: Parameter; // W_c: (zDim, classes)
  /** Updates W_c in the reconstruction phase (its gradient: the reconstruction's plus the head cost's). */
  readonly W_heads: Optimizer;
  /** Cross-entropy phase of the semi-supervised variant (the reference code's Q_semi_supervised). */
  readonly Q_semi_supervised: Optimizer | undefined;
  readonly representation: Tensor; // (B, zDim) = y W_c^T + z after encode() or a training forward pass
  readonly dRepresentation: Tensor; // (B, zDim)
  readonly headCost: Tensor; // (1)
  readonly crossEntropy: Tensor; // (1)

  constructor(be: Backend, config: AaeConfig) {
    super(be, config, 0);
    const c = config;
    if (!c.dimred) throw new Error('DimredAAE: the config has no dimred options (eta, weight, semiSupervised)');
    this.options = c.dimred;
    this.heads = new Parameter('heads.weight', be.tensor([c.zDim, c.classes]), be.tensor([c.zDim, c.classes]));
    this.W_heads = createOptimizer(be, 'W_heads', [this.heads], c.lr.recon, c.optimizer);
    this.Q_semi_supervised = this.options.semiSupervised
      ? createOptimizer(be, 'Q_semi_supervised', this.Q.classifierParameters(), c.lr.classifier, c.optimizer)
      : undefined;
    this.representation = be.tensor([c.batch, c.zDim]);
    this.dRepresentation = be.tensor([c.batch, c.zDim]);
    this.headCost = be.tensor([1]);
    this.crossEntropy = be.tensor([1]);
  }

  /**
   * Heads drawn from N(0, s^2) with s = eta sqrt(n) / 2: n heads eta apart fill a disc of radius about
   * eta sqrt(n) / 2, so they start near that spread and the cost only has to settle the pairs still too close.
   */
  initHeads(rng: RngStream): void {
    const std = (this.options.eta * Math.sqrt(this.config.classes)) / 2;
    this.be.randomNormal(this.heads.value, { ...rng.take(this.heads.value.size), std });
  }

  override parameters(): Parameter[] {
    return [...super.parameters(), this.heads];
  }

  override optimizers(): Optimizer[] {
    return [...super.optimizers(), this.W_heads, ...(this.Q_semi_supervised ? [this.Q_semi_supervised] : [])];
  }

  override lossTensors(): Record<string, Tensor> {
    return { ...super.lossTensors(), heads: this.headCost, ...(this.Q_semi_supervised ? { xent: this.crossEntropy } : {}) };
  }

  /** representation = Q.y W_c^T + Q.z from Q's last forward pass. */
  #combine(): void {
    this.be.copy(this.Q.z, this.representation);
    this.be.matmul(this.Q.y!, this.heads.value, this.representation, { transB: true, accumulate: true });
  }

  // x: (B, inFeatures) -> Q.z, Q.y and this.representation, evaluation mode
  override encode(x: Tensor, rng: RngStream): void {
    super.encode(x, rng);
    this.#combine();
  }

  /** The code P decodes: the representation (B, zDim). */
  override get decoderCode(): Tensor {
    return this.representation;
  }

  // x: (B, inFeatures) -> P's output (B, inFeatures), evaluation mode
  override reconstruct(x: Tensor, rng: RngStream): Tensor {
    this.encode(x, rng);
    this.assembleDecoderInput(this.representation, undefined);
    return this.decode(false, rng);
  }

  /** BCE(P(W_c y + z), x) and the head cost; gradients into P, Q (both heads) and W_c;  x: (B, inFeatures). */
  override reconstructionGradients(x: Tensor, rng: RngStream): void {
    const { be, Q } = this;
    Q.forward(this.trainingInput(x, rng), true, rng);
    this.#combine();
    this.assembleDecoderInput(this.representation, undefined);
    const xHat = this.decode(true, rng);
    be.bceWithSigmoid(xHat, x, this.reconLoss, this.pTrace.dOutput);
    this.P.backward(this.pTrace, { dx: this.dRepresentation, dyIsPreActivation: true });
    be.copy(this.dRepresentation, Q.dz);
    be.matmul(this.dRepresentation, this.heads.value, Q.dy!); // dy: (B, n) = dr W_c
    be.matmul(this.dRepresentation, Q.y!, this.heads.grad, { transA: true }); // dW_c: (zDim, n) = dr^T y
    be.clusterHeadCost(this.heads.value, this.headCost, this.heads.grad, { eta: this.options.eta, weight: this.options.weight });
    Q.backward({ z: true, y: true });
  }

  protected override reconstructionPhase(x: Tensor, rng: RngStream): void {
    super.reconstructionPhase(x, rng);
    this.W_heads.update();
  }

  /** Cross-entropy of Q's class logits against one-hot labels and Q's gradients; x: (B, inFeatures), y: (B, classes). */
  classifierGradients(x: Tensor, y: Tensor, rng: RngStream): void {
    this.crossEntropyGradients(x, y, this.crossEntropy, rng);
  }

  protected override phases(batch: StepBatch, rng: RngStream): void {
    super.phases(batch, rng);
    if (!this.Q_semi_supervised) return;
    if (!batch.xLabeled || !batch.yLabeled) throw new Error('DimredAAE.step: the semi-supervised variant needs a labeled batch (xLabeled, yLabeled)');
    this.classifierGradients(batch.xLabeled, batch.yLabeled, rng);
    this.Q_semi_supervised.update();
  }
}
