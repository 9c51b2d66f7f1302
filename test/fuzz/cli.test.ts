// Property-based fuzzing of the CLI at the file-system level (fast-check): random data directories and run
// directories built on disk (valid, truncated, garbage and wrongly shaped files, directories, FIFOs, /dev/zero and
// /dev/null links, dangling links, locks live, stale and foreign, damaged checkpoints and configs) and random
// command lines over them, each run by the real CLI in a child process. Every case must end with exit code 0, or 2
// and exactly one line; within a time bound (a hang fails); with the child's memory bounded; and with every file that
// existed before unchanged, except a run that --resume or --overwrite was asked to change and did. 2000 cases here;
// `npm run fuzz` runs 20000 (AAE_FUZZ_RUNS).
import { type ChildProcess, fork, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import t from 'tap';
import { fingerprint } from '../helpers/cli.js';
import { QUICK, type Scenario, commandLine, makeDataDir, makeRunDir, removeTree, scenarios, validFile } from './scenario.js';

const RUNS = Number(process.env['AAE_FUZZ_RUNS'] ?? 2000);
/** A command taking longer than this is a hang (a training case takes well under a second). */
const HANG_MS = 30_000;
/** The child's resident memory may not pass this (it idles near 150 MB). */
const MAX_RSS_BYTES = 1.5 * 2 ** 30;

/** Cases run first every time: one that must train (exit 0), then those the suite found once. */
const FOUND: Scenario[] = [
  {
    data: { dir: 'directory', format: 'npy', n: 20, trainImages: 'valid', testImages: 'valid', trainLabels: 'valid', testLabels: 'absent' },
    run: 'absent',
    command: 'train',
    flags: [],
  },
  // --validation beyond the training set of an unlabeled data directory: exit 1 from an empty batch order.
  {
    data: { dir: 'directory', format: 'idx', n: 29, trainImages: 'valid', testImages: 'valid', trainLabels: 'absent', testLabels: 'valid' },
    run: 'absent',
    command: 'train',
    flags: ['--validation=100000', '--batch=1000'],
  },
  // The supervised model on a data directory without test labels: exit 1 from the first evaluation, after training.
  {
    data: { dir: 'directory', format: 'npy', n: 14, trainImages: 'valid', testImages: 'valid', trainLabels: 'valid', testLabels: 'absent' },
    run: 'absent',
    command: 'train',
    flags: ['--model=supervised'],
  },
];

interface Reply {
  code: number;
  stdout: string;
  stderr: string;
}

/** The child process running the CLI, restarted after a hang or a memory overrun. */
class CliChild {
  #child: ChildProcess | undefined;
  #ready: Promise<void> | undefined;
  #next = 0;

  #start(): Promise<void> {
    const child = fork(resolve('test/fuzz/cli-child.ts'), [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    this.#child = child;
    return new Promise((done) => child.once('message', () => done()));
  }

  get pid(): number | undefined {
    return this.#child?.pid;
  }

  async run(argv: string[]): Promise<Reply | 'hang' | 'memory'> {
    this.#ready ??= this.#start();
    await this.#ready;
    const child = this.#child!;
    const id = ++this.#next;
    return new Promise((done) => {
      const finish = (r: Reply | 'hang' | 'memory') => {
        clearTimeout(timer);
        clearInterval(watch);
        child.off('message', onMessage);
        if (typeof r === 'string') {
          child.kill('SIGKILL');
          this.#ready = undefined;
        }
        done(r);
      };
      const onMessage = (m: Reply & { id: number }) => m.id === id && finish(m);
      const timer = setTimeout(() => finish('hang'), HANG_MS);
      const watch = setInterval(() => {
        const rss = Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1]) * 1024;
        if (rss > MAX_RSS_BYTES) finish('memory');
      }, 50);
      child.on('message', onMessage);
      child.send({ id, argv });
    });
  }

  stop(): void {
    this.#child?.kill('SIGKILL');
  }
}

t.test(`the CLI over random data dirs, run dirs and arguments: exit 0 or 2 with one line, bounded, nothing changed (${RUNS} cases)`, async (t) => {
  // On a memory file system where there is one: thousands of small trees made and removed on a disk take minutes.
  const root = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'aae-fuzz-'));
  t.teardown(() => rmSync(root, { recursive: true, force: true }));
  const child = new CliChild();
  t.teardown(() => child.stop());

  // One finished run on a valid data directory, copied into every case that needs a run.
  const templateData = join(root, 'template-data');
  mkdirSync(templateData);
  writeFileSync(join(templateData, 'train-images.npy'), validFile('npy', 'images', 30));
  writeFileSync(join(templateData, 'test-images.npy'), validFile('npy', 'images', 30));
  const finished = join(root, 'template-run');
  const made = await child.run(['train', ...QUICK, `--data=${templateData}`, `--out=${finished}`]);
  t.same(typeof made === 'string' ? made : made.code, 0, 'the template run trains');

  const pids = { live: process.pid, dead: spawnSync(process.execPath, ['-e', '0']).pid };
  let count = 0;
  const seen = { 0: 0, 2: 0 };
  await fc.assert(
    fc.asyncProperty(scenarios, async (s: Scenario) => {
      const dir = join(root, `case-${++count}`);
      mkdirSync(dir);
      try {
        const data = join(dir, 'data');
        const run = join(dir, 'run');
        makeDataDir(data, s.data, dir);
        makeRunDir(run, s.run, finished, pids);
        const before = fingerprint(dir);
        const argv = commandLine(s, data, run);
        const r = await child.run(argv);
        const what = `${argv.join(' ')}`;
        if (typeof r === 'string') throw new Error(`${what}: ${r === 'hang' ? `still running after ${HANG_MS} ms` : `over ${MAX_RSS_BYTES} bytes of memory`}`);
        if (r.code !== 0 && r.code !== 2) throw new Error(`${what}: exit ${r.code}: ${r.stderr}`);
        seen[r.code]++;
        if (r.code === 2 && !/^aae: [^\n]+$/.test(r.stderr)) throw new Error(`${what}: exit 2 without exactly one line: ${JSON.stringify(r.stderr)}`);
        const after = fingerprint(dir);
        const runChanged = r.code === 0 && (s.command === 'resume' || s.flags.includes('--overwrite'));
        for (const [path, print] of Object.entries(before)) {
          if (runChanged && path.startsWith('run/')) continue;
          if (after[path] !== print) throw new Error(`${what}: exit ${r.code} changed ${path}`);
        }
        if (r.code === 2 && Object.keys(after).length !== Object.keys(before).length) {
          throw new Error(`${what}: exit 2 but wrote ${Object.keys(after).filter((p) => !(p in before)).join(', ')}`);
        }
      } finally {
        removeTree(dir);
      }
    }),
    { numRuns: RUNS, endOnFailure: true, examples: FOUND.map((s) => [s]) },
  );
  t.ok(seen[0] > 0 && seen[2] > 0, `both outcomes reached: ${seen[0]} cases exit 0, ${seen[2]} exit 2`);
  t.notOk(existsSync(join(finished, 'train.lock')), 'no lock left behind');
});
