// The closing lines of a run name the best checkpoint by the rule that saved it and the last one, each with its
// epoch and test score.
import t from 'tap';
import { checkpointLines, testScore } from '../../ts/cli/summary.js';
import { type EpochRecord } from '../../ts/train/trainer.js';

const epoch = (n: number, extra: Partial<EpochRecord>): EpochRecord => ({ type: 'epoch', epoch: n, steps: 500 * n, seconds: 1, itersPerSecond: 1, losses: {}, testRecon: 0.2, ...extra });
const files = { best: 'runs/a/checkpoints/best.safetensors', last: 'runs/a/checkpoints/last.safetensors' };

t.test('a last epoch worse than the best: both are reported, each with its epoch', async (t) => {
  const records = [0.2, 0.13, 0.121, 0.121, 0.15].map((v, i) => epoch(i + 1, { validationError: v, testError: v + 0.01 }));
  t.same(checkpointLines(records, files), [
    'aae: best checkpoint: epoch 3 (lowest validation error 12.10%): test error 13.10%; runs/a/checkpoints/best.safetensors',
    'aae: last checkpoint: epoch 5: test error 16.00%; runs/a/checkpoints/last.safetensors',
  ]);
});

t.test('models without a classifier: chosen by validation reconstruction, scored by cluster accuracy or reconstruction', async (t) => {
  const records = [epoch(1, { validationRecon: 0.15, clusterAccuracy: 0.7 }), epoch(2, { validationRecon: 0.14, clusterAccuracy: 0.69 })];
  t.same(checkpointLines(records, files)[0], 'aae: best checkpoint: epoch 2 (lowest validation reconstruction loss 0.1400): cluster accuracy 69.00%; runs/a/checkpoints/best.safetensors');
  t.equal(testScore(epoch(1, { testRecon: 0.12345 })), 'test reconstruction loss 0.1235');
  t.same(checkpointLines([], files), [], 'no epochs: no lines');
});
