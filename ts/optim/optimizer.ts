// What the models and checkpoints need of an optimiser, whichever it is: a name, the parameters it updates, a step
// count, a learning rate the schedule may change, one update() per phase, and its state tensors (Adam's moments,
// SGD's momentum buffers) under PyTorch's state names, so a checkpoint can save and restore them exactly.
import { type Tensor } from '../backend/backend.js';
import { type Parameter } from '../nn/parameter.js';

export interface Optimizer {
  readonly name: string;
  readonly params: Parameter[];
  /** Updates taken so far. */
  step: number;
  /** The learning rate the next update uses (the schedule sets it at the start of every epoch). */
  lr: number;
  /** The configured learning rate, before any schedule. */
  readonly baseLr: number;
  update(): void;
  /** State tensors by PyTorch state name ("exp_avg", "momentum_buffer"), each list aligned with params. */
  state(): Record<string, Tensor[]>;
}

export type OptimizerConfig =
  /** torch.optim.Adam; beta1 (default 0.9) is the first moment's decay, GAN recipes often lower it (0.5). */
  | { name: 'adam'; beta1?: number }
  /** torch.optim.SGD with momentum (dampening 0, not Nesterov). */
  | { name: 'sgd'; momentum: number };

export const OPTIMIZER_NAMES = ['adam', 'sgd'] as const;
