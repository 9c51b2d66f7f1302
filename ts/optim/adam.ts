// Adam as torch.optim.Adam (betas 0.9/0.999, eps 1e-8, bias correction), one fused backend call per step.
// Each training phase owns its own instance with its own moments, as the reference code does; several instances
// may hold the same parameters.
import { type AdamGroup, type Backend, type Tensor } from '../backend/backend.js';
import { type Parameter } from '../nn/parameter.js';
import { type Optimizer } from './optimizer.js';

export interface AdamConfig {
  lr: number;
  beta1?: number;
  beta2?: number;
  eps?: number;
  weightDecay?: number;
}

export class Adam implements Optimizer {
  /** The rate of the next update (a schedule may lower it). */
  lr: number;
  readonly baseLr: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  readonly weightDecay: number;
  /** Updates taken so far (PyTorch's state['step']). */
  step = 0;
  #group: AdamGroup | undefined;

  constructor(
    private readonly be: Backend,
    readonly name: string,
    readonly params: Parameter[],
    config: AdamConfig,
  ) {
    this.lr = this.baseLr = config.lr;
    this.beta1 = config.beta1 ?? 0.9;
    this.beta2 = config.beta2 ?? 0.999;
    this.eps = config.eps ?? 1e-8;
    this.weightDecay = config.weightDecay ?? 0;
    if (!(this.lr > 0)) throw new RangeError(`optimizer ${name}: learning rate must be > 0, got ${this.lr}`);
  }

  /**
   * The parameters, gradients and moments. The moments are allocated at the first update or state() call, so a
   * model that is only evaluated, sampled or explored holds none.
   */
  get group(): AdamGroup {
    this.#group ??= {
      params: this.params.map((p) => p.value),
      grads: this.params.map((p) => p.grad),
      m: this.params.map((p) => this.be.tensor(p.value.shape)),
      v: this.params.map((p) => this.be.tensor(p.value.shape)),
    };
    return this.#group;
  }

  state(): Record<string, Tensor[]> {
    const { m, v } = this.group;
    return { exp_avg: m, exp_avg_sq: v };
  }

  /** One update of every parameter from its current gradient. */
  update(): void {
    this.step++;
    this.be.adam(this.group, { lr: this.lr, beta1: this.beta1, beta2: this.beta2, eps: this.eps, step: this.step, weightDecay: this.weightDecay });
  }
}
