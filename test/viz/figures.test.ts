// Figures: every model writes its PNGs, which decode (pngjs) to the expected sizes and are not blank; the latent
// scatter's PCA projection (z > 2) recovers the principal axes of a known distribution.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pngjs from 'pngjs';
import t from 'tap';
import { WasmBackend } from '../../ts/backend/wasm/wasm-backend.js';
import { type ModelKind, defaultConfig } from '../../ts/models/config.js';
import { Trainer } from '../../ts/train/trainer.js';
import { writeFigures } from '../../ts/viz/figures.js';
import { mnistSubset } from '../helpers/mnist-subset.js';
import { tempDir } from '../helpers/temp-dir.js';

// The scatter's 400 x 400 plot with axes below and left of it, a legend right of it: the width follows its tick labels.
const LATENT: [number, number] = [0, 22 + 400 + 46];

const expected: Record<ModelKind, Record<string, [number, number]>> = {
  unsupervised: { 'reconstructions.png': [291, 59], 'manifold.png': [581, 581], 'latent.png': LATENT },
  supervised: { 'reconstructions.png': [291, 59], 'style-content.png': [291, 291], 'latent.png': LATENT },
  semi: { 'reconstructions.png': [291, 59], 'style-content.png': [291, 291], 'latent.png': LATENT },
  cluster: { 'reconstructions.png': [291, 59], 'style-content.png': [16 * 29 + 1, 291], 'latent.png': LATENT },
  dimred: { 'reconstructions.png': [291, 59], 'latent.png': LATENT } };

t.test('each model writes its figures', async (t) => {
  const be = await WasmBackend.create({ threads: 2 });
  const data = mnistSubset(1000, 100);
  for (const kind of Object.keys(expected) as ModelKind[]) {
    const c = defaultConfig(kind);
    const trainer = new Trainer(be, data, { config: { ...c, hidden: 64 }, epochs: 1, seed: 1, labels: 100, validation: 100, protocol: 'balanced', maxStepsPerEpoch: 3 });
    trainer.run();
    const dir = join(tempDir(t, 'fig'), 'figures');
    t.same(writeFigures(be, trainer.model, data.test, dir).sort(), Object.keys(expected[kind]).sort(), `${kind}: files`);
    for (const [name, [width, height]] of Object.entries(expected[kind])) {
      const png = pngjs.PNG.sync.read(readFileSync(join(dir, name)));
      if (width === 0) t.ok(png.height === height && png.width >= 400 + 60, `${kind} ${name}: size ${png.width} x ${png.height}`);
      else t.same([png.width, png.height], [width, height], `${kind} ${name}: size`);
      const values = new Set<number>();
      for (let i = 0; i < png.data.length; i += 4) values.add((png.data[i]! << 16) | (png.data[i + 1]! << 8) | png.data[i + 2]!);
      // Decoded digits have many grey levels; the scatter has white, the prior's grey and the colours of the digits
      // whose dots are not hidden under others (after 3 iterations the codes still overlap).
      const least = name === 'latent.png' ? 4 : 20;
      t.ok(values.size >= least, `${kind} ${name}: ${values.size} distinct colours`);
    }
  }
  be.dispose();
});

t.test('PCA recovers the principal axes of an elongated cloud', async (t) => {
  const { principalAxes } = await import('../../ts/viz/scatter.js');
  // Points along (1, 1, 0)/sqrt(2) with spread 10, plus small noise along (0, 0, 1).
  const pts = new Float32Array(3 * 400);
  for (let i = 0; i < 400; i++) {
    const a = ((i % 40) - 20) * 0.5;
    const b = (Math.floor(i / 40) - 5) * 0.1;
    pts.set([a / Math.SQRT2 + 3, a / Math.SQRT2 - 1, b], 3 * i);
  }
  const { mean, axes } = principalAxes(pts, 3);
  const want = [3 - 0.25 / Math.SQRT2, -1 - 0.25 / Math.SQRT2, -0.05];
  t.ok(want.every((w, j) => Math.abs(mean[j]! - w) < 1e-6), `mean ${[...mean]} (from float32 points)`);
  t.ok(Math.abs(Math.abs(axes[0]![0]!) - Math.SQRT1_2) < 1e-3 && Math.abs(Math.abs(axes[0]![1]!) - Math.SQRT1_2) < 1e-3, `first axis ${[...axes[0]!]}`);
  t.ok(Math.abs(Math.abs(axes[1]![2]!) - 1) < 1e-3, `second axis ${[...axes[1]!]}`);
});
