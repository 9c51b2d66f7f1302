// Semi-supervised AAE (Makhzani et al. 2016, Sec. 5; the Paperspace post's main model). Q outputs a softmax class
// code y, pushed towards a categorical prior by D_cat, and a style code z, pushed towards N(0, I) by D_gauss.
// Each iteration: reconstruction -> both discriminators -> generator -> cross-entropy on a labeled minibatch.
import { type Backend, type Tensor } from '../backend/backend.js';
import { type Linear } from '../nn/linear.js';
import { Adam } from '../optim/adam.js';
import { type RngStream } from '../rng.js';
import { Adversary } from './adversary.js';
import { AdversarialAutoencoder, type StepBatch } from './autoencoder.js';
import { type AaeConfig } from './config.js';
import { type Prior, createPrior } from './priors.js';

export class SemiSupervisedAAE extends AdversarialAutoencoder {
  readonly D_cat: Adversary;
  readonly D_gauss: Adversary;
  readonly Q_generator: Adam;
  readonly Q_semi_supervised: Adam;
  readonly prior: Prior;
  readonly crossEntropy: Tensor; // (1)
  readonly realCat: Tensor; // (B, classes)
  readonly realGauss: Tensor; // (B, zDim)

  constructor(be: Backend, config: AaeConfig) {
    super(be, config, { encoderClasses: config.classes, decoderClasses: config.classes });
    const c = config;
    this.D_cat = new Adversary(be, { name: 'D_cat', codeDim: c.classes, shape: this.shapeD(), batch: c.batch, lr: c.lr.discriminator });
    this.D_gauss = new Adversary(be, { name: 'D_gauss', codeDim: c.zDim, shape: this.shapeD(), batch: c.batch, lr: c.lr.discriminator });
    this.Q_generator = new Adam(be, 'Q_generator', this.Q.parameters(), { lr: c.lr.generator });
    this.Q_semi_supervised = new Adam(be, 'Q_semi_supervised', this.Q.classifierParameters(), { lr: c.lr.classifier });
    this.prior = createPrior(c.prior);
    this.crossEntropy = be.tensor([1]);
    this.realCat = be.tensor([c.batch, c.classes]);
    this.realGauss = be.tensor([c.batch, c.zDim]);
  }

  linears(): Linear[] {
    return [...this.Q.linears(), ...this.P.linears(), ...this.D_cat.net.linears(), ...this.D_gauss.net.linears()];
  }

  optimizers(): Adam[] {
    return [this.P_decoder, this.Q_encoder, this.Q_generator, this.Q_semi_supervised, this.D_cat.optimizer, this.D_gauss.optimizer];
  }

  lossTensors(): Record<string, Tensor> {
    return {
      recon: this.reconLoss,
      d_cat: this.D_cat.discriminatorLoss,
      d_gauss: this.D_gauss.discriminatorLoss,
      g_cat: this.D_cat.generatorLoss,
      g_gauss: this.D_gauss.generatorLoss,
      xent: this.crossEntropy,
    };
  }

  /** Generator loss -mean log D_cat(y) - mean log D_gauss(z) and Q's gradients; x: (B, 784). */
  generatorGradients(x: Tensor, rng: RngStream): void {
    const { Q } = this;
    Q.forward(x, true, rng);
    this.D_cat.generatorGrad(Q.y!, Q.dy!, rng);
    this.D_gauss.generatorGrad(Q.z, Q.dz, rng);
    Q.backward({ z: true, y: true });
  }

  /** Cross-entropy of Q's class logits and the gradients of Q's trunk and class head; x: (B, 784), y: (B, classes). */
  classifierGradients(x: Tensor, y: Tensor, rng: RngStream): void {
    const { Q } = this;
    Q.forward(x, true, rng);
    this.be.crossEntropy(Q.logits!, y, this.crossEntropy, Q.dLogits!);
    Q.backward({ logits: true });
  }

  step(batch: StepBatch, rng: RngStream): void {
    const { be, Q } = this;
    if (!batch.xLabeled || !batch.yLabeled) throw new Error('SemiSupervisedAAE.step: needs a labeled batch (xLabeled, yLabeled)');

    // 1. Reconstruction: update Q and P on BCE(P([y, z]), x).
    this.reconstructionPhase(batch.x, rng);

    // 2. Discriminators: prior samples are "real", Q's codes (evaluation mode) are "fake".
    Q.forward(batch.x, false, rng);
    be.randomCategorical(this.realCat, rng.take(this.config.batch));
    this.prior.sample(be, this.realGauss, rng);
    this.D_cat.discriminatorStep(this.realCat, Q.y!, rng);
    this.D_gauss.discriminatorStep(this.realGauss, Q.z, rng);

    // 3. Generator: Q learns to fool both discriminators.
    this.generatorGradients(batch.x, rng);
    this.Q_generator.update();

    // 4. Semi-supervised: cross-entropy of Q's class logits on a labeled minibatch.
    this.classifierGradients(batch.xLabeled, batch.yLabeled, rng);
    this.Q_semi_supervised.update();
  }
}
