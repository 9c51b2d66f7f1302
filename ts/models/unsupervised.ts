// Unsupervised AAE (Makhzani et al. 2016, Sec. 2-3): Q encodes x to z, P decodes z, D_gauss pushes q(z) towards
// the prior (N(0, 5^2 I) by default; mixture of Gaussians, swiss roll or uniform as options).
// Each iteration: reconstruction -> discriminator -> generator. The supervised AAE is this model with the label
// as a second decoder input (supervised.ts).
import { type Backend, type Tensor } from '../backend/backend.js';
import { type Linear } from '../nn/linear.js';
import { type Optimizer, createOptimizer } from '../optim/optimizer.js';
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

  /** decoderClasses: width of a label fed to P beside z (0 here; the supervised model's classes). */
  constructor(be: Backend, config: AaeConfig, decoderClasses = 0) {
    super(be, config, { encoderClasses: 0, decoderClasses });
    const c = config;
    this.D_gauss = new Adversary(be, { name: 'D_gauss', codeDim: c.zDim, shape: this.shapeD(), batch: c.batch, lr: c.lr.discriminator, optimizer: c.optimizer, inputNoise: c.discriminatorNoise });
    this.Q_generator = createOptimizer(be, 'Q_generator', this.Q.parameters(), c.lr.generator, c.optimizer);
    this.prior = createPrior(c.prior);
    this.real = be.tensor([c.batch, c.zDim]);
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

  /** Generator loss -mean log D_gauss(z) and Q's gradients; x: (B, 784). */
  generatorGradients(x: Tensor, rng: RngStream): void {
    this.Q.forward(this.trainingInput(x, rng), true, rng);
    this.D_gauss.generatorGrad(this.Q.z, this.Q.dz, rng);
    this.Q.backward({ z: true });
  }

  /** Discriminator, then generator: the regularisation phases of one iteration on x: (B, 784). */
  protected regularisationPhases(x: Tensor, rng: RngStream): void {
    this.Q.forward(this.trainingInput(x, rng), false, rng);
    this.prior.sample(this.be, this.real, rng);
    this.D_gauss.discriminatorStep(this.real, this.Q.z, rng);
    this.generatorGradients(x, rng);
    this.Q_generator.update();
  }

  protected phases(batch: StepBatch, rng: RngStream): void {
    this.reconstructionPhase(batch.x, rng);
    this.regularisationPhases(batch.x, rng);
  }
}
