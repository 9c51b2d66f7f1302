// The adversarial regulariser of one code (z or y): a discriminator D, its optimiser, and the two phases it takes
// part in. Discriminator phase: D learns to tell prior samples ("real") from codes ("fake"); the codes are inputs
// only, so nothing flows back into Q (the reference code computes that gradient and then discards it).
// Generator phase: the gradient of -mean log D(code) with respect to the code, for Q; D's parameters get none.
import { type Backend, type Tensor } from '../backend/backend.js';
import { type Sequential, type Trace } from '../nn/sequential.js';
import { type Optimizer, type OptimizerConfig, createOptimizer } from '../optim/optimizer.js';
import { type RngStream } from '../rng.js';
import { type NetShape, mlp } from './nets.js';

export interface AdversaryOptions {
  /** Module name in the state_dict, e.g. "D_gauss" or "D_cat". */
  name: string;
  codeDim: number;
  shape: NetShape;
  batch: number;
  lr: number;
  /** The optimiser of the discriminator phase (default Adam). */
  optimizer?: OptimizerConfig;
}

export class Adversary {
  readonly net: Sequential; // D: code -> hidden... -> 1, sigmoid
  readonly optimizer: Optimizer;
  readonly real: Trace;
  readonly fake: Trace;
  /** -mean(log D(real) + log(1 - D(fake))) of the last discriminator phase: (1). */
  readonly discriminatorLoss: Tensor;
  /** -mean(log D(code)) of the last generator phase: (1). */
  readonly generatorLoss: Tensor;

  constructor(
    private readonly be: Backend,
    readonly options: AdversaryOptions,
  ) {
    this.net = mlp(be, options.name, options.codeDim, options.shape, { features: 1, activation: 'sigmoid' });
    this.optimizer = createOptimizer(be, `${options.name}_solver`, this.net.parameters(), options.lr, options.optimizer);
    this.real = this.net.trace(options.batch);
    this.fake = this.net.trace(options.batch);
    this.discriminatorLoss = be.tensor([1]);
    this.generatorLoss = be.tensor([1]);
  }

  /** Discriminator loss and D's parameter gradients; real, fake: (B, codeDim). */
  discriminatorGradients(real: Tensor, fake: Tensor, rng: RngStream): void {
    this.net.forward(this.real, real, true, rng);
    this.net.forward(this.fake, fake, true, rng);
    this.be.discriminatorLoss(this.real.output, this.fake.output, this.discriminatorLoss, this.real.dOutput, this.fake.dOutput);
    this.net.backward(this.real, { dyIsPreActivation: true });
    this.net.backward(this.fake, { dyIsPreActivation: true, accumulateParams: true });
  }

  discriminatorStep(real: Tensor, fake: Tensor, rng: RngStream): void {
    this.discriminatorGradients(real, fake, rng);
    this.optimizer.update();
  }

  // code, dCode: (B, codeDim); dCode receives d(-mean log D(code)) / d code.
  generatorGrad(code: Tensor, dCode: Tensor, rng: RngStream): void {
    this.net.forward(this.fake, code, true, rng);
    this.be.generatorLoss(this.fake.output, this.generatorLoss, this.fake.dOutput);
    this.net.backward(this.fake, { dx: dCode, dyIsPreActivation: true, paramGrads: false });
  }
}
