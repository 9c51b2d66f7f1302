// `npm run eval -- runs/NAME [--checkpoint=best] [--backend=...] [--parzen]`: evaluates a run's checkpoint on MNIST
// (test reconstruction loss; validation and test error or cluster accuracy; with --parzen, the Parzen-window
// log-likelihood of an unsupervised model; with --confusion, the test confusion matrix) and prints one line per measure.
// It loads the model from the checkpoint and uploads only the images it is scored on (the run's own split of them).
import { existsSync } from 'node:fs';
import { type BackendChoice, BACKEND_NAMES } from '../backend/select.js';
import { DataError } from '../data/idx.js';
import { createModel } from '../models/create.js';
import { modelTraits } from '../models/traits.js';
import { RngStream } from '../rng.js';
import { loadWeights } from '../train/checkpoint.js';
import { checkRunLabels, runSplit } from '../train/run-split.js';
import { Scorer, uploadScoringData } from '../train/scoring.js';
import { TrainingError } from '../train/trainer.js';
import { loadRunData, readRunConfig, runPaths } from '../run/run-dir.js';
import { UsageError } from '../util/usage-error.js';
import { type FlagSpec, helpText, parseFlags } from './args.js';
import { openBackend } from './open-backend.js';
import { formatParzen, runParzen } from './parzen.js';

export const EVAL_FLAGS: Record<string, FlagSpec> = {
  checkpoint: { type: 'enum', choices: ['last', 'best'], default: 'last', help: 'which checkpoint of the run' },
  backend: { type: 'enum', choices: BACKEND_NAMES, default: 'auto', help: 'compute backend' },
  threads: { type: 'int', min: 1, max: 256, help: 'threads of the cpu and Wasm backends (default: available cores)' },
  confusion: { type: 'bool', help: 'print the test confusion matrix (rows: true digit; columns: predicted class, or cluster of a clustering model)' },
  parzen: { type: 'bool', help: 'Parzen-window log-likelihood of the test set (unsupervised models; writes parzen.json)' },
  'parzen-samples': { type: 'int', default: 10000, min: 1, help: 'samples decoded from the prior for --parzen' },
  'parzen-validation': { type: 'int', default: 1000, min: 1, help: "validation images (the run's held-out training images) that choose sigma" },
  'parzen-test': { type: 'int', default: 10000, min: 1, help: 'test images scored by --parzen' },
  help: { type: 'bool', help: 'show this help' },
};

/** The confusion matrix as a table: one row per true digit, its count per predicted class (or cluster), and its error. */
export function formatConfusion(counts: number[][], classifier: boolean): string[] {
  const columns = counts[0]?.length ?? 0;
  const width = Math.max(5, ...counts.flat().map((c) => String(c).length + 1));
  const cell = (v: string | number) => String(v).padStart(width);
  const lines = [
    `test confusion (rows: true digit; columns: ${classifier ? 'predicted class; last: error of the row' : 'cluster'})`,
    `${cell('')}${Array.from({ length: columns }, (_, j) => cell(j)).join('')}`,
  ];
  counts.forEach((row, i) => {
    const total = row.reduce((a, b) => a + b, 0);
    const error = classifier && total > 0 ? `  ${((100 * (total - (row[i] ?? 0))) / total).toFixed(2).padStart(6)}%` : '';
    lines.push(`${cell(i)}${row.map(cell).join('')}${error}`);
  });
  return lines;
}

export async function evaluate(argv: string[]): Promise<void> {
  const { flags, positional } = parseFlags(argv, EVAL_FLAGS);
  if (flags['help']) {
    console.log(helpText('usage: npm run eval -- runs/NAME [flags]\n\nEvaluates a checkpoint of a training run.', EVAL_FLAGS));
    return;
  }
  const dir = positional[0];
  if (!dir || positional.length > 1) throw new UsageError('eval takes exactly one run directory, e.g. npm run eval -- runs/first');
  const run = readRunConfig(dir);
  const traits = modelTraits(run.model);
  if (flags['confusion'] && !traits.classHead) throw new UsageError(`--confusion needs a model with a class head; ${dir} holds a ${run.model.kind} model`);
  if (flags['parzen'] && !traits.decodesZAlone) throw new UsageError(`--parzen needs an unsupervised model (P decodes z alone); ${dir} holds a ${run.model.kind} model`);
  const file = runPaths(dir)[flags['checkpoint'] as 'last' | 'best'];
  if (!existsSync(file)) throw new DataError(`${file}: missing; the run has no ${flags['checkpoint']} checkpoint yet`);
  const be = await openBackend(flags['backend'] as BackendChoice, {
    ...(flags['threads'] !== undefined ? { threads: flags['threads'] as number } : {}),
    log: () => {},
  });
  try {
    const data = loadRunData(run.options, { model: run.model });
    checkRunLabels(run.model, data);
    const split = runSplit(run.model, data.train, run.options);
    const model = createModel(be, run.model, new RngStream(run.options.seed));
    const state = loadWeights(be, model, file);
    const scorer = new Scorer(be, model, uploadScoringData(be, model, data, split));
    const r = scorer.scores();
    const nonFinite = Object.entries(r).find(([, v]) => v !== undefined && !Number.isFinite(v));
    if (nonFinite) throw new TrainingError(`${file}: the model's ${nonFinite[0]} is ${nonFinite[1]}: its weights overflow on the test data`);
    console.log(`aae: ${file}: ${run.model.kind} model after ${state.step} iterations (epoch ${state.position.epoch}), on ${be.info().device}`);
    console.log(`test reconstruction loss ${r.testRecon.toFixed(4)}`);
    if (r.validationError !== undefined) console.log(`validation error ${(100 * r.validationError).toFixed(2)}%`);
    if (r.testError !== undefined) console.log(`test error ${(100 * r.testError).toFixed(2)}%`);
    if (r.clusterAccuracy !== undefined) console.log(`cluster accuracy ${(100 * r.clusterAccuracy).toFixed(2)}%`);
    if (flags['confusion']) {
      for (const line of formatConfusion(scorer.testConfusion(), traits.classifierPhase)) console.log(line);
    }
    if (flags['parzen']) {
      const options = { samples: flags['parzen-samples'] as number, validation: flags['parzen-validation'] as number, test: flags['parzen-test'] as number };
      const result = runParzen({ be, model, dir, seed: run.options.seed, data, validationRows: split.validation, ...options, out: process.stdout });
      for (const line of formatParzen(result, options)) console.log(line);
    }
  } finally {
    be.dispose();
  }
}
