// The closing lines of a training run: the best checkpoint (by the rule that saved it: validation error, else
// validation reconstruction) and the last one, each with its epoch and test score, so that a run whose last epoch
// is worse than its best says so instead of reporting only the last.
import { type EpochRecord, checkpointScore } from '../train/trainer.js';

const pct = (v: number) => `${(100 * v).toFixed(2)}%`;

/** The score a user reads off an epoch: test error, cluster accuracy, or the test reconstruction loss. */
export function testScore(r: EpochRecord): string {
  if (r.testError !== undefined) return `test error ${pct(r.testError)}`;
  if (r.clusterAccuracy !== undefined) return `cluster accuracy ${pct(r.clusterAccuracy)}`;
  return `test reconstruction loss ${r.testRecon.toFixed(4)}`;
}

/** What chose the best checkpoint, with its value. */
function selection(r: EpochRecord): string {
  if (r.validationError !== undefined) return `validation error ${pct(r.validationError)}`;
  if (r.validationRecon !== undefined) return `validation reconstruction loss ${r.validationRecon.toFixed(4)}`;
  return `test reconstruction loss ${r.testRecon.toFixed(4)}`;
}

/** Two lines: the best checkpoint (first epoch with the lowest checkpointScore) and the last. */
export function checkpointLines(records: EpochRecord[], files: { best: string; last: string }): string[] {
  const last = records[records.length - 1];
  if (!last) return [];
  const best = records.reduce((b, r) => (checkpointScore(r) < checkpointScore(b) ? r : b));
  return [
    `aae: best checkpoint: epoch ${best.epoch} (lowest ${selection(best)}): ${testScore(best)}; ${files.best}`,
    `aae: last checkpoint: epoch ${last.epoch}: ${testScore(last)}; ${files.last}`,
  ];
}
