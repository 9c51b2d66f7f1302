// Unsupervised AAE (Makhzani et al. 2016, Sec. 2-3): Q encodes x to z, P decodes z, D_gauss pushes q(z) towards
// the prior (N(0, 5^2 I) by default; mixture of Gaussians, swiss roll or uniform as options).
// Each iteration: reconstruction -> discriminator -> generator. The supervised AAE is this model with the label
// as a second decoder input (supervised.ts). With config.conditionalPrior (the paper's Sec. 2.3, Fig. 4), D_gauss
// sees [z, one-hot label] and the prior's samples are drawn per label, so labeled codes land in their class's
// component while unlabeled ones fill the whole prior.
import { type Backend, type Tensor } from '../backend/backend.js';
import { type Linear } from '../nn/linear.js';
import { type Optimizer } from '../optim/optimizer.js';
import { createOptimizer } from '../optim/create.js';
import { type RngStream } from '../rng.js';
import { Adversary } from './adversary.js';
import { AdversarialAutoencoder, type StepBatch } from './autoencoder.js';
import { type AaeConfig } from './config.js';
import { type Prior, createPrior } from './priors.js';

export class UnsupervisedAAE extends AdversarialAutoencoder {
  readonly D_gauss: Adversary;
  readonly Q_generator: Optimizer;
  readonly prior: Prior;
  readonly real: Tensor; // (B, zDim)
  /** [code, condition] for D_gauss with a conditional prior: real, fake and the fake side's gradient, (B, zDim + classes + 1). */
  readonly #conditioned: { real: Tensor; fake: Tensor; dFake: Tensor } | undefined;

  /** decoderClasses: width of a label fed to P beside z (0 here; the supervised model's classes). */
  constructor(be: Backend, config: AaeConfig, decoderClasses = 0) {
    super(be, config, { encoderClasses: 0, decoderClasses });
    const c = config;
    const conditionDim = c.conditionalPrior ? c.conditionalPrior.classes + 1 : 0;
    this.D_gauss = new Adversary(be, { ...this.adversaryOptions(), name: 'D_gauss', codeDim: c.zDim + conditionDim });
    this.Q_generator = createOptimizer(be, 'Q_generator', this.Q.parameters(), c.lr.generator, c.optimizer);
    this.prior = createPrior(c.prior);
    this.real = be.tensor([c.batch, c.zDim]);
    if (conditionDim > 0) {
      const width = c.zDim + conditionDim;
      this.#conditioned = { real: be.tensor([c.batch, width]), fake: be.tensor([c.batch, width]), dFake: be.tensor([c.batch, width]) };
    }
  }

  /** D_gauss's input for code (B, zDim): the code itself, or [code, condition] into `into` with a conditional prior. */
  #dInput(code: Tensor, condition: Tensor | undefined, into: 'real' | 'fake'): Tensor {
    const c = this.#conditioned;
    if (!c) return code;
    if (!condition) throw new Error('UnsupervisedAAE: the conditional prior needs the batch\'s condition (B, classes + 1)');
    this.be.copy(code, c[into], { dstCol: 0 });
    this.be.copy(condition, c[into], { dstCol: this.config.zDim });
    return c[into];
  }

  linears(): Linear[] {
    return [...this.Q.linears(), ...this.P.linears(), ...this.D_gauss.net.linears()];
  }

  optimizers(): Optimizer[] {
    return [this.P_decoder, this.Q_encoder, this.Q_generator, this.D_gauss.optimizer];
  }

  lossTensors(): Record<string, Tensor> {
    return { recon: this.reconLoss, d_gauss: this.D_gauss.discriminatorLoss, g_gauss: this.D_gauss.generatorLoss };
  }

  /** Generator loss -mean log D_gauss(z) and Q's gradients; x: (B, inFeatures), condition: (B, classes + 1) if conditioned. */
  generatorGradients(x: Tensor, rng: RngStream, condition?: Tensor): void {
    const { Q } = this;
    Q.forward(this.trainingInput(x, rng), true, rng);
    const c = this.#conditioned;
    if (c) {
      this.D_gauss.generatorGrad(this.#dInput(Q.z, condition, 'fake'), c.dFake, rng);
      this.be.copy(c.dFake, Q.dz, { cols: this.config.zDim });
    } else {
      this.D_gauss.generatorGrad(Q.z, Q.dz, rng);
    }
    Q.backward({ z: true });
  }

  /** Discriminator, then generator: the regularisation phases of one iteration on batch.x: (B, inFeatures). */
  protected regularisationPhases(batch: StepBatch, rng: RngStream): void {
    const { x, condition } = batch;
    this.encodeForDiscriminators(x, rng);
    this.prior.sample(this.be, this.real, rng, this.#conditioned ? batch.priorLabels : undefined);
    this.D_gauss.discriminatorStep(this.#dInput(this.real, condition, 'real'), this.#dInput(this.Q.z, condition, 'fake'), rng);
    this.generatorGradients(x, rng, condition);
    this.Q_generator.update();
  }

  protected phases(batch: StepBatch, rng: RngStream): void {
    this.reconstructionPhase(batch.x, rng);
    this.regularisationPhases(batch, rng);
  }
}
