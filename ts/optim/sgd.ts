// SGD with momentum as torch.optim.SGD (dampening 0, not Nesterov): buf = momentum * buf + g;  p = p - lr * buf.
// The first update gives buf = g, as PyTorch's, because buf starts at zero. Composed of the backend's axpby, so it
// runs unchanged on every backend; two elementwise passes per parameter.
// Denormals are not flushed (Adam's kernel flushes its moments): a buffer whose gradient stays exactly 0 decays into
// the denormal range and stays there (0.9 k 2^-149 rounds back to k for k <= 4), where a Wasm axpby is ~35x slower
// per element. Few elements do: 407 of 9.2 M after 800 iterations of the paper-100 recipe.
import { type Backend, type Tensor } from '../backend/backend.js';
import { type Parameter } from '../nn/parameter.js';
import { type Optimizer } from './optimizer.js';

export interface SgdConfig {
  lr: number;
  /** 0 gives plain SGD. */
  momentum: number;
  /** L2 penalty added to the gradient, as PyTorch's `weight_decay` (applied to the gradient buffer in place). */
  weightDecay?: number;
}

export class SgdMomentum implements Optimizer {
  step = 0;
  lr: number;
  readonly baseLr: number;
  readonly momentum: number;
  readonly weightDecay: number;
  #buffers: Tensor[] | undefined;

  constructor(
    private readonly be: Backend,
    readonly name: string,
    readonly params: Parameter[],
    config: SgdConfig,
  ) {
    this.lr = this.baseLr = config.lr;
    this.momentum = config.momentum;
    this.weightDecay = config.weightDecay ?? 0;
    if (!(this.lr > 0)) throw new RangeError(`optimizer ${name}: learning rate must be > 0, got ${this.lr}`);
    if (!(this.momentum >= 0 && this.momentum < 1)) throw new RangeError(`optimizer ${name}: momentum must be in [0, 1), got ${this.momentum}`);
  }

  /**
   * One buffer per parameter, same shape: PyTorch's state['momentum_buffer']. Allocated at the first update or
   * state() call, so a model that is only evaluated, sampled or explored holds none.
   */
  get buffers(): Tensor[] {
    this.#buffers ??= this.params.map((p) => this.be.tensor(p.value.shape));
    return this.#buffers;
  }

  update(): void {
    const { be } = this;
    this.step++;
    this.params.forEach((p, i) => {
      const buf = this.buffers[i]!;
      if (this.weightDecay !== 0) be.axpby(p.grad, p.value, p.grad, { alpha: 1, beta: this.weightDecay });
      be.axpby(buf, p.grad, buf, { alpha: this.momentum, beta: 1 });
      be.axpby(p.value, buf, p.value, { alpha: 1, beta: -this.lr });
    });
  }

  state(): Record<string, Tensor[]> {
    return { momentum_buffer: this.buffers };
  }
}
