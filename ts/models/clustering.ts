// Unsupervised clustering AAE (Makhzani et al. 2016, Sec. 6): Q outputs a softmax cluster code y, pushed towards a
// k-way categorical prior by D_cat, and a style code z, pushed towards N(0, I) by D_gauss; P decodes [y, z].
// Each iteration: reconstruction -> both discriminators -> generator. The semi-supervised AAE is this model plus a
// cross-entropy phase on labeled data (semisupervised.ts).
import { type Backend, type Tensor } from '../backend/backend.js';
import { type Linear } from '../nn/linear.js';
import { type Optimizer } from '../optim/optimizer.js';
import { createOptimizer } from '../optim/create.js';
import { type RngStream } from '../rng.js';
import { Adversary } from './adversary.js';
import { AdversarialAutoencoder, type StepBatch } from './autoencoder.js';
import { type AaeConfig } from './config.js';
import { VirtualAdversarial } from './consistency.js';
import { type Prior, createPrior } from './priors.js';

export class ClusteringAAE extends AdversarialAutoencoder {
  readonly D_cat: Adversary;
  readonly D_gauss: Adversary;
  readonly Q_generator: Optimizer;
  readonly prior: Prior;
  readonly realCat: Tensor; // (B, classes)
  readonly realGauss: Tensor; // (B, zDim)
  /** Virtual adversarial training of the class head (config.vat), or undefined. */
  readonly vat: VirtualAdversarial | undefined;

  /** decoderClasses: width of y in P's input (the dimensionality-reduction model feeds P no y, only W_c y + z). */
  constructor(be: Backend, config: AaeConfig, decoderClasses = config.classes) {
    super(be, config, { encoderClasses: config.classes, decoderClasses });
    const c = config;
    this.D_cat = new Adversary(be, { ...this.adversaryOptions(), name: 'D_cat', codeDim: c.classes, generatorWeight: c.categoricalWeight ?? 1 });
    this.D_gauss = new Adversary(be, { ...this.adversaryOptions(), name: 'D_gauss', codeDim: c.zDim });
    this.Q_generator = createOptimizer(be, 'Q_generator', this.Q.parameters(), c.lr.generator, c.optimizer);
    this.prior = createPrior(c.prior);
    this.realCat = be.tensor([c.batch, c.classes]);
    this.realGauss = be.tensor([c.batch, c.zDim]);
    if (c.vat) this.vat = new VirtualAdversarial(be, this.Q, { ...c.vat, batch: c.batch, inFeatures: c.inFeatures, classes: c.classes });
  }

  linears(): Linear[] {
    return [...this.Q.linears(), ...this.P.linears(), ...this.D_cat.net.linears(), ...this.D_gauss.net.linears()];
  }

  optimizers(): Optimizer[] {
    return [this.P_decoder, this.Q_encoder, this.Q_generator, this.D_cat.optimizer, this.D_gauss.optimizer];
  }

  lossTensors(): Record<string, Tensor> {
    return {
      recon: this.reconLoss,
      d_cat: this.D_cat.discriminatorLoss,
      d_gauss: this.D_gauss.discriminatorLoss,
      g_cat: this.D_cat.generatorLoss,
      g_gauss: this.D_gauss.generatorLoss,
      ...(this.vat ? { vat: this.vat.loss, ent: this.vat.entropy } : {}),
      ...(this.vat?.options.marginalWeight ? { h_y: this.vat.marginalEntropy } : {}),
    };
  }

  /**
   * Generator loss -mean log D_cat(y) - mean log D_gauss(z) and Q's gradients; x: (B, inFeatures). A model without a
   * cross-entropy phase adds the VAT term here (config.vat), as IMSAT does beside its marginal-entropy term.
   */
  generatorGradients(x: Tensor, rng: RngStream, vatRadius?: Tensor): void {
    const { Q } = this;
    Q.forward(this.trainingInput(x, rng), true, rng);
    this.D_cat.generatorGrad(Q.y!, Q.dy!, rng);
    this.D_gauss.generatorGrad(Q.z, Q.dz, rng);
    Q.backward({ z: true, y: true });
    if (this.vat && !this.traits.classifierPhase) this.vat.accumulateGradients(x, rng, vatRadius);
  }

  /**
   * Discriminators, then generator: the regularisation phases of one iteration on x: (B, inFeatures); vatRadius:
   * (B, 1), the batch's StepBatch.vatRadius.
   */
  protected regularisationPhases(x: Tensor, rng: RngStream, vatRadius?: Tensor): void {
    const { be, Q } = this;
    // Discriminators: prior samples are "real", Q's codes (evaluation mode unless configured) are "fake".
    this.encodeForDiscriminators(x, rng);
    be.randomCategorical(this.realCat, rng.take(this.config.batch));
    this.prior.sample(be, this.realGauss, rng);
    this.D_cat.discriminatorStep(this.realCat, Q.y!, rng);
    this.D_gauss.discriminatorStep(this.realGauss, Q.z, rng);
    // Generator: Q learns to fool both discriminators.
    this.generatorGradients(x, rng, vatRadius);
    this.Q_generator.update();
  }

  /**
   * Cross-entropy of Q's class logits (not its softmax) against one-hot labels into loss (1), and Q's gradients:
   * the semi-supervised phase of the models that have one. x: (B, inFeatures), y: (B, classes).
   */
  protected crossEntropyGradients(x: Tensor, y: Tensor, loss: Tensor, rng: RngStream): void {
    const { Q } = this;
    Q.forward(this.trainingInput(x, rng), true, rng);
    this.be.crossEntropy(Q.logits!, y, loss, Q.dLogits!);
    Q.backward({ logits: true });
  }

  protected phases(batch: StepBatch, rng: RngStream): void {
    this.reconstructionPhase(batch.x, rng);
    this.regularisationPhases(batch.x, rng, batch.vatRadius);
  }
}
