// scripts/build-explorer.mjs: the page bundles for the browser platform, where an import of a Node module fails the
// build, with the model code it runs (ts/models/ on the single-threaded Wasm backend) inside. Needs no browser.
import { readFileSync } from 'node:fs';
import t from 'tap';
import { buildPage } from '../explore/helpers.js';

t.test('the page bundles with the models and their backend, and no Node module', async (t) => {
  buildPage();
  const js = readFileSync('build/explorer/explorer.js', 'utf8');
  t.match(js, /var BrowserWasmBackend = class/, 'the single-threaded Wasm backend');
  t.match(js, /function createModel\(/, 'ts/models/create.ts');
  t.notMatch(js, /["']node:/, 'no Node module');
});
