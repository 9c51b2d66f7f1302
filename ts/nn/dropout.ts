// Inverted dropout (PyTorch semantics): in training, out = x * mask with mask in {0, 1/(1-p)}; in evaluation, out = x.
import { type Backend, type Tensor } from '../backend/backend.js';
import { type RngStream } from '../rng.js';

export class Dropout {
  constructor(
    private readonly be: Backend,
    readonly p: number,
  ) {
    if (!(p >= 0 && p < 1)) throw new RangeError(`dropout probability must be in [0, 1), got ${p}`);
  }

  // x, out, mask: (B, F)
  forward(x: Tensor, out: Tensor, mask: Tensor, train: boolean, rng: RngStream): void {
    if (train && this.p > 0) this.be.dropout(x, out, mask, { p: this.p, ...rng.take(x.size) });
    else this.be.copy(x, out);
  }

  // dy, mask, dx: (B, F); dx may be dy (in place).
  backward(dy: Tensor, mask: Tensor, dx: Tensor): void {
    if (this.p > 0) this.be.dropoutBackward(dy, mask, dx);
    else if (dx !== dy) this.be.copy(dy, dx);
  }
}
