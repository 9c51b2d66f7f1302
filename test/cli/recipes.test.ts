// Recipes: every file in recipes/ is documented and valid, flags beside --recipe override it, a bad name or file is
// one clear line; and each recipe trains: a few iterations of its configuration (all its settings, with hidden layers
// cut to 250 units to keep CI short) on a small MNIST subset lower the reconstruction loss (a smoke test of the
// settings, not of the accuracy they reach).
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { tempDir } from '../helpers/temp-dir.js';
import { type Backend } from '../../ts/backend/backend.js';
import { WasmBackend } from '../../ts/backend/wasm/wasm-backend.js';
import { loadRecipe, parseWithRecipe, recipeNames } from '../../ts/cli/recipes.js';
import { TRAIN_FLAGS, configFromFlags } from '../../ts/cli/train.js';
import { type Protocol } from '../../ts/train/run-split.js';
import { type StepRecord, Trainer } from '../../ts/train/trainer.js';
import { mnistSubset } from '../helpers/mnist-subset.js';

const EXPECTED = ['cluster-16', 'cluster-16-imsat', 'cluster-30', 'cluster-30-imsat', 'default', 'dimred-100', 'dimred-1000', 'dimred-unsup-20', 'fast-100', 'paper-100', 'paper-1000', 'parzen-8d', 'seed-fducau', 'vat-100', 'vat-100-long', 'vat-100-xl', 'vat-1000', 'vat-3000'];

t.test('every recipe is documented and its flags are valid', async (t) => {
  t.same(recipeNames(), EXPECTED);
  for (const name of EXPECTED) {
    const r = loadRecipe(name, TRAIN_FLAGS);
    for (const field of ['description', 'follows', 'differs', 'target'] as const) t.ok(r[field].length > 20, `${name}: ${field}`);
    t.doesNotThrow(() => configFromFlags(parseWithRecipe([`--recipe=${name}`], TRAIN_FLAGS).flags), `${name}: builds a model configuration`);
  }
});

t.test('flags beside --recipe override it', async (t) => {
  const { flags } = parseWithRecipe(['--recipe=paper-100', '--labels=1000', '--epochs=3'], TRAIN_FLAGS);
  const c = configFromFlags(flags);
  t.same([flags['labels'], flags['epochs'], c.zDim, c.inputNoise, c.optimizer], [1000, 3, 10, 0.3, { name: 'sgd', momentum: 0.9 }]);
  t.same(c.schedule, { milestones: [50, 1000], gamma: 0.1 });
  t.equal(c.discriminatorNoise, 0, 'no discriminator-input noise unless asked');
  t.equal(configFromFlags(parseWithRecipe(['--recipe=fast-100', '--disc-noise=0.3'], TRAIN_FLAGS).flags).discriminatorNoise, 0.3);
  t.same(configFromFlags(parseWithRecipe(['--recipe=fast-100', '--adam-beta1=0.5'], TRAIN_FLAGS).flags).optimizer, { name: 'adam', beta1: 0.5 });
  t.equal(c.labeledReconstruction, undefined, 'no labeled reconstruction unless asked');
  t.equal(configFromFlags(parseWithRecipe(['--recipe=fast-100', '--recon-labeled'], TRAIN_FLAGS).flags).labeledReconstruction, true);
  t.equal(c.categoricalWeight, undefined, 'the categorical generator loss at weight 1 unless asked');
  t.equal(configFromFlags(parseWithRecipe(['--recipe=fast-100', '--cat-weight=0.5'], TRAIN_FLAGS).flags).categoricalWeight, 0.5);
  const dimred = configFromFlags(parseWithRecipe(['--recipe=dimred-unsup-20'], TRAIN_FLAGS).flags);
  t.same([dimred.kind, dimred.classes, dimred.dimred?.semiSupervised], ['dimred', 20, false]);
});

t.test('a bad recipe file is one line naming the file and the problem', async (t) => {
  const dir = tempDir(t, 'recipes');
  const write = (name: string, body: unknown) => writeFileSync(join(dir, `${name}.json`), typeof body === 'string' ? body : JSON.stringify(body));
  const doc = { description: 'd', follows: 'f', differs: 'x', target: 't' };
  write('junk', '{ not json');
  write('flag', { ...doc, flags: { widht: 3 } });
  write('value', { ...doc, flags: { z: 'ten' } });
  write('out', { ...doc, flags: { out: 'runs/x' } });
  write('undocumented', { flags: { z: 3 } });
  const cases: [string, RegExp][] = [
    ['junk', /junk\.json: not valid JSON/],
    ['flag', /flag\.json: unknown flag "widht"$/],
    ['value', /value\.json: --z must be an integer, got "ten"$/],
    ['out', /out\.json: a recipe may not set --out$/],
    ['undocumented', /undocumented\.json: "description" must be a non-empty string$/],
  ];
  for (const [name, message] of cases) t.throws(() => loadRecipe(name, TRAIN_FLAGS, dir), { name: 'DataError', message }, name);
  t.throws(() => loadRecipe('nope', TRAIN_FLAGS, dir), { name: 'UsageError', message: 'unknown recipe "nope"; valid recipes are: flag, junk, out, undocumented, value' });
});

t.test('the CLI: a recipe run records its name; an unknown recipe is one line and exit 2; --help lists the recipes', async (t) => {
  const cli = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'ts/cli/main.ts', ...args], { encoding: 'utf8', timeout: 120_000 });
  let r = cli('train', '--recipe=paper-10');
  t.equal(r.status, 2);
  t.equal(r.stderr, `aae: unknown recipe "paper-10"; valid recipes are: ${EXPECTED.join(', ')}\n`);
  const dir = join(tempDir(t, 'recipe-run'), 'run');
  r = cli('train', '--recipe=dimred-unsup-20', '--hidden=16', '--epochs=1', '--steps-per-epoch=2', '--validation=100', '--backend=wasm', `--out=${dir}`);
  t.equal(r.status, 0, r.stderr.slice(-300));
  t.match(r.stdout, /^aae: recipe dimred-unsup-20 \(.*recipes\/dimred-unsup-20\.json\): unsupervised dimensionality reduction/);
  const saved = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
  t.same([saved.options.recipe, saved.model.kind, saved.model.classes, saved.model.hidden], ['dimred-unsup-20', 'dimred', 20, 16], 'config.json names the recipe; the flags beside it won');
  r = cli('train', '--help');
  t.equal(r.status, 0);
  for (const name of EXPECTED) t.match(r.stdout, new RegExp(`\\n  ${name} +\\S`), `--help lists ${name}`);
});

let be: Backend;
t.before(async () => {
  be = await WasmBackend.create({ threads: 2 });
});
t.teardown(() => be.dispose());

const STEPS = 30;
for (const name of EXPECTED) {
  t.test(`${name}: ${STEPS} iterations of the recipe lower the reconstruction loss`, async (t) => {
    const { flags } = parseWithRecipe([`--recipe=${name}`], TRAIN_FLAGS);
    const config = { ...configFromFlags(flags), hidden: Math.min(250, flags['hidden'] as number) };
    const recon: number[] = [];
    const trainer = new Trainer(be, mnistSubset(3500, 100), {
      config,
      epochs: 1,
      seed: 1,
      labels: flags['labels'] as number,
      // The reference split (3000 labeled, 10 000 validation) needs the full training set; the subset keeps the
      // recipe's model and rates and draws a balanced split instead.
      protocol: 'balanced' as Protocol,
      validation: 200,
      logEvery: 1,
      maxStepsPerEpoch: STEPS,
      maxTestImages: 100,
      onRecord: (r) => {
        if (r.type === 'step') recon.push((r as StepRecord).losses['recon']!);
      } });
    trainer.run();
    t.equal(recon.length, STEPS);
    t.ok(recon.every(Number.isFinite), 'every loss finite');
    const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
    const first = mean(recon.slice(0, 5));
    const last = mean(recon.slice(-5));
    t.ok(last < first, `recon ${first.toFixed(4)} -> ${last.toFixed(4)}`);
  });
}
