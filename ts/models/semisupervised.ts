// Semi-supervised AAE (Makhzani et al. 2016, Sec. 5; the Paperspace post's main model): the clustering AAE with one
// class per label, plus a cross-entropy phase on a labeled minibatch. Q outputs a softmax class code y (D_cat,
// categorical prior) and a style code z (D_gauss, N(0, I) by default).
// Each iteration: reconstruction -> both discriminators -> generator -> cross-entropy on a labeled minibatch.
import { type Backend, type Tensor } from '../backend/backend.js';
import { type Optimizer, createOptimizer } from '../optim/optimizer.js';
import { type RngStream } from '../rng.js';
import { type StepBatch } from './autoencoder.js';
import { ClusteringAAE } from './clustering.js';
import { type AaeConfig } from './config.js';

export class SemiSupervisedAAE extends ClusteringAAE {
  /** Updates Q's trunk and class head on the cross-entropy (the reference code's Q_semi_supervised). */
  readonly Q_semi_supervised: Optimizer;
  readonly crossEntropy: Tensor; // (1)

  constructor(be: Backend, config: AaeConfig) {
    super(be, config);
    this.Q_semi_supervised = createOptimizer(be, 'Q_semi_supervised', this.Q.classifierParameters(), config.lr.classifier, config.optimizer);
    this.crossEntropy = be.tensor([1]);
  }

  override optimizers(): Optimizer[] {
    return [...super.optimizers(), this.Q_semi_supervised];
  }

  override lossTensors(): Record<string, Tensor> {
    return { ...super.lossTensors(), xent: this.crossEntropy };
  }

  /** Cross-entropy of Q's class logits (not its softmax) and Q's gradients; x: (B, 784), y: (B, classes) one-hot. */
  classifierGradients(x: Tensor, y: Tensor, rng: RngStream): void {
    this.crossEntropyGradients(x, y, this.crossEntropy, rng);
  }

  override step(batch: StepBatch, rng: RngStream): void {
    if (!batch.xLabeled || !batch.yLabeled) throw new Error('SemiSupervisedAAE.step: needs a labeled batch (xLabeled, yLabeled)');
    super.step(batch, rng);
    this.classifierGradients(batch.xLabeled, batch.yLabeled, rng);
    this.Q_semi_supervised.update();
  }
}
