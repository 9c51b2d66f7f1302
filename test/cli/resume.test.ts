// Run directories through the CLI: checkpoints each epoch, --resume continues the run, Ctrl-C saves and exits 130,
// eval reads a checkpoint, and bad --resume / eval arguments are one line with exit code 2.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { tempDir } from '../helpers/temp-dir.js';

const base = ['--import', 'tsx', 'ts/cli/main.ts'];
const cli = (...args: string[]) => spawnSync(process.execPath, [...base, ...args], { encoding: 'utf8', timeout: 300_000 });
const small = ['--hidden=32', '--steps-per-epoch=6', '--validation=100', '--log-every=3', '--backend=wasm'];
const epochs = (dir: string) => readFileSync(join(dir, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l)).filter((r) => r.type === 'epoch');

t.test('checkpoints each epoch; --resume extends the run; eval reads the checkpoint', async (t) => {
  const dir = join(tempDir(t, 'run'), 'run');
  let r = cli('train', ...small, '--epochs=1', `--out=${dir}`);
  t.equal(r.status, 0, r.stderr.slice(-300));
  t.ok(existsSync(join(dir, 'checkpoints', 'last.safetensors')) && existsSync(join(dir, 'checkpoints', 'best.safetensors')), 'last and best written');
  t.same(JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')).options.epochs, 1);
  r = cli('train', `--resume=${dir}`, '--epochs=2', '--backend=wasm');
  t.equal(r.status, 0, r.stderr.slice(-300));
  t.match(r.stdout, /resumed at epoch 2, iteration 6/);
  t.same(epochs(dir).map((e) => e.epoch), [1, 2], 'metrics.jsonl continues with epoch 2');
  r = cli('eval', dir, '--backend=wasm', '--confusion');
  t.equal(r.status, 0, r.stderr.slice(-300));
  t.match(r.stdout, /after 12 iterations \(epoch 2\)/);
  const testError = Number(/test error (\d+\.\d\d)%/.exec(r.stdout)?.[1]);
  t.match(r.stdout, /test confusion \(rows: true digit; columns: predicted class; last: error of the row\)\n +0 +1 +2 +3 +4 +5 +6 +7 +8 +9\n/);
  const rows = r.stdout.split('\n').filter((l) => /^ +\d +(\d+ +){10}\d+\.\d\d%$/.test(l)).map((l) => l.trim().split(/ +/).slice(1, 11).map(Number));
  t.equal(rows.length, 10, 'a row per digit');
  const total = rows.flat().reduce((a, b) => a + b, 0);
  const right = rows.reduce((a, row, i) => a + row[i]!, 0);
  t.equal(total, 10000, 'every test image counted once');
  t.equal(((100 * (total - right)) / total).toFixed(2), testError.toFixed(2), 'the off-diagonal share is the test error');
  r = cli('sample', dir, '--backend=wasm', '--seed=4', '--rows=3', '--cols=5');
  t.equal(r.status, 0, r.stderr.slice(-300));
  t.ok(existsSync(join(dir, 'samples', 'samples-4.png')) && existsSync(join(dir, 'samples', 'style-content-4.png')), 'sample writes its PNGs');
});

t.test('Ctrl-C finishes the iteration, saves, says how to resume, exits 130', async (t) => {
  const dir = join(tempDir(t, 'int'), 'run');
  const child = spawn(process.execPath, [...base, 'train', '--hidden=32', '--epochs=50', '--validation=100', '--backend=wasm', `--out=${dir}`], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const code = await new Promise<number | null>((done) => {
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('iterations per epoch') && !child.killed) setTimeout(() => child.kill('SIGINT'), 500);
    });
    child.on('exit', (c) => done(c));
  });
  t.equal(code, 130);
  t.match(out, new RegExp(`aae: interrupted at epoch 1, iteration \\d+; saved ${dir}/checkpoints/last.safetensors; resume with: npm run train -- --resume ${dir}`));
  const r = cli('eval', dir, '--backend=wasm');
  t.equal(r.status, 0, 'the interrupted checkpoint evaluates');
});

t.test('bad --resume and eval arguments: one line, exit 2', async (t) => {
  const missing = join(tmpdir(), 'aae-no-such-run');
  const unsupervisedRun = join(tempDir(t, 'unsup'), 'run');
  t.equal(cli('train', ...small, '--model=unsupervised', '--epochs=1', '--quiet', `--out=${unsupervisedRun}`).status, 0);
  const cases: [string[], RegExp][] = [
    [['train', `--resume=${missing}`], new RegExp(`^aae: ${missing}: no such run directory`)],
    [['train', `--resume=${missing}`, '--z=3'], /^aae: --z cannot change when resuming; only --epochs, --backend, --threads and --graphs can/],
    [['eval'], /^aae: eval takes exactly one run directory/],
    [['eval', unsupervisedRun, '--confusion'], new RegExp(`^aae: --confusion needs a model with a class head; ${unsupervisedRun} holds a unsupervised model`)],
    [['eval', missing], new RegExp(`^aae: ${missing}: no such run directory`)],
    [['sample', missing], new RegExp(`^aae: ${missing}: no such run directory`)],
    [['sample'], /^aae: sample takes exactly one run directory/],
  ];
  for (const [args, message] of cases) {
    const r = cli(...args);
    t.equal(r.status, 2, args.join(' '));
    t.match(r.stderr, message);
    t.equal(r.stderr.trim().split('\n').length, 1, 'one line');
    t.equal(r.stdout, '', `${args.join(' ')}: nothing evaluated first`);
  }
});

t.test('a loss that becomes NaN stops the run: one line naming the loss, the iteration and the checkpoint, exit 1', async (t) => {
  const dir = join(tempDir(t, 'nan'), 'run');
  const r = cli('train', '--hidden=32', '--epochs=2', '--steps-per-epoch=10', '--validation=100', '--log-every=1', '--lr-class=1e30', '--lr-recon=1e30', '--backend=wasm', `--out=${dir}`);
  t.equal(r.status, 1);
  t.match(r.stderr, /^aae: a loss became non-finite in epoch 1, iterations? [\d-]+ \(the \w+ loss is (NaN|-?Infinity) now\); no checkpoint was saved yet\n$/);
});

t.test('--graphs=on (iterations replayed from one captured graph) writes the same metrics as --graphs=off', async (t) => {
  const root = tempDir(t, 'graphs');
  const losses = (dir: string) => readFileSync(join(dir, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => {
    const { seconds: _s, itersPerSecond: _i, ...rest } = JSON.parse(l);
    return rest;
  });
  for (const mode of ['on', 'off']) {
    const r = cli('train', ...small, '--epochs=2', `--graphs=${mode}`, '--quiet', `--out=${join(root, mode)}`);
    t.equal(r.status, 0, r.stderr.slice(-300));
  }
  t.same(losses(join(root, 'on')), losses(join(root, 'off')));
});
