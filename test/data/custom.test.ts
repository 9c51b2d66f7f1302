// --data DIR (ts/data/custom.ts): a user's own images as .npy or idx files, labels optional; wrong shapes, dtypes,
// pixel ranges, label values and counts are one error naming the file; the CLI trains on such a directory.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { loadDataDir } from '../../ts/data/custom.js';
import { mnistDir } from '../../ts/data/mnist.js';
import { bytesOf, npyBytes } from '../helpers/npy.js';
import { tempDir } from '../helpers/temp-dir.js';

const pixels = (n: number, seed: number) => Uint8Array.from({ length: n * 784 }, (_, i) => ((i * 37 + seed * 11) % 256));

function dataDir(files: Record<string, Uint8Array>): string {
  const dir = tempDir(t, 'data');
  for (const [name, bytes] of Object.entries(files)) writeFileSync(join(dir, name), bytes);
  return dir;
}

t.test('.npy images (N, 28, 28) uint8 and (N, 784) float32, with int64 and uint8 labels', async (t) => {
  const floats = Float32Array.from(pixels(5, 2), (v) => v / 255);
  const dir = dataDir({
    'train-images.npy': npyBytes('|u1', [6, 28, 28], pixels(6, 1)),
    'train-labels.npy': npyBytes('<i8', [6], bytesOf(BigInt64Array.of(0n, 1n, 2n, 3n, 9n, 5n))),
    'test-images.npy': npyBytes('<f4', [5, 784], bytesOf(floats)) });
  const { train, test } = loadDataDir(dir);
  t.same([train.n, train.rows, train.cols, test.n], [6, 28, 28, 5]);
  t.equal(train.images[1], Math.fround(48 / 255));
  t.same([...train.labels!], [0, 1, 2, 3, 9, 5]);
  t.equal(test.labels, undefined, 'labels are optional');
  t.same(Array.from(test.images.subarray(0, 4)), Array.from(floats.subarray(0, 4)));
});

t.test('colour (N, H, W, 3) images, and flat (N, D) rows of the shape given with imageShape', async (t) => {
  const colour = Uint8Array.from({ length: 4 * 8 * 5 * 3 }, (_, i) => (i * 5) % 256);
  const dir = dataDir({ 'train-images.npy': npyBytes('|u1', [4, 8, 5, 3], colour), 'test-images.npy': npyBytes('|u1', [2, 120], colour.subarray(0, 240)) });
  const { train, test } = loadDataDir(dir);
  t.same([train.n, train.rows, train.cols, train.channels, test.n, test.rows, test.cols, test.channels], [4, 8, 5, 3, 2, 8, 5, 3]);
  t.equal(train.images.length, 4 * 120);
  const flat = dataDir({ 'train-images.npy': npyBytes('|u1', [4, 120], colour), 'test-images.npy': npyBytes('|u1', [2, 8, 5, 3], colour.subarray(0, 240)) });
  const given = loadDataDir(flat, { imageShape: { height: 8, width: 5, channels: 3 } });
  t.same([given.train.rows, given.train.cols, given.train.channels], [8, 5, 3]);
  t.same(Array.from(given.train.images), Array.from(train.images));
  t.throws(() => loadDataDir(flat, { imageShape: { height: 5, width: 8, channels: 3 } }), {
    name: 'DataError',
    message: /test-images\.npy: found shape \(2, 8, 5, 3\); the training images \(.*train-images\.npy\) expects 5x8x3 images: \(N, 5, 8, 3\) or \(N, 120\)$/,
  });
  t.throws(() => loadDataDir(flat), { name: 'DataError', message: /train-images\.npy: found shape \(4, 120\); 120 values per image is not a square of grey pixels/ });
});

t.test('idx pairs in a directory (the MNIST file names)', async (t) => {
  const dir = tempDir(t, 'idx');
  for (const f of ['t10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte']) copyFileSync(join(mnistDir(), f), join(dir, f));
  copyFileSync(join(mnistDir(), 't10k-images-idx3-ubyte'), join(dir, 'train-images-idx3-ubyte'));
  const { train, test } = loadDataDir(dir);
  t.same([train.n, train.labels, test.n, test.labels!.length], [10000, undefined, 10000, 10000]);
});

t.test('bad directories and arrays: one error naming the file and what was expected', async (t) => {
  const ok = npyBytes('|u1', [2, 784], pixels(2, 1));
  const cases: [string, Record<string, Uint8Array>, RegExp][] = [
    ['no test', { 'train-images.npy': ok }, /: no test images; expected .*test-images\.npy or .*t10k-images-idx3-ubyte$/],
    ['shape', { 'train-images.npy': npyBytes('|u1', [2, 3072], new Uint8Array(6144)), 'test-images.npy': ok }, /train-images\.npy: found shape \(2, 3072\); 3072 values per image is not a square of grey pixels: give the image shape, e.g\. --image-shape=HxWxC with H\*W\*C = 3072$/],
    ['test shape', { 'train-images.npy': npyBytes('|u1', [2, 32, 32], new Uint8Array(2048)), 'test-images.npy': ok }, /test-images\.npy: found shape \(2, 784\); the training images \(.*train-images\.npy\) expects 32x32 images: \(N, 32, 32\) or \(N, 32, 32, 1\) or \(N, 1024\)$/],
    ['dtype', { 'train-images.npy': npyBytes('<i4', [1, 784], new Uint8Array(3136)), 'test-images.npy': ok }, /train-images\.npy: images of dtype int32; expected uint8 \(0\.\.255\) or float32 in \[0, 1\]$/],
    ['range', { 'train-images.npy': npyBytes('<f4', [1, 784], bytesOf(new Float32Array(784).fill(255))), 'test-images.npy': ok }, /train-images\.npy: pixel 255 at index 0; expected float32 pixels in \[0, 1\]/],
    ['label value', { 'train-images.npy': ok, 'train-labels.npy': npyBytes('|u1', [2], Uint8Array.of(3, 12)), 'test-images.npy': ok }, /train-labels\.npy: label 12 at index 1; expected labels 0\.\.9$/],
    ['label count', { 'train-images.npy': ok, 'train-labels.npy': npyBytes('|u1', [3], Uint8Array.of(1, 2, 3)), 'test-images.npy': ok }, /train-labels\.npy: 3 labels for the 2 images of .*train-images\.npy; expected equal counts$/],
    ['float labels', { 'train-images.npy': ok, 'train-labels.npy': npyBytes('<f4', [2], new Uint8Array(8)), 'test-images.npy': ok }, /train-labels\.npy: labels of dtype float32; expected integers 0\.\.9/],
  ];
  for (const [name, files, message] of cases) t.throws(() => loadDataDir(dataDir(files)), { name: 'DataError', message }, name);
  t.throws(() => loadDataDir('/nonexistent/data'), { name: 'DataError', message: /^\/nonexistent\/data: no such directory/ });
});

const cli = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'ts/cli/main.ts', ...args], { encoding: 'utf8', timeout: 300_000 });

t.test('npm run train -- --data DIR trains on the directory; a bad --data is one line, exit 2', async (t) => {
  const labels = (n: number) => bytesOf(BigInt64Array.from({ length: n }, (_, i) => BigInt(i % 10)));
  const dir = dataDir({
    'train-images.npy': npyBytes('|u1', [300, 28, 28], pixels(300, 3)),
    'train-labels.npy': npyBytes('<i8', [300], labels(300)),
    'test-images.npy': npyBytes('|u1', [50, 784], pixels(50, 4)),
    'test-labels.npy': npyBytes('<i8', [50], labels(50)) });
  const out = join(tempDir(t, 'data-run'), 'run');
  let r = cli('train', `--data=${dir}`, '--hidden=16', '--epochs=1', '--batch=20', '--labels=20', '--validation=50', '--backend=wasm', '--quiet', `--out=${out}`);
  t.equal(r.status, 0, r.stderr.slice(-400));
  t.match(r.stdout, /test error \d+\.\d\d%/);
  r = cli('eval', out, '--backend=wasm');
  t.equal(r.status, 0, `eval reads the run's --data directory: ${r.stderr.slice(-300)}`);
  const noLabels = dataDir({ 'train-images.npy': npyBytes('|u1', [300, 784], pixels(300, 1)), 'test-images.npy': npyBytes('|u1', [50, 784], pixels(50, 2)) });
  r = cli('train', `--data=${noLabels}`, '--hidden=16', '--epochs=1', '--validation=50', '--backend=wasm', '--quiet', `--out=${out}-2`);
  t.equal(r.status, 2);
  t.match(r.stderr, /^aae: the semi model needs training labels, and the training data has none/);
  t.equal(r.stderr.trim().split('\n').length, 1, 'one line');
  mkdirSync(`${out}-3`);
  r = cli('train', `--data=${out}-3`, '--backend=wasm', '--quiet', `--out=${out}-4`);
  t.equal(r.status, 2);
  t.match(r.stderr, /^aae: .*-3: no training images; expected /);
});
