// Inputs that are not what they claim, through the real CLI on a real file system: data and checkpoint paths that
// are FIFOs, devices or directories, a checkpoint whose saved state has wrong types or non-finite values, and a run
// the user cannot write. Each is one line naming the file, exit 2, never a hang, and the run is left as it was.
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { editCheckpoint } from '../helpers/checkpoint.js';
import { TINY, cli, fingerprint } from '../helpers/cli.js';

const oneLine = (stderr: string) => stderr.trim().split('\n').length === 1;
const mkfifo = (path: string) => spawnSync('mkfifo', [path]).status === 0;

const root = mkdtempSync(join(tmpdir(), 'aae-inputs-'));
t.teardown(() => rmSync(root, { recursive: true, force: true }));

/** A finished one-epoch run (made once), copied afresh for each case that damages it. */
const original = join(root, 'original');
const made = cli(['train', ...TINY, '--epochs=1', `--out=${original}`]);
t.equal(made.status, 0, made.stderr);
let copies = 0;
function runCopy(): string {
  const dir = join(root, `run-${++copies}`);
  cpSync(original, dir, { recursive: true });
  return dir;
}

t.test('a data file that is a FIFO, a device, a directory or a link to one: one line naming it, exit 2, no hang', async (t) => {
  const cases: [string, (file: string) => void, string][] = [
    ['train-images.npy', (f) => t.ok(mkfifo(f)), 'is a FIFO (named pipe); expected a regular file holding a .npy array'],
    ['train-images-idx3-ubyte', (f) => t.ok(mkfifo(f)), 'is a FIFO (named pipe); expected a regular file holding an idx file such as train-images-idx3-ubyte'],
    ['train-images.npy', (f) => symlinkSync('/dev/zero', f), 'is a character device; expected a regular file holding a .npy array'],
    ['train-images.npy', (f) => symlinkSync('/dev/null', f), 'is a character device; expected a regular file holding a .npy array'],
    ['train-images.npy', (f) => mkdirSync(f), 'is a directory; expected a regular file holding a .npy array'],
    ['train-images.npy', (f) => symlinkSync('/tmp', f), 'is a directory; expected a regular file holding a .npy array'],
  ];
  for (const [name, make, message] of cases) {
    const data = mkdtempSync(join(root, 'data-'));
    const file = join(data, name);
    make(file);
    const out = join(root, `out-${copies++}`);
    const r = cli(['train', ...TINY, '--epochs=1', `--out=${out}`, `--data=${data}`], { timeoutMs: 60_000 });
    t.equal(r.status, 2, `${name} ${message}: exit 2 (null: killed at the timeout)`);
    t.equal(r.stderr, `aae: ${file}: ${message}\n`, 'one line naming the file');
    t.notOk(existsSync(out), 'no run directory made');
  }
});

t.test('a damaged run on --resume: one line naming the file and what is wrong, exit 2, the run unchanged', async (t) => {
  const cases: [string, (run: string) => void, (run: string) => RegExp][] = [
    ['checkpoint is a FIFO', (run) => {
      rmSync(join(run, 'checkpoints', 'last.safetensors'));
      t.ok(mkfifo(join(run, 'checkpoints', 'last.safetensors')));
    }, (run) => new RegExp(`^aae: ${run}/checkpoints/last\\.safetensors: is a FIFO \\(named pipe\\); expected a regular file holding a checkpoint`)],
    ['checkpoint is a directory', (run) => {
      rmSync(join(run, 'checkpoints', 'last.safetensors'));
      mkdirSync(join(run, 'checkpoints', 'last.safetensors'));
    }, (run) => new RegExp(`^aae: ${run}/checkpoints/last\\.safetensors: is a directory; expected a regular file`)],
    ['config.json is a FIFO', (run) => {
      rmSync(join(run, 'config.json'));
      t.ok(mkfifo(join(run, 'config.json')));
    }, (run) => new RegExp(`^aae: ${run}/config\\.json: is a FIFO \\(named pipe\\); expected a regular file holding a run configuration`)],
    ['"sums": null', (run) => editCheckpoint(join(run, 'checkpoints', 'last.safetensors'), (s) => {
      s.position.sums = null as unknown as Record<string, number>;
    }), (run) => new RegExp(`^aae: ${run}/checkpoints/last\\.safetensors: the checkpoint state is malformed: position\\.sums is null; expected an object of finite numbers$`, 'm')],
    ['a string step count', (run) => editCheckpoint(join(run, 'checkpoints', 'last.safetensors'), (s) => {
      s.optimizerSteps = { recon: '3' } as unknown as Record<string, number>;
    }), () => /the checkpoint state is malformed: optimizerSteps is an object of other values; expected an object of non-negative integers/],
    ['a NaN weight', (run) => editCheckpoint(join(run, 'checkpoints', 'last.safetensors'), (_s, tensors) => {
      tensors.get('Q.lin1.weight')!.data[5] = NaN;
    }), (run) => new RegExp(`^aae: ${run}/checkpoints/last\\.safetensors: tensor Q\\.lin1\\.weight holds NaN at index 5; a checkpoint of a diverged run cannot be used`)],
  ];
  for (const [what, damage, message] of cases) {
    const run = runCopy();
    damage(run);
    const before = fingerprint(run);
    const r = cli(['train', `--resume=${run}`, '--epochs=2', '--backend=wasm'], { timeoutMs: 60_000 });
    t.equal(r.status, 2, `${what}: exit 2 (null: killed at the timeout)`);
    t.match(r.stderr, message(run), what);
    t.ok(oneLine(r.stderr), `${what}: one line`);
    t.same(fingerprint(run), before, `${what}: the run is unchanged`);
  }
});

t.test('eval and sample of a checkpoint holding NaN or infinity: one line naming the tensor, exit 2', async (t) => {
  const run = runCopy();
  editCheckpoint(join(run, 'checkpoints', 'last.safetensors'), (_s, tensors) => {
    tensors.get('P.lin1.bias')!.data[0] = Infinity;
  });
  for (const command of ['eval', 'sample']) {
    const r = cli([command, run, '--backend=wasm']);
    t.equal(r.status, 2, `${command}: exit 2`);
    t.equal(r.stderr, `aae: ${run}/checkpoints/last.safetensors: tensor P.lin1.bias holds Infinity at index 0; a checkpoint of a diverged run cannot be used\n`);
    t.equal(r.stdout, '', `${command}: reports no measure`);
  }
});

t.test('a run the user cannot write: one line naming the directory and what to do, exit 2, the run unchanged', { skip: process.getuid?.() === 0 ? 'root writes anywhere' : false }, async (t) => {
  const cases: [string, string, string][] = [
    ['', 'train.lock', 'cannot create the lock file'],
    ['checkpoints', 'checkpoints', 'cannot write into it'],
  ];
  for (const [locked, named, action] of cases) {
    const run = runCopy();
    chmodSync(join(run, locked), 0o555);
    t.teardown(() => chmodSync(join(run, locked), 0o755));
    const before = fingerprint(run);
    const r = cli(['train', `--resume=${run}`, '--epochs=2', '--backend=wasm']);
    t.equal(r.status, 2);
    t.equal(r.stderr, `aae: ${join(run, named)}: ${action}: permission denied; check its permissions or choose another path (EACCES)\n`);
    t.same(fingerprint(run), before, 'the run is unchanged');
  }
});

t.test('a file-system error is one line; --debug adds the stack', async (t) => {
  const run = runCopy();
  rmSync(join(run, 'checkpoints', 'last.safetensors'));
  mkdirSync(join(run, 'checkpoints', 'last.safetensors'));
  const r = cli(['eval', run, '--backend=wasm', '--debug']);
  t.equal(r.status, 2);
  t.match(r.stderr, /^aae: .*last\.safetensors: is a directory; expected a regular file holding a checkpoint \(\.safetensors\)\nFileError: .*\n\s+at /);
});
