// Random scenarios for the CLI fuzz suite: a data directory and a run directory built on disk from a description
// (regular files valid or damaged, directories, FIFOs, devices, links, locks), and a command line over them.
import { spawnSync } from 'node:child_process';
import { cpSync, lstatSync, mkdirSync, readFileSync, readdirSync, rmSync, rmdirSync, symlinkSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { editCheckpoint } from '../helpers/checkpoint.js';
import { npyBytes } from '../helpers/npy.js';

const FILE_KINDS = ['absent', 'valid', 'truncated', 'garbage', 'empty', 'directory', 'fifo', 'dev-zero', 'dev-null', 'dangling', 'link-to-valid', 'wrong-shape'] as const;
type FileKind = (typeof FILE_KINDS)[number];

const RUN_KINDS = [
  'absent', 'empty', 'a-file', 'finished', 'finished', 'live-lock', 'stale-lock', 'foreign-lock', 'checkpoint-truncated', 'checkpoint-fifo', 'checkpoint-directory',
  'checkpoint-missing', 'sums-null', 'nan-weight', 'config-garbage', 'config-fifo', 'config-directory', 'metrics-torn',
] as const;
type RunKind = (typeof RUN_KINDS)[number];

export interface Scenario {
  data: { dir: 'directory' | 'missing' | 'a-file' | 'link-to-directory'; format: 'npy' | 'idx'; n: number; trainImages: FileKind; testImages: FileKind; trainLabels: FileKind; testLabels: FileKind };
  run: RunKind;
  command: 'train' | 'resume' | 'eval' | 'sample';
  flags: string[];
}

const FLAG_CHOICES = [
  '--overwrite', '--epochs=1', '--epochs=2', '--epochs=0', '--epochs=x', '--epochs', '--model=unsupervised', '--model=semi', '--model=supervised',
  '--model=cluster', '--model=bogus', '--seed=3', '--seed=-1', '--z=3', '--z=0', '--batch=5', '--batch=1000', '--batch=0', '--labels=10', '--labels=0',
  '--labels=7', '--validation=3', '--validation=100000', '--bogus', 'junk', '--quiet=1', '--checkpoint=best', '--checkpoint=worst', '--rows=2',
  '--protocol=fducau', '--prior=mixture', '--hidden=0',
];

/** Each file valid four times in five (so that whole directories are often valid), else any other kind. */
const fileKind = (valid: FileKind) => fc.oneof({ arbitrary: fc.constant(valid), weight: 4 }, { arbitrary: fc.constantFrom(...FILE_KINDS), weight: 1 });

export const scenarios: fc.Arbitrary<Scenario> = fc.record({
  data: fc.record({
    dir: fc.constantFrom('directory', 'directory', 'directory', 'directory', 'missing', 'a-file', 'link-to-directory'),
    format: fc.constantFrom('npy', 'idx'),
    n: fc.integer({ min: 12, max: 30 }),
    trainImages: fileKind('valid'),
    testImages: fileKind('valid'),
    trainLabels: fc.oneof(fileKind('valid'), fileKind('absent')),
    testLabels: fc.oneof(fileKind('valid'), fileKind('absent')),
  }),
  run: fc.constantFrom(...RUN_KINDS),
  command: fc.constantFrom('train', 'train', 'train', 'resume', 'eval', 'sample'),
  flags: fc.array(fc.constantFrom(...FLAG_CHOICES), { maxLength: 3 }),
});

/** Flags that make a training run take a moment on the float64 reference backend. */
export const QUICK = ['--backend=reference', '--hidden=4', '--steps-per-epoch=1', '--log-every=1', '--batch=4', '--validation=4', '--model=unsupervised', '--epochs=1', '--quiet'];

const NAMES = {
  npy: { trainImages: 'train-images.npy', testImages: 'test-images.npy', trainLabels: 'train-labels.npy', testLabels: 'test-labels.npy' },
  idx: { trainImages: 'train-images-idx3-ubyte', testImages: 't10k-images-idx3-ubyte', trainLabels: 'train-labels-idx1-ubyte', testLabels: 't10k-labels-idx1-ubyte' },
};

function idxBytes(dims: number[], data: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + 4 * dims.length + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, 0x800 | dims.length);
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d));
  out.set(data, 4 + 4 * dims.length);
  return out;
}

/** The bytes of a valid images or labels file of n entries (labels: every digit, then cycling). */
export function validFile(format: 'npy' | 'idx', what: 'images' | 'labels', n: number, wrongShape = false): Uint8Array {
  if (what === 'labels') {
    const labels = Uint8Array.from({ length: wrongShape ? n + 1 : n }, (_, i) => i % 10);
    return format === 'npy' ? npyBytes('|u1', [labels.length], labels) : idxBytes([labels.length], labels);
  }
  // A wrong shape: flat rows of 700 values, not a square of grey pixels (and no --image-shape is given).
  const size = wrongShape ? 700 : 784;
  const pixels = Uint8Array.from({ length: n * size }, (_, i) => (i * 37) % 256);
  return format === 'npy' ? npyBytes('|u1', [n, size], pixels) : idxBytes(wrongShape ? [n, size] : [n, 28, 28], pixels);
}

const mkfifo = (path: string) => {
  if (spawnSync('mkfifo', [path]).status !== 0) throw new Error(`mkfifo ${path} failed`);
};

function makeFile(path: string, kind: FileKind, valid: () => Uint8Array, wrong: () => Uint8Array, pool: string): void {
  switch (kind) {
    case 'absent':
      return;
    case 'valid':
      return writeFileSync(path, valid());
    case 'truncated': {
      const bytes = valid();
      return writeFileSync(path, bytes.subarray(0, Math.floor(bytes.length / 2)));
    }
    case 'garbage':
      return writeFileSync(path, 'this is not an array at all\n');
    case 'empty':
      return writeFileSync(path, '');
    case 'directory':
      return mkdirSync(path);
    case 'fifo':
      return mkfifo(path);
    case 'dev-zero':
      return symlinkSync('/dev/zero', path);
    case 'dev-null':
      return symlinkSync('/dev/null', path);
    case 'dangling':
      return symlinkSync(join(pool, 'no-such-file'), path);
    case 'link-to-valid': {
      const target = `${path}.target`;
      writeFileSync(target, valid());
      return symlinkSync(target, path);
    }
    case 'wrong-shape':
      return writeFileSync(path, wrong());
  }
}

/** Builds the scenario's data directory at `dir`. */
export function makeDataDir(dir: string, d: Scenario['data'], pool: string): void {
  if (d.dir === 'missing') return;
  if (d.dir === 'a-file') return writeFileSync(dir, 'not a directory');
  const real = d.dir === 'link-to-directory' ? `${dir}.real` : dir;
  mkdirSync(real);
  if (real !== dir) symlinkSync(real, dir);
  const names = NAMES[d.format];
  for (const key of ['trainImages', 'testImages', 'trainLabels', 'testLabels'] as const) {
    const what = key.endsWith('Images') ? 'images' : 'labels';
    makeFile(join(real, names[key]), d[key], () => validFile(d.format, what, d.n), () => validFile(d.format, what, d.n, true), pool);
  }
}

/**
 * Builds the scenario's run directory at `dir`, from `finished` (a one-epoch run made once) where it needs a run;
 * `pids` are a live process of this host and one that has exited, for its locks.
 */
export function makeRunDir(dir: string, kind: RunKind, finished: string, pids: { live: number; dead: number }): void {
  if (kind === 'absent') return;
  if (kind === 'empty') return mkdirSync(dir);
  if (kind === 'a-file') return writeFileSync(dir, 'not a directory');
  cpSync(finished, dir, { recursive: true });
  const last = join(dir, 'checkpoints', 'last.safetensors');
  const config = join(dir, 'config.json');
  const lock = (pid: number, host: string) => writeFileSync(join(dir, 'train.lock'), JSON.stringify({ pid, host, started: 'then' }));
  switch (kind) {
    case 'live-lock':
      return lock(pids.live, hostname());
    case 'stale-lock':
      return lock(pids.dead, hostname());
    case 'foreign-lock':
      return lock(1, 'elsewhere.example');
    case 'checkpoint-truncated':
      return truncateSync(last, 100);
    case 'checkpoint-fifo':
      rmSync(last);
      return mkfifo(last);
    case 'checkpoint-directory':
      rmSync(last);
      return mkdirSync(last);
    case 'checkpoint-missing':
      return rmSync(last);
    case 'sums-null':
      return editCheckpoint(last, (s) => {
        s.position.sums = null as unknown as Record<string, number>;
      });
    case 'nan-weight':
      return editCheckpoint(last, (_s, tensors) => {
        tensors.values().next().value!.data[0] = NaN;
      });
    case 'config-garbage':
      return writeFileSync(config, '{"model": ');
    case 'config-fifo':
      rmSync(config);
      return mkfifo(config);
    case 'config-directory':
      rmSync(config);
      return mkdirSync(config);
    case 'metrics-torn':
      return writeFileSync(join(dir, 'metrics.jsonl'), `${readFileSync(join(dir, 'metrics.jsonl'), 'utf8')}{"type":"step","epo`);
    case 'finished':
      return;
  }
}

/** Removes a case's directory tree (links are removed, not followed); fs.rmSync's recursive mode takes ~10 ms. */
export function removeTree(path: string): void {
  if (!lstatSync(path).isDirectory()) return unlinkSync(path);
  for (const name of readdirSync(path)) removeTree(join(path, name));
  rmdirSync(path);
}

/** The command line of a scenario over its data directory and run directory. */
export function commandLine(s: Scenario, data: string, run: string): string[] {
  switch (s.command) {
    case 'train':
      return ['train', ...QUICK, `--data=${data}`, `--out=${run}`, ...s.flags];
    case 'resume':
      return ['train', `--resume=${run}`, '--backend=reference', '--quiet', ...s.flags];
    case 'eval':
      return ['eval', run, '--backend=reference', ...s.flags];
    case 'sample':
      return ['sample', run, '--backend=reference', '--rows=2', '--cols=2', ...s.flags];
  }
}
