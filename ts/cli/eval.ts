// `npm run eval -- runs/NAME [--checkpoint=best] [--backend=...]`: evaluates a run's checkpoint on MNIST (test
// reconstruction loss; validation and test error or cluster accuracy) and prints one line per measure.
import { existsSync } from 'node:fs';
import { type BackendChoice, BACKEND_NAMES, createBackend } from '../backend/select.js';
import { DataError } from '../data/idx.js';
import { loadCheckpoint } from '../train/checkpoint.js';
import { Trainer } from '../train/trainer.js';
import { type FlagSpec, UsageError, helpText, parseFlags } from './args.js';
import { loadRunData, readRunConfig, runPaths } from './run-dir.js';

export const EVAL_FLAGS: Record<string, FlagSpec> = {
  checkpoint: { type: 'enum', choices: ['last', 'best'], default: 'last', help: 'which checkpoint of the run' },
  backend: { type: 'enum', choices: BACKEND_NAMES, default: 'auto', help: 'compute backend' },
  threads: { type: 'int', min: 1, max: 256, help: 'Wasm threads (default: available cores)' },
  help: { type: 'bool', help: 'show this help' },
};

export async function evaluate(argv: string[]): Promise<void> {
  const { flags, positional } = parseFlags(argv, EVAL_FLAGS);
  if (flags['help']) {
    console.log(helpText('usage: npm run eval -- runs/NAME [flags]\n\nEvaluates a checkpoint of a training run.', EVAL_FLAGS));
    return;
  }
  const dir = positional[0];
  if (!dir || positional.length > 1) throw new UsageError('eval takes exactly one run directory, e.g. npm run eval -- runs/first');
  const run = readRunConfig(dir);
  const file = runPaths(dir)[flags['checkpoint'] as 'last' | 'best'];
  if (!existsSync(file)) throw new DataError(`${file}: missing; the run has no ${flags['checkpoint']} checkpoint yet`);
  const be = await createBackend(flags['backend'] as BackendChoice, {
    ...(flags['threads'] !== undefined ? { threads: flags['threads'] as number } : {}),
    log: () => {},
  });
  try {
    const trainer = new Trainer(be, loadRunData(run.options), { ...run.options, config: run.model });
    loadCheckpoint(trainer, file);
    const r = trainer.evaluate();
    console.log(`aae: ${file}: ${run.model.kind} model after ${trainer.step} iterations (epoch ${trainer.position.epoch}), on ${be.info().device}`);
    console.log(`test reconstruction loss ${r.testRecon.toFixed(4)}`);
    if (r.validationError !== undefined) console.log(`validation error ${(100 * r.validationError).toFixed(2)}%`);
    if (r.testError !== undefined) console.log(`test error ${(100 * r.testError).toFixed(2)}%`);
    if (r.clusterAccuracy !== undefined) console.log(`cluster accuracy ${(100 * r.clusterAccuracy).toFixed(2)}%`);
  } finally {
    be.dispose();
  }
}
