// The adversarial regulariser of one code (z or y): a discriminator D, its optimiser, and the two phases it takes
// part in. Discriminator phase: D learns to tell prior samples ("real") from codes ("fake"); the codes are inputs
// only, so nothing flows back into Q (the reference code computes that gradient and then discards it).
// Generator phase: the gradient of -mean log D(code) with respect to the code, for Q; D's parameters get none.
// With inputNoise > 0, D sees every input (prior sample or code) plus fresh N(0, inputNoise^2) noise in both phases,
// which blurs the line between exact prior samples and codes (nn/noise.ts).
import { type Backend, type Tensor } from '../backend/backend.js';
import { addGaussianNoise } from '../nn/noise.js';
import { type Sequential, type Trace } from '../nn/sequential.js';
import { type Optimizer, type OptimizerConfig } from '../optim/optimizer.js';
import { createOptimizer } from '../optim/create.js';
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
  /** Standard deviation of Gaussian noise added to D's inputs in both phases (default 0: none). */
  inputNoise?: number;
  /** Weight of the generator loss in the gradient handed to Q (default 1); the recorded loss is unweighted. */
  generatorWeight?: number;
  /** D in evaluation mode (no dropout) in the generator phase (default false: with dropout, as the reference code). */
  evalInGenerator?: boolean;
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
  /** D's noisy inputs for the real and the fake trace, (B, codeDim) each; undefined without input noise. */
  readonly #noisy: { real: Tensor; fake: Tensor } | undefined;

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
    if ((options.inputNoise ?? 0) > 0) this.#noisy = { real: be.tensor([options.batch, options.codeDim]), fake: be.tensor([options.batch, options.codeDim]) };
  }

  /** What D sees of code (B, codeDim) in the `side` trace: code itself, or code plus fresh noise when inputNoise > 0. */
  #input(code: Tensor, side: 'real' | 'fake', rng: RngStream): Tensor {
    const noisy = this.#noisy?.[side];
    return noisy ? addGaussianNoise(this.be, code, noisy, { std: this.options.inputNoise!, rng }) : code;
  }

  /** Discriminator loss and D's parameter gradients; real, fake: (B, codeDim). */
  discriminatorGradients(real: Tensor, fake: Tensor, rng: RngStream): void {
    this.net.forward(this.real, this.#input(real, 'real', rng), true, rng);
    this.net.forward(this.fake, this.#input(fake, 'fake', rng), true, rng);
    this.be.discriminatorLoss(this.real.output, this.fake.output, this.discriminatorLoss, this.real.dOutput, this.fake.dOutput);
    this.net.backward(this.real, { dyIsPreActivation: true });
    this.net.backward(this.fake, { dyIsPreActivation: true, accumulateParams: true });
  }

  discriminatorStep(real: Tensor, fake: Tensor, rng: RngStream): void {
    this.discriminatorGradients(real, fake, rng);
    this.optimizer.update();
  }

  // code, dCode: (B, codeDim); dCode receives d(-weight * mean log D(code)) / d code.
  generatorGrad(code: Tensor, dCode: Tensor, rng: RngStream): void {
    this.net.forward(this.fake, this.#input(code, 'fake', rng), !this.options.evalInGenerator, rng);
    this.be.generatorLoss(this.fake.output, this.generatorLoss, this.fake.dOutput);
    const weight = this.options.generatorWeight ?? 1;
    if (weight !== 1) this.be.axpby(this.fake.dOutput, this.fake.dOutput, this.fake.dOutput, { alpha: weight, beta: 0 });
    this.net.backward(this.fake, { dx: dCode, dyIsPreActivation: true, paramGrads: false });
  }
}
