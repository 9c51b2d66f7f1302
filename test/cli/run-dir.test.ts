// Taking a run directory: an existing run is never touched by a train that was not asked to continue (--resume) or
// replace (--overwrite) it, nothing is written before every input is checked, an --out that cannot be made is one
// line (never a spin), and a lock file stops a second writer while a dead writer's lock is taken over.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { TINY, cli, fingerprint, records } from '../helpers/cli.js';

const oneLine = (stderr: string) => stderr.trim().split('\n').length === 1;

/** A finished one-epoch run in a fresh temporary directory, removed after the test. */
function finishedRun(t: Test, seed = 1): { root: string; run: string } {
  const root = mkdtempSync(join(tmpdir(), 'aae-rundir-'));
  t.teardown(() => rmSync(root, { recursive: true, force: true }));
  const run = join(root, 'run');
  const r = cli(['train', ...TINY, '--epochs=1', `--seed=${seed}`, `--out=${run}`]);
  t.equal(r.status, 0, r.stderr);
  return { root, run };
}

t.test('an existing run is refused without --resume or --overwrite, and nothing in it changes', async (t) => {
  const { root, run } = finishedRun(t);
  const before = fingerprint(run);
  const fifoData = join(root, 'fifo-data');
  mkdirSync(fifoData);
  spawnSync('mkfifo', [join(fifoData, 'train-images.npy')]);
  const cases: [string[], RegExp][] = [
    [['train', ...TINY, '--epochs=1', `--out=${run}`], new RegExp(`^aae: ${run}: already holds a run; continue it with --resume ${run}, replace it with --overwrite`)],
    [['train', ...TINY, '--epochs=1', `--out=${run}`, `--data=${join(root, 'missing')}`], /already holds a run/],
    [['train', ...TINY, '--epochs=1', `--out=${run}`, '--overwrite', `--data=${join(root, 'missing')}`], /missing: no such directory/],
    [['train', ...TINY, '--epochs=1', `--out=${run}`, '--overwrite', `--data=${fifoData}`], /train-images\.npy: is a FIFO \(named pipe\); expected a regular file/],
    [['train', `--resume=${run}`, '--overwrite'], /^aae: --resume continues a run and --overwrite replaces one: give only one of them/],
  ];
  for (const [args, message] of cases) {
    const r = cli(args, { timeoutMs: 60_000 });
    t.equal(r.status, 2, `${args.slice(-2).join(' ')}: exit 2`);
    t.match(r.stderr, message);
    t.ok(oneLine(r.stderr), 'one line');
    t.same(fingerprint(run), before, 'the run is byte for byte as it was');
  }
});

t.test('--overwrite replaces a run once every input is checked: none of the old outputs is left', async (t) => {
  const { run } = finishedRun(t);
  mkdirSync(join(run, 'samples'));
  writeFileSync(join(run, 'samples', 'samples-1.png'), 'old');
  const r = cli(['train', ...TINY, '--epochs=1', '--seed=2', `--out=${run}`, '--overwrite']);
  t.equal(r.status, 0, r.stderr);
  t.equal(JSON.parse(readFileSync(join(run, 'config.json'), 'utf8')).options.seed, 2);
  t.same(records(run).map((x) => x['type']), ['step', 'step', 'step', 'epoch'], "only the new run's records");
  t.notOk(existsSync(join(run, 'samples')), "the old run's samples are gone");
  t.notOk(existsSync(join(run, 'train.lock')), 'the lock is released');
});

t.test('an --out that cannot be a directory: one line naming it, exit 2, no spin', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'aae-out-'));
  t.teardown(() => rmSync(root, { recursive: true, force: true }));
  writeFileSync(join(root, 'file'), 'x');
  const cases: [string, RegExp][] = [
    [`/proc/aae-${process.pid}`, new RegExp(`^aae: /proc/aae-${process.pid}: cannot create the directory: its file system does not allow it`)],
    [`/proc/aae-${process.pid}/deeper/run`, new RegExp(`^aae: /proc/aae-${process.pid}: cannot create the directory`)],
    [`/sys/aae-${process.pid}`, new RegExp(`^aae: /sys/aae-${process.pid}: cannot create the directory for --out: operation not permitted`)],
    [join(root, 'file'), new RegExp(`^aae: ${root}/file: exists and is not a directory; --out needs a directory path`)],
    [join(root, 'file', 'run'), new RegExp(`^aae: ${root}/file: exists and is not a directory`)],
  ];
  for (const [out, message] of cases) {
    const r = cli(['train', ...TINY, '--epochs=1', `--out=${out}`], { timeoutMs: 60_000 });
    t.equal(r.status, 2, `${out}: exit 2 (null: still running when killed)`);
    t.match(r.stderr, message);
    t.ok(oneLine(r.stderr), 'one line');
  }
});

t.test('the lock: a live holder stops a second writer, a dead one is taken over, and it is gone when train ends', async (t) => {
  const { run } = finishedRun(t);
  const lock = join(run, 'train.lock');
  writeFileSync(lock, JSON.stringify({ pid: process.pid, host: hostname(), started: 'now' }));
  const before = fingerprint(run);
  for (const args of [['train', `--resume=${run}`, '--epochs=2', '--backend=wasm'], ['train', ...TINY, '--epochs=1', `--out=${run}`, '--overwrite']]) {
    const r = cli(args);
    t.equal(r.status, 2, `${args[1]}: exit 2`);
    t.match(r.stderr, new RegExp(`^aae: ${run}: in use by process ${process.pid} on ${hostname()} \\(since now\\); wait for that training to end, or remove ${lock} if it no longer runs\\n$`));
    t.same(fingerprint(run), before, 'nothing changed, the lock included');
  }
  writeFileSync(lock, JSON.stringify({ pid: 1, host: 'elsewhere.example', started: 'then' }));
  const r = cli(['train', `--resume=${run}`, '--epochs=2', '--backend=wasm']);
  t.equal(r.status, 2, 'a lock from another host cannot be checked: refused');
  t.match(r.stderr, /in use by process 1 on elsewhere\.example/);

  const dead = spawnSync(process.execPath, ['-e', '0']).pid;
  writeFileSync(lock, JSON.stringify({ pid: dead, host: hostname(), started: 'then' }));
  const resumed = cli(['train', `--resume=${run}`, '--epochs=2', '--backend=wasm', '--quiet']);
  t.equal(resumed.status, 0, `a stale lock (process ${dead} is gone) is taken over: ${resumed.stderr}`);
  t.notOk(existsSync(lock), 'and released at the end');
  t.same(records(run).filter((x) => x['type'] === 'epoch').map((x) => x['epoch']), [1, 2]);
});
