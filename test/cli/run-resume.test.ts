// Interrupted runs, through the real CLI and real signals: a run killed with SIGKILL after it logged records past its
// last checkpoint, or stopped by Ctrl-C in the middle of an epoch, resumes to the very records (and checkpoint) of a
// run never interrupted; and while a run trains, a second train on its directory is refused with one line.
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { CLI, cli, records } from '../helpers/cli.js';

const STEPS = 60;
const FLAGS = ['--hidden=16', `--steps-per-epoch=${STEPS}`, '--validation=100', '--log-every=1', '--backend=wasm'];

const root = mkdtempSync(join(tmpdir(), 'aae-resume-'));
t.teardown(() => rmSync(root, { recursive: true, force: true }));

/** A 2-epoch run never interrupted: what every interrupted run must end up as. */
const straight = join(root, 'straight');
const made = cli(['train', ...FLAGS, '--epochs=2', '--quiet', `--out=${straight}`]);
t.equal(made.status, 0, made.stderr);
const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

/** Starts a training run; `until` resolves once a predicate on its stdout so far holds. */
function start(args: string[]) {
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, [...CLI, 'train', ...args], { stdio: 'pipe' });
  let out = '';
  const waiters: [(s: string) => boolean, () => void][] = [];
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    for (const w of [...waiters]) {
      if (!w[0](out)) continue;
      waiters.splice(waiters.indexOf(w), 1);
      w[1]();
    }
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) => child.on('exit', (code, signal) => done({ code, signal })));
  return {
    child,
    stdout: () => out,
    exited,
    until: (p: (s: string) => boolean) => new Promise<void>((done) => (p(out) ? done() : waiters.push([p, done]))),
  };
}

/** Polls the run's metrics.jsonl until some record is a step past `step`; returns the records seen then. */
async function recordsPast(dir: string, step: number): Promise<{ step?: number }[]> {
  for (;;) {
    const file = join(dir, 'metrics.jsonl');
    const lines = existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter((l) => l.endsWith('}')) : [];
    const seen = lines.map((l) => JSON.parse(l) as { step?: number });
    if (seen.some((r) => (r.step ?? 0) > step)) return seen;
    await new Promise((r) => setTimeout(r, 20));
  }
}

t.test('SIGKILL after records past the last checkpoint, then --resume: those records are not logged twice', async (t) => {
  const dir = join(root, 'killed');
  const run = start([...FLAGS, '--epochs=2', `--out=${dir}`]);
  const seen = await recordsPast(dir, STEPS + 2);
  run.child.kill('SIGKILL');
  t.same((await run.exited).signal, 'SIGKILL', 'killed');
  t.ok(seen.some((r) => r.step! > STEPS), 'metrics.jsonl held records of epoch 2, after the checkpoint of epoch 1');
  t.ok(existsSync(join(dir, 'train.lock')), 'the killed run left its lock');
  const r = cli(['train', `--resume=${dir}`, '--backend=wasm']);
  t.equal(r.status, 0, r.stderr);
  t.match(r.stdout, new RegExp(`aae: dropped \\d+ records of ${dir}/metrics\\.jsonl logged after the checkpoint`));
  t.same(records(dir), records(straight), 'the records of the run never interrupted, each once');
  t.equal(sha(join(dir, 'checkpoints', 'last.safetensors')), sha(join(straight, 'checkpoints', 'last.safetensors')), 'the same final checkpoint');
});

t.test('Ctrl-C in the middle of an epoch, then --resume: the records and checkpoint of a run never interrupted', async (t) => {
  const dir = join(root, 'interrupted');
  const run = start([...FLAGS, '--epochs=2', `--out=${dir}`]);
  await run.until((s) => s.includes('iterations per epoch'));
  run.child.kill('SIGINT');
  t.equal((await run.exited).code, 130);
  const at = Number(/interrupted at epoch 1, iteration (\d+);/.exec(run.stdout())?.[1]);
  t.ok(at > 0 && at < STEPS, `stopped inside epoch 1 (iteration ${at} of ${STEPS})`);
  t.notOk(existsSync(join(dir, 'train.lock')), 'the lock is released on Ctrl-C');
  const r = cli(['train', `--resume=${dir}`, '--backend=wasm']);
  t.equal(r.status, 0, r.stderr);
  t.match(r.stdout, new RegExp(`resumed at epoch 1, iteration ${at} from`));
  t.same(records(dir), records(straight));
  t.equal(sha(join(dir, 'checkpoints', 'last.safetensors')), sha(join(straight, 'checkpoints', 'last.safetensors')), 'the same final checkpoint');
});

t.test('a second writer while a run trains: refused with one line naming the process, exit 2', async (t) => {
  const dir = join(root, 'busy');
  const run = start([...FLAGS, '--epochs=50', `--out=${dir}`]);
  await run.until((s) => s.includes('iterations per epoch'));
  const pid = run.child.pid!;
  const cases: [string[], RegExp][] = [
    [['train', ...FLAGS, '--epochs=1', `--out=${dir}`], new RegExp(`^aae: ${dir}: already holds a run`)],
    [['train', ...FLAGS, '--epochs=1', `--out=${dir}`, '--overwrite'], new RegExp(`^aae: ${dir}: in use by process ${pid} on `)],
    [['train', `--resume=${dir}`, '--backend=wasm'], new RegExp(`^aae: ${dir}: in use by process ${pid} on `)],
  ];
  for (const [args, message] of cases) {
    const r = cli(args);
    t.equal(r.status, 2, args.slice(-1)[0]);
    t.match(r.stderr, message);
    t.equal(r.stderr.trim().split('\n').length, 1, 'one line');
  }
  run.child.kill('SIGINT');
  t.equal((await run.exited).code, 130, 'the first run goes on undisturbed to its Ctrl-C');
  t.notOk(existsSync(join(dir, 'train.lock')));
  const steps = records(dir).filter((r) => r['type'] === 'step').map((r) => r['step']);
  t.same(steps, steps.map((_, i) => i + 1), 'metrics.jsonl holds one writer: iterations 1, 2, 3, ... each once');
});
