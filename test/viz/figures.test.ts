// Figures: every model writes its PNGs, which decode (pngjs) to the expected sizes and are not blank.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pngjs from 'pngjs';
import t from 'tap';
import { WasmBackend } from '../../ts/backend/wasm/wasm-backend.js';
import { type ModelKind, defaultConfig } from '../../ts/models/config.js';
import { Trainer } from '../../ts/train/trainer.js';
import { writeFigures } from '../../ts/viz/figures.js';
import { mnistSubset } from '../helpers/mnist-subset.js';

const expected: Record<ModelKind, Record<string, [number, number]>> = {
  unsupervised: { 'reconstructions.png': [291, 59], 'manifold.png': [581, 581] },
  supervised: { 'reconstructions.png': [291, 59], 'style-content.png': [291, 291] },
  semi: { 'reconstructions.png': [291, 59], 'style-content.png': [291, 291] },
  cluster: { 'reconstructions.png': [291, 59], 'style-content.png': [16 * 29 + 1, 291] },
};

t.test('each model writes its figures', async (t) => {
  const be = await WasmBackend.create({ threads: 2 });
  const data = mnistSubset(1000, 100);
  for (const kind of Object.keys(expected) as ModelKind[]) {
    const c = defaultConfig(kind);
    const trainer = new Trainer(be, data, { config: { ...c, hidden: 64 }, epochs: 1, seed: 1, labels: 100, validation: 100, protocol: 'balanced', maxStepsPerEpoch: 3 });
    trainer.run();
    const dir = join(mkdtempSync(join(tmpdir(), 'aae-fig-')), 'figures');
    t.same(writeFigures(be, trainer.model, data.test, dir).sort(), Object.keys(expected[kind]).sort(), `${kind}: files`);
    for (const [name, [width, height]] of Object.entries(expected[kind])) {
      const png = pngjs.PNG.sync.read(readFileSync(join(dir, name)));
      t.same([png.width, png.height], [width, height], `${kind} ${name}: size`);
      const values = new Set<number>();
      for (let i = 0; i < png.data.length; i += 4) values.add(png.data[i]!);
      t.ok(values.size > 20, `${kind} ${name}: ${values.size} grey levels`);
    }
  }
  be.dispose();
});
