// The model options of issue-level features from the CLI (translations, VAT, the label-conditioned prior): bad values
// are one line and exit 2; runs with them train, record their losses and keep the options in config.json.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'ts/cli/main.ts', ...args], { encoding: 'utf8', timeout: 300_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

t.test('bad --augment and --vat flags: one line on stderr, exit code 2', async (t) => {
  const cases: [string[], string][] = [
    [['train', '--model=semi', '--augment=rotate:2'], 'aae: --augment=rotate:2: expected translate:N with N a whole number of pixels, e.g. --augment=translate:2\n'],
    [['train', '--model=semi', '--augment=translate:28'], 'aae: --augment=translate:28: N must be in [1, 27] for 28x28 images\n'],
    [['train', '--model=semi', '--augment=translate:0'], 'aae: --augment=translate:0: N must be in [1, 27] for 28x28 images\n'],
    [['train', '--model=semi', '--vat=0'], 'aae: --vat must be > 0, got 0\n'],
    [['train', '--model=semi', '--vat-weight=2'], 'aae: --vat-weight needs --vat=EPS\n'],
    [['train', '--model=semi', '--entropy-weight=1'], 'aae: --entropy-weight needs --vat=EPS\n'],
    [['train', '--model=cluster', '--marginal-weight=0.4'], 'aae: --marginal-weight needs --vat=EPS\n'],
    [['train', '--model=cluster', '--vat-neighbour=10'], 'aae: --vat-neighbour needs --vat=EPS\n'],
    [['train', '--model=cluster', '--vat=0.25', '--vat-neighbour=0'], 'aae: --vat-neighbour must be >= 1, got 0\n'],
    [['train', '--model=cluster', '--vat=0.25', '--vat-neighbour=60000', '--steps-per-epoch=1'], 'aae: --vat-neighbour=60000 needs more than 60000 training images; this run trains on 50000\n'],
    [['train', '--model=unsupervised', '--vat=2'], 'aae: --vat is for the models with a class head trained on unlabeled images (semi, cluster), got --model=unsupervised\n'],
    [['train', '--model=semi', '--prior-labels=100'], 'aae: --prior-labels is for the unsupervised model (--model=unsupervised), got --model=semi\n'],
    [['train', '--model=unsupervised', '--prior-labels=100'], 'aae: --prior-labels needs a prior with one component per class (--prior=mixture or --prior=swiss-roll), got --prior=gaussian\n'],
    [['train', '--model=unsupervised', '--prior=mixture', '--prior-labels=105', '--steps-per-epoch=1'], 'aae: --prior-labels must be a multiple of 10 (balanced across classes), got 105\n'],
  ];
  for (const [args, message] of cases) {
    const r = cli(...args);
    t.equal(r.code, 2, `${args.join(' ')}: exit 2`);
    t.equal(r.err.split('\n').filter((l) => l.startsWith('aae:')).join('\n') + '\n', message, `${args.join(' ')}: message`);
    t.notMatch(r.err, /\n\s+at /, `${args.join(' ')}: no stack trace`);
  }
});

t.test('semi and cluster train with translations and VAT, and record both losses', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'aae-vat-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  for (const model of ['semi', 'cluster']) {
    const out = join(dir, model);
    const r = cli('train', `--model=${model}`, '--hidden=32', '--epochs=1', '--steps-per-epoch=6', '--validation=100', '--log-every=3',
      '--augment=translate:2', '--vat=2', '--entropy-weight=0.5', `--out=${out}`, '--backend=wasm', '--threads=1');
    t.equal(r.code, 0, `${model}: exit 0 (${r.err.slice(-300)})`);
    const records = readFileSync(join(out, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    for (const rec of records) t.ok(rec.losses.vat >= 0 && rec.losses.ent > 0, `${model} ${rec.type} ${rec.step ?? rec.epoch}: vat ${rec.losses.vat}, ent ${rec.losses.ent}`);
    const config = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8')).model;
    t.same([config.augment, config.vat], [{ translate: 2, height: 28, width: 28 }, { eps: 2, xi: 0.1, weight: 1, entropyWeight: 0.5 }], `${model}: config.json`);
  }
});

t.test('the clustering model trains with the marginal entropy term and records it', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'aae-imsat-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const out = join(dir, 'run');
  const r = cli('train', '--model=cluster', '--hidden=32', '--epochs=1', '--steps-per-epoch=6', '--validation=100', '--log-every=3',
    '--vat=2', '--entropy-weight=0.1', '--marginal-weight=0.4', `--out=${out}`, '--backend=wasm', '--threads=1');
  t.equal(r.code, 0, `exit 0 (${r.err.slice(-300)})`);
  const records = readFileSync(join(out, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  // The batch's mean class distribution over 16 clusters: its entropy lies in (0, log 16].
  for (const rec of records) t.ok(rec.losses.h_y > 0 && rec.losses.h_y <= Math.log(16) + 1e-6, `${rec.type} ${rec.step ?? rec.epoch}: h_y ${rec.losses.h_y}`);
  const config = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8')).model;
  t.same(config.vat, { eps: 2, xi: 0.1, weight: 1, entropyWeight: 0.1, marginalWeight: 0.4 }, 'config.json');
});

t.test('--init-std, --disc-training-codes and --gen-eval-disc reach config.json and change the run', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'aae-modes-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const run = (name: string, ...flags: string[]) => {
    const out = join(dir, name);
    const r = cli('train', '--model=semi', '--hidden=32', '--epochs=1', '--steps-per-epoch=4', '--validation=100', '--log-every=2', ...flags, `--out=${out}`, '--backend=wasm', '--threads=1');
    t.equal(r.code, 0, `${name}: exit 0 (${r.err.slice(-300)})`);
    const config = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8')).model;
    const losses = readFileSync(join(out, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l).losses);
    return { config, losses };
  };
  const base = run('base');
  t.same([base.config.initStd, base.config.discriminatorTrainingCodes, base.config.generatorEvalDiscriminators], [undefined, undefined, undefined], 'off by default');
  for (const [flag, key, value] of [['--init-std=0.01', 'initStd', 0.01], ['--disc-training-codes', 'discriminatorTrainingCodes', true], ['--gen-eval-disc', 'generatorEvalDiscriminators', true]] as const) {
    const r = run(key, flag);
    t.equal(r.config[key], value, `${flag}: config.json`);
    t.notSame(r.losses, base.losses, `${flag}: the losses differ from the default run's`);
  }
});

t.test('the unsupervised model with a label-conditioned mixture prior trains and draws its latent figure', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'aae-cond-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const out = join(dir, 'run');
  const r = cli('train', '--model=unsupervised', '--prior=mixture', '--prior-labels=1000', '--hidden=32', '--epochs=1', '--steps-per-epoch=6',
    '--validation=100', '--log-every=3', `--out=${out}`, '--backend=wasm', '--threads=1');
  t.equal(r.code, 0, `exit 0 (${r.err.slice(-300)})`);
  t.match(r.out, /1000 labeled/, 'the split holds the 1000 conditioning labels');
  const config = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8'));
  t.same([config.model.conditionalPrior, config.options.labels], [{ classes: 10 }, 1000], 'config.json');
  t.ok(readFileSync(join(out, 'figures', 'latent.png')).length > 1000, 'figures/latent.png: the test codes by digit over the prior');
});
