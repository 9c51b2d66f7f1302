// A named trainable tensor and its gradient, both resident on the backend. Names follow a PyTorch state_dict
// of the same modules ("Q.lin1.weight"), so checkpoints load in PyTorch.
import { type Tensor } from '../backend/backend.js';

export class Parameter {
  constructor(
    readonly name: string,
    readonly value: Tensor,
    readonly grad: Tensor,
  ) {}
}
