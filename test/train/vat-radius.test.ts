// A clustering run with IMSAT's adaptive VAT radius (config.vat.neighbour): the Trainer computes every training
// image's k-th neighbour distance, gathers each batch's radii beside its images, and the VAT perturbation of every
// image has radius eps times that distance; the run trains (finite losses) and differs from the fixed-radius run.
import t from 'tap';
import { createBackend } from '../../ts/backend/select.js';
import { defaultConfig } from '../../ts/models/config.js';
import { type ClusteringAAE } from '../../ts/models/clustering.js';
import { type StepRecord, Trainer } from '../../ts/train/trainer.js';
import { kthNeighbourDistances } from '../../ts/train/neighbours.js';
import { type Protocol } from '../../ts/train/run-split.js';
import { mnistSubset } from '../helpers/mnist-subset.js';

const be = await createBackend('wasm', { threads: 1 });
t.teardown(() => be.dispose());
const data = mnistSubset(1200, 100);

function train(neighbour: number | undefined) {
  const base = defaultConfig('cluster');
  const vat = { eps: 0.25, xi: 0.1, weight: 1, entropyWeight: 0.3, marginalWeight: 1.2, ...(neighbour !== undefined ? { neighbour } : {}) };
  const losses: Record<string, number>[] = [];
  const log: string[] = [];
  const trainer = new Trainer(be, data, {
    config: { ...base, hidden: 64, vat },
    epochs: 1,
    seed: 1,
    labels: 0,
    protocol: 'balanced' as Protocol,
    validation: 200,
    logEvery: 1,
    maxStepsPerEpoch: 5,
    maxTestImages: 100,
    log: (line) => log.push(line),
    onRecord: (r) => {
      if (r.type === 'step') losses.push((r as StepRecord).losses);
    },
  });
  trainer.run();
  return { trainer, losses, log };
}

t.test('each image of the last batch was perturbed by eps times its 10th-neighbour distance', async (t) => {
  const { trainer, losses, log } = train(10);
  t.equal(losses.length, 5);
  t.match(log[0], /^vat radius: --vat x the distance to the 10th nearest of 1000 training images \(median distance \d+\.\d{3}\), computed in \d+\.\d s$/);
  t.ok(losses.every((l) => Object.values(l).every(Number.isFinite)), 'every loss finite');
  const vat = (trainer.model as ClusteringAAE).vat!;
  const r = be.download(vat.perturbation);
  const norms = Array.from({ length: 100 }, (_, i) => Math.hypot(...r.subarray(i * 784, (i + 1) * 784)));
  // The radii the trainer computed, recomputed here from the same training images: the norms must be among them.
  const rows = trainer.split.unlabeled;
  const images = be.pixels([data.train.n, 784], data.train.pixels!);
  const radii = kthNeighbourDistances(be, images, { rows, k: 10 });
  be.free(images);
  const candidates = Array.from(radii, (d) => 0.25 * d);
  const unmatched = norms.filter((n) => !candidates.some((c) => Math.abs(c - n) < 1e-4 * c));
  t.same(unmatched, [], 'every |r_adv| is 0.25 x some training image\'s 10th-neighbour distance');
  t.ok(Math.max(...norms) - Math.min(...norms) > 0.05, `the radii differ between images (${Math.min(...norms).toFixed(3)}..${Math.max(...norms).toFixed(3)})`);
});

t.test('without the neighbour option every radius is eps, and the losses differ', async (t) => {
  const fixed = train(undefined);
  const adaptive = train(10);
  const r = be.download((fixed.trainer.model as ClusteringAAE).vat!.perturbation);
  for (let i = 0; i < 100; i += 33) t.ok(Math.abs(Math.hypot(...r.subarray(i * 784, (i + 1) * 784)) - 0.25) < 1e-5, `image ${i}: radius eps`);
  t.notSame(fixed.losses.at(-1), adaptive.losses.at(-1));
});
