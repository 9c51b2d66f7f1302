// The source tree's imports point down the layers of docs/architecture.md: no file imports itself back through
// others, and no module imports one of its own layer or one above it.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { findCycles, importGraph, moduleArrows } from './helpers/import-graph.js';

/** ts/'s modules from the top layer down (docs/architecture.md); a module imports only those of lower layers. */
const LAYERS: string[][] = [
  ['index'],
  ['cli'],
  ['explore', 'gpu'],
  ['run'],
  ['viz'],
  ['train'],
  ['models', 'data'],
  ['optim'],
  ['nn'],
  ['backend'],
  ['util', 'rng'],
];
const layerOf = new Map(LAYERS.flatMap((modules, i) => modules.map((m) => [m, i] as const)));

/** The imports of the tree at `root` that point to a module of the same or a higher layer. */
function upward(root: string): string[] {
  return moduleArrows(importGraph(root))
    .filter((a) => layerOf.has(a.from) && layerOf.has(a.to) && layerOf.get(a.to)! <= layerOf.get(a.from)!)
    .map((a) => `${a.line} (${a.from} -> ${a.to})`);
}

t.test('no file of ts/ imports itself back through other files', async (t) => {
  t.same(findCycles(importGraph('ts')).map((c) => c.join(' -> ')), []);
});

t.test('every module of ts/ is in a layer, and every import between modules points to a lower layer', async (t) => {
  const arrows = moduleArrows(importGraph('ts'));
  const unplaced = [...new Set(arrows.flatMap((a) => [a.from, a.to]))].filter((m) => !layerOf.has(m));
  t.same(unplaced, [], 'modules missing from LAYERS (and from the layer map of docs/architecture.md)');
  t.same(upward('ts'), [], 'imports to the same or a higher layer');
});

t.test('a loop and an upward import in a small tree are found', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'aae-layers-'));
  for (const dir of ['cli', 'explore']) mkdirSync(join(root, dir));
  writeFileSync(join(root, 'cli', 'args.ts'), "export const x = 1;\n");
  writeFileSync(join(root, 'cli', 'command.ts'), "import { y } from '../explore/server.js';\nexport const z = y;\n");
  writeFileSync(join(root, 'explore', 'server.ts'), "import {\n  x,\n} from '../cli/args.js';\nexport const y = x;\n");
  writeFileSync(join(root, 'explore', 'a.ts'), "export { b } from './b.js';\nexport const a = 1;\n");
  writeFileSync(join(root, 'explore', 'b.ts'), "import type { a } from './a.js';\nexport const b = 2;\n");
  const graph = importGraph(root);
  t.same(findCycles(graph), [['explore/a.ts', 'explore/b.ts', 'explore/a.ts']]);
  t.same(moduleArrows(graph).map((a) => a.line).sort(), ['cli/command.ts -> explore/server.ts', 'explore/server.ts -> cli/args.ts']);
  t.same(upward(root), ['explore/server.ts -> cli/args.ts (explore -> cli)']);
});
