// Linear layer y = act(x W^T + b) with PyTorch's (out, in) weight layout; the activation is fused into the GEMM.
import { type Activation, type Backend, type Tensor } from '../backend/backend.js';
import { Parameter } from './parameter.js';

export interface LinearOptions {
  /** Name inside its module, e.g. "lin1"; parameters are "<prefix>.<name>.weight" / ".bias". */
  name: string;
  inFeatures: number;
  outFeatures: number;
  /** Fused into the forward GEMM's epilogue (default 'none'). */
  activation?: Activation;
}

export interface LinearBackward {
  x: Tensor; // (B, in): the forward input
  y: Tensor; // (B, out): the forward output (activation applied)
  dy: Tensor; // (B, out): gradient w.r.t. y; overwritten with the gradient w.r.t. the pre-activation
  /** (B, in): receives the gradient w.r.t. x; omit when x needs no gradient (the first layer of an encoder). */
  dx?: Tensor;
  /** dy already holds the gradient w.r.t. the pre-activation (a loss with the sigmoid/softmax fused in). */
  dyIsPreActivation?: boolean;
  /** The bias gradient is already in bias.grad (computed with dy, by Sequential's fused relu + dropout backward). */
  biasGradDone?: boolean;
  /** Add to the parameter gradients instead of overwriting them (a module applied twice in one loss). */
  accumulateParams?: boolean;
  /** Add to dx instead of overwriting it (two heads feeding one trunk). */
  accumulateInput?: boolean;
}

export class Linear {
  readonly name: string;
  readonly inFeatures: number;
  readonly outFeatures: number;
  readonly activation: Activation;
  readonly weight: Parameter; // (out, in)
  readonly bias: Parameter; // (out)

  constructor(
    private readonly be: Backend,
    prefix: string,
    options: LinearOptions,
  ) {
    this.name = options.name;
    this.inFeatures = options.inFeatures;
    this.outFeatures = options.outFeatures;
    this.activation = options.activation ?? 'none';
    const full = `${prefix}.${options.name}`;
    this.weight = new Parameter(`${full}.weight`, be.tensor([this.outFeatures, this.inFeatures]), be.tensor([this.outFeatures, this.inFeatures]));
    this.bias = new Parameter(`${full}.bias`, be.tensor([this.outFeatures]), be.tensor([this.outFeatures]));
  }

  parameters(): Parameter[] {
    return [this.weight, this.bias];
  }

  // x: (B, in) -> y: (B, out)
  forward(x: Tensor, y: Tensor): void {
    this.be.matmul(x, this.weight.value, y, { transB: true, bias: this.bias.value, activation: this.activation });
  }

  backward(a: LinearBackward): void {
    const { be } = this;
    this.#preActivationGrad(a);
    const accumulate = a.accumulateParams ?? false;
    be.matmul(a.dy, a.x, this.weight.grad, { transA: true, accumulate }); // dW: (out, in) = dz^T x
    if (!a.biasGradDone) be.biasGrad(a.dy, this.bias.grad, { accumulate }); // db: (out)
    if (a.dx) be.matmul(a.dy, this.weight.value, a.dx, { accumulate: a.accumulateInput ?? false }); // dx: (B, in) = dz W
  }

  /** Only the input gradient (the parameters get none): a generator step back-propagating through a discriminator. */
  inputGrad(a: Omit<LinearBackward, 'x' | 'accumulateParams' | 'biasGradDone'> & { dx: Tensor }): void {
    this.#preActivationGrad(a);
    this.be.matmul(a.dy, this.weight.value, a.dx, { accumulate: a.accumulateInput ?? false });
  }

  #preActivationGrad(a: Pick<LinearBackward, 'y' | 'dy' | 'dyIsPreActivation'>): void {
    if (!a.dyIsPreActivation && this.activation !== 'none') this.be.activationBackward(a.y, a.dy, a.dy, this.activation);
  }
}
