// A stepped learning-rate schedule (torch.optim.lr_scheduler.MultiStepLR over epochs): the rate is the base rate
// times gamma for every milestone reached, lr(epoch) = base * gamma^(number of milestones <= epoch), epochs 0-based.
// The trainer applies it to every optimiser at the start of each epoch; checkpoints store the rates it set.
import { type Optimizer } from './optimizer.js';

export interface StepSchedule {
  /** 0-based epochs at which the rate is multiplied by gamma, ascending (e.g. [50, 1000]). */
  milestones: number[];
  gamma: number;
}

export function scheduledLr(base: number, schedule: StepSchedule | undefined, epoch: number): number {
  if (!schedule) return base;
  const reached = schedule.milestones.filter((m) => m <= epoch).length;
  return base * schedule.gamma ** reached;
}

/** Sets every optimiser's rate for `epoch`. */
export function applySchedule(optimizers: Optimizer[], schedule: StepSchedule | undefined, epoch: number): void {
  for (const opt of optimizers) opt.lr = scheduledLr(opt.baseLr, schedule, epoch);
}

/** One line naming what is wrong with a schedule, or undefined when it is valid. */
export function scheduleProblem(schedule: StepSchedule): string | undefined {
  const m = schedule.milestones;
  if (m.some((e) => !Number.isInteger(e) || e < 1)) return `milestones must be positive integers (epochs), got ${m.join(',')}`;
  if (m.some((e, i) => i > 0 && e <= m[i - 1]!)) return `milestones must be strictly ascending, got ${m.join(',')}`;
  if (!(schedule.gamma > 0 && schedule.gamma <= 1)) return `gamma must be in (0, 1], got ${schedule.gamma}`;
  return undefined;
}
