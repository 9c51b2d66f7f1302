// The train command as a user runs it: every model trains from the CLI; bad flags give one line and exit 2.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { cudaStatus } from '../../ts/backend/cuda/index.js';
import { tempDir } from '../helpers/temp-dir.js';

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'ts/cli/main.ts', ...args], { encoding: 'utf8', timeout: 300_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

t.test('bad flags and values: one line on stderr, exit code 2', async (t) => {
  const cases: [string[], string][] = [
    [['train', '--bogus'], 'aae: unknown flag --bogus; run with --help to list the flags\n'],
    [['train', '--epochs=-1'], 'aae: --epochs must be >= 1, got -1\n'],
    [['train', '--epochs=ten'], 'aae: --epochs must be an integer, got "ten"\n'],
    [['train', '--z=0'], 'aae: --z must be >= 1, got 0\n'],
    [['train', '--prior=banana'], 'aae: --prior must be one of gaussian, mixture, swiss-roll, uniform, got "banana"\n'],
    [['train', '--backend'], 'aae: --backend needs a value\n'],
    [['train', '--model=unsupervised', '--prior=mixture', '--z=3'], 'aae: --prior=mixture is 2-D and needs --z=2, got --z=3\n'],
    [['train', '--labels=105'], 'aae: --labels must be a non-negative multiple of 10 (balanced across classes), got 105\n'],
    [['train', '--model=cluster', '--recon-labeled'], 'aae: --recon-labeled is for the semi-supervised model (--model=semi), got --model=cluster\n'],
    [['train', '--model=unsupervised', '--cat-weight=0.5'], 'aae: --cat-weight is for the models with a class code (semi, cluster, dimred), got --model=unsupervised\n'],
    [['train', '--adam-beta1=1'], 'aae: --adam-beta1 must be < 1, got 1\n'],
    [['train', '--optimizer=sgd', '--adam-beta1=0.5'], 'aae: --adam-beta1 is for --optimizer=adam, got --optimizer=sgd\n'],
    [['fly'], 'aae: unknown command "fly"; expected one of: train, eval, sample, explore\n'],
  ];
  for (const [args, message] of cases) {
    const r = cli(...args);
    t.equal(r.code, 2, `${args.join(' ')}: exit 2`);
    t.equal(r.err.split('\n').filter((l) => l.startsWith('aae:')).join('\n') + '\n', message, `${args.join(' ')}: message`);
    t.notMatch(r.err, /\n\s+at /, `${args.join(' ')}: no stack trace`);
  }
});

t.test('--backend=cuda without a usable GPU: the reason and the fix, exit 2, before any run directory is named', { skip: cudaStatus().ok && 'this machine has a usable GPU' }, async (t) => {
  const out = join(tempDir(t, 'cuda'), 'run');
  const r = cli('train', '--backend=cuda', `--out=${out}`);
  t.equal(r.code, 2);
  t.match(r.err, /^aae: cuda: [^\n]*; [^\n]*--backend=wasm[^\n]*\n$/);
  t.equal(r.out, '', 'nothing announced');
  t.notOk(existsSync(out), 'no run directory');
});

t.test('--help lists every flag with its default', async (t) => {
  const r = cli('train', '--help');
  t.equal(r.code, 0);
  for (const flag of ['--model=semi|unsupervised|supervised|cluster', '--backend=auto|cuda|cpu|wasm|reference', '--labels=N', '--epochs=N', '--seed=N', '--out=TEXT']) {
    t.match(r.out, flag);
  }
  t.match(r.out, /\(default 100\)/);
});

t.test('each model trains from the CLI and writes its metrics', async (t) => {
  for (const model of ['semi', 'unsupervised', 'supervised', 'cluster']) {
    const out = join(tempDir(t, 'cli'), 'run');
    const r = cli('train', `--model=${model}`, '--hidden=32', '--epochs=1', '--steps-per-epoch=10', '--validation=100', '--log-every=5', `--out=${out}`, '--backend=wasm');
    t.equal(r.code, 0, `${model}: exit 0 (${r.err.slice(-300)})`);
    t.match(r.out, /epoch 1\/1 .* it\/s/, `${model}: an epoch line`);
    t.match(r.out, /aae: done: /, `${model}: a final summary`);
    const records = readFileSync(join(out, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    t.same(records.map((r) => r.type), ['step', 'step', 'epoch'], `${model}: metrics.jsonl records`);
    t.equal(JSON.parse(readFileSync(join(out, 'config.json'), 'utf8')).model.kind, model);
  }
});
