// --data of 32 x 32 RGB images (two classes of coloured shapes): train records the image shape in config.json and
// the checkpoint, its figures are grids of 32 x 32 colour tiles, and eval and sample run on the run; flat (N, D)
// rows train with --image-shape, and a wrong shape is one line naming the file.
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pngjs from 'pngjs';
import t from 'tap';
import { readCheckpointState } from '../../ts/train/checkpoint.js';
import { cli } from '../helpers/cli.js';
import { writeColourShapes } from '../helpers/colour-shapes.js';
import { npyBytes } from '../helpers/npy.js';
import { tempDir } from '../helpers/temp-dir.js';

const SIDE = 32;
const RUN = ['--hidden=32', '--epochs=1', '--steps-per-epoch=3', '--batch=16', '--validation=0', '--log-every=1', '--backend=wasm', '--threads=1', '--quiet'];

/** A PNG's size, and whether it is RGB with pixels whose channels differ (colour, not grey drawn as RGB). */
function png(file: string): { width: number; height: number; colorType: number; coloured: boolean } {
  const p = pngjs.PNG.sync.read(readFileSync(file));
  let coloured = false;
  for (let i = 0; i < p.data.length && !coloured; i += 4) coloured = p.data[i] !== p.data[i + 1] || p.data[i + 1] !== p.data[i + 2];
  return { width: p.width, height: p.height, colorType: (p as unknown as { colorType: number }).colorType, coloured };
}

/** Pixels of a grid of rows x cols tiles of SIDE x SIDE with 1-pixel gaps. */
const grid = (cols: number, rows: number) => [cols * (SIDE + 1) + 1, rows * (SIDE + 1) + 1];

t.test('a cluster model trains on 32x32x3 images; eval and sample read the shape from the run', async (t) => {
  const data = tempDir(t, 'colour-data');
  writeColourShapes(data, { nTrain: 64, nTest: 16, side: SIDE });
  const out = join(tempDir(t, 'colour-run'), 'run');
  let r = cli(['train', `--data=${data}`, '--model=cluster', '--clusters=2', `--out=${out}`, ...RUN]);
  t.equal(r.status, 0, r.stderr.slice(-400));
  const config = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8'));
  t.same([config.model.image, config.model.inFeatures], [{ height: SIDE, width: SIDE, channels: 3 }, SIDE * SIDE * 3], 'config.json records the shape');
  t.same(readCheckpointState(join(out, 'checkpoints', 'last.safetensors')).config.image, { height: SIDE, width: SIDE, channels: 3 }, 'so does the checkpoint');
  const figures = join(out, 'figures');
  t.same(readdirSync(figures).sort(), ['latent.png', 'reconstructions.png', 'style-content.png']);
  for (const [name, size] of [['reconstructions.png', grid(10, 2)], ['style-content.png', grid(2, 10)]] as const) {
    const p = png(join(figures, name));
    t.same([p.width, p.height], size, `${name}: 32 x 32 tiles`);
    t.equal(p.colorType, 2, `${name}: RGB`);
    t.ok(p.coloured, `${name}: colour pixels`);
  }
  t.ok(png(join(figures, 'reconstructions.png')).coloured, 'the inputs of reconstructions.png are in colour');
  t.match(readFileSync(join(out, 'report.html'), 'utf8'), /&quot;channels&quot;: 3/, 'the report shows the shape in its configuration');

  r = cli(['eval', out, '--backend=wasm', '--threads=1']);
  t.equal(r.status, 0, `eval: ${r.stderr.slice(-300)}`);
  t.match(r.stdout, /test reconstruction loss \d+\.\d+\ncluster accuracy \d+\.\d\d%/);
  r = cli(['sample', out, '--backend=wasm', '--seed=3', '--rows=2', '--cols=4']);
  t.equal(r.status, 0, `sample: ${r.stderr.slice(-300)}`);
  const samples = png(join(out, 'samples', 'samples-3.png'));
  t.same([samples.width, samples.height, samples.colorType], [...grid(4, 2), 2], 'samples-3.png: 2 x 4 RGB tiles of 32 x 32');
  t.same(png(join(out, 'samples', 'style-content-3.png')).width, grid(2, 2)[0], 'style-content-3.png: one column per cluster');

  writeColourShapes(data, { nTrain: 64, nTest: 16, side: 16 });
  const changed = `aae: ${data}: images of 16x16x3; the run's model was built for 32x32x3 images (config.json, model.image)\n`;
  r = cli(['eval', out, '--backend=wasm', '--threads=1']);
  t.same([r.status, r.stderr], [2, changed], 'eval of data whose shape changed since: one line, exit 2');
  r = cli(['train', `--resume=${out}`, '--epochs=2', '--backend=wasm', '--threads=1', '--quiet']);
  t.same([r.status, r.stderr], [2, changed], 'so does --resume');
});

t.test('flat (N, D) rows train with --image-shape; a wrong shape is one line naming the file, exit 2', async (t) => {
  const data = tempDir(t, 'colour-flat');
  writeColourShapes(data, { nTrain: 32, nTest: 8, side: 8 });
  const flat = (name: string, n: number) => {
    const bytes = readFileSync(join(data, name));
    writeFileSync(join(data, name), npyBytes('|u1', [n, 192], bytes.subarray(bytes.length - n * 192)));
  };
  flat('train-images.npy', 32);
  flat('test-images.npy', 8);
  const out = join(tempDir(t, 'colour-flat-run'), 'run');
  let r = cli(['train', `--data=${data}`, '--model=unsupervised', `--out=${out}`, ...RUN]);
  t.equal(r.status, 2);
  t.equal(r.stderr, `aae: ${join(data, 'train-images.npy')}: found shape (32, 192); 192 values per image is not a square of grey pixels: give the image shape, e.g. --image-shape=HxWxC with H*W*C = 192\n`);
  r = cli(['train', `--data=${data}`, '--image-shape=8x8x2', '--model=unsupervised', `--out=${out}`, ...RUN]);
  t.equal(r.status, 2);
  t.equal(r.stderr, 'aae: --image-shape=8x8x2: 2 channels; expected 1 (grey) or 3 (RGB)\n');
  r = cli(['train', `--data=${data}`, '--image-shape=8x8', '--model=unsupervised', `--out=${out}`, ...RUN]);
  t.equal(r.status, 2);
  t.equal(r.stderr, `aae: ${join(data, 'train-images.npy')}: found shape (32, 192); --image-shape=8x8 expects 8x8 images: (N, 8, 8) or (N, 8, 8, 1) or (N, 64)\n`);
  r = cli(['train', '--image-shape=8x8x3', `--out=${out}`, ...RUN]);
  t.equal(r.status, 2);
  t.equal(r.stderr, "aae: --image-shape is for --data directories; MNIST's images are 28x28\n");
  r = cli(['train', `--data=${data}`, '--image-shape=8x8x3', '--augment=translate:8', '--model=unsupervised', `--out=${out}`, ...RUN]);
  t.equal(r.stderr, 'aae: --augment=translate:8: N must be in [1, 7] for 8x8x3 images\n');
  r = cli(['train', `--data=${data}`, '--image-shape=8x8x3', '--augment=translate:2', '--model=unsupervised', `--out=${out}`, ...RUN]);
  t.equal(r.status, 0, r.stderr.slice(-400));
  const config = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8'));
  t.same([config.model.image, config.model.augment, config.options.imageShape], [{ height: 8, width: 8, channels: 3 }, { translate: 2, height: 8, width: 8 }, { height: 8, width: 8, channels: 3 }]);
  const manifold = png(join(out, 'figures', 'manifold.png'));
  t.same([manifold.width, manifold.height, manifold.colorType], [20 * 9 + 1, 20 * 9 + 1, 2], 'manifold.png: 20 x 20 RGB tiles of 8 x 8');
  r = cli(['eval', out, '--backend=wasm', '--threads=1']);
  t.equal(r.status, 0, `eval reads the flat rows with the run's --image-shape: ${r.stderr.slice(-300)}`);
});
