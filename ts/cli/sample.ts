// `npm run sample -- runs/NAME [--seed N] [--checkpoint=best]`: decodes codes drawn from the model's prior into
// runs/NAME/samples/samples-<seed>.png (rows x cols images; where the decoder takes a class code, column c shows
// class c mod k), plus, for models with classes, the style/content grid of style codes drawn with the seed; a grid
// identical to the run's own figures/style-content.png is not written again.
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { type BackendChoice, BACKEND_NAMES } from '../backend/select.js';
import { DataError } from '../data/idx.js';
import { createModel } from '../models/create.js';
import { RngStream } from '../rng.js';
import { loadWeights } from '../train/checkpoint.js';
import { priorSamplesFigure, styleContentFigure } from '../viz/grids.js';
import { encodePng, writePng } from '../viz/png.js';
import { writeFileAtomic } from '../util/atomic.js';
import { readRunConfig, runPaths } from '../run/run-dir.js';
import { UsageError } from '../util/usage-error.js';
import { type FlagSpec, helpText, parseFlags } from './args.js';
import { openBackend } from './open-backend.js';

export const SAMPLE_FLAGS: Record<string, FlagSpec> = {
  checkpoint: { type: 'enum', choices: ['last', 'best'], default: 'last', help: 'which checkpoint of the run' },
  seed: { type: 'int', default: 1, min: 0, max: Number.MAX_SAFE_INTEGER, help: 'seed of the prior samples' },
  rows: { type: 'int', default: 10, min: 1, max: 100, help: 'rows of samples' },
  cols: { type: 'int', default: 10, min: 1, max: 100, help: 'columns of samples' },
  backend: { type: 'enum', choices: BACKEND_NAMES, default: 'auto', help: 'compute backend' },
  help: { type: 'bool', help: 'show this help' },
};

export async function sample(argv: string[]): Promise<void> {
  const { flags, positional } = parseFlags(argv, SAMPLE_FLAGS);
  if (flags['help']) {
    console.log(helpText('usage: npm run sample -- runs/NAME [flags]\n\nWrites images decoded from the prior of a trained run.', SAMPLE_FLAGS));
    return;
  }
  const dir = positional[0];
  if (!dir || positional.length > 1) throw new UsageError('sample takes exactly one run directory, e.g. npm run sample -- runs/first');
  const run = readRunConfig(dir);
  const file = runPaths(dir)[flags['checkpoint'] as 'last' | 'best'];
  if (!existsSync(file)) throw new DataError(`${file}: missing; the run has no ${flags['checkpoint']} checkpoint yet`);
  const be = await openBackend(flags['backend'] as BackendChoice, { log: () => {} });
  try {
    const model = createModel(be, run.model, new RngStream(run.options.seed));
    loadWeights(be, model, file);
    const out = join(dir, 'samples');
    mkdirSync(out, { recursive: true });
    const seed = flags['seed'] as number;
    const samples = join(out, `samples-${seed}.png`);
    writePng(samples, priorSamplesFigure(be, model, { rows: flags['rows'] as number, cols: flags['cols'] as number, seed }));
    const written = [samples];
    if (model.yDim > 0) {
      const png = encodePng(styleContentFigure(be, model, { rows: flags['rows'] as number, std: run.model.prior.std ?? 1, seed }));
      const runFigure = join(runPaths(dir).figures, 'style-content.png');
      if (statSync(runFigure, { throwIfNoEntry: false })?.isFile() && Buffer.from(png).equals(readFileSync(runFigure))) {
        console.log(`aae: the style/content grid of seed ${seed} is the run's ${runFigure}; not written again`);
      } else {
        const grid = join(out, `style-content-${seed}.png`);
        writeFileAtomic(grid, png);
        written.push(grid);
      }
    }
    console.log(`aae: wrote ${written.join(', ')}`);
  } finally {
    be.dispose();
  }
}
