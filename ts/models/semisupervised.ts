// Semi-supervised AAE (Makhzani et al. 2016, Sec. 5; the Paperspace post's main model): the clustering AAE with one
// class per label, plus a cross-entropy phase on a labeled minibatch. Q outputs a softmax class code y (D_cat,
// categorical prior) and a style code z (D_gauss, N(0, I) by default).
// Each iteration: reconstruction -> both discriminators -> generator -> cross-entropy on a labeled minibatch (plus,
// with config.vat, virtual adversarial training on the unlabeled minibatch, in the same update). With
// labeledReconstruction the reconstruction phase's loss also has the labeled batch decoded from [its one-hot labels,
// Q's z], summed into the same P and Q update.
import { type Backend, type Tensor } from '../backend/backend.js';
import { type Optimizer } from '../optim/optimizer.js';
import { createOptimizer } from '../optim/create.js';
import { type RngStream } from '../rng.js';
import { type StepBatch } from './autoencoder.js';
import { ClusteringAAE } from './clustering.js';
import { type AaeConfig } from './config.js';

export class SemiSupervisedAAE extends ClusteringAAE {
  /** Updates Q's trunk and class head on the cross-entropy (the reference code's Q_semi_supervised). */
  readonly Q_semi_supervised: Optimizer;
  readonly crossEntropy: Tensor; // (1)
  /** BCE of the labeled batch decoded from [its one-hot labels, Q's z]: only with config.labeledReconstruction. */
  readonly labeledReconLoss: Tensor | undefined; // (1)

  constructor(be: Backend, config: AaeConfig) {
    super(be, config);
    this.Q_semi_supervised = createOptimizer(be, 'Q_semi_supervised', this.Q.classifierParameters(), config.lr.classifier, config.optimizer);
    this.crossEntropy = be.tensor([1]);
    if (config.labeledReconstruction) this.labeledReconLoss = be.tensor([1]);
  }

  override optimizers(): Optimizer[] {
    return [...super.optimizers(), this.Q_semi_supervised];
  }

  override lossTensors(): Record<string, Tensor> {
    return { ...super.lossTensors(), ...(this.labeledReconLoss ? { recon_l: this.labeledReconLoss } : {}), xent: this.crossEntropy };
  }

  /** Cross-entropy of Q's class logits (not its softmax) and Q's gradients; x: (B, inFeatures), y: (B, classes) one-hot. */
  classifierGradients(x: Tensor, y: Tensor, rng: RngStream): void {
    this.crossEntropyGradients(x, y, this.crossEntropy, rng);
  }

  protected override phases(batch: StepBatch, rng: RngStream): void {
    const { xLabeled, yLabeled } = batch;
    if (!xLabeled || !yLabeled) throw new Error('SemiSupervisedAAE.step: needs a labeled batch (xLabeled, yLabeled)');
    this.reconstructionGradients(batch.x, rng);
    if (this.labeledReconLoss) this.reconstructionGradients(xLabeled, rng, { label: yLabeled, loss: this.labeledReconLoss, accumulate: true });
    this.P_decoder.update();
    this.Q_encoder.update();
    this.regularisationPhases(batch.x, rng);
    this.classifierGradients(xLabeled, yLabeled, rng);
    this.vat?.accumulateGradients(batch.x, rng, batch.vatRadius);
    this.Q_semi_supervised.update();
  }
}
