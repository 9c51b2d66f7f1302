// The explorer page as a set of named files: the built page (build/explorer/index.html and explorer.js, from
// scripts/build-explorer.mjs), the browser builds of the kernels (build/wasm/aae.browser.*.wasm) and one run's
// manifest.json and weights.bin. The server serves exactly these names; --export writes them to a folder.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BROWSER_BUILDS } from '../backend/wasm/browser-builds.js';
import { DataError } from '../data/idx.js';
import { type ExploreBundle } from './bundle.js';

export interface SiteFile {
  body: Uint8Array;
  type: string;
}

/** File name (no slashes) -> contents. */
export type Site = Map<string, SiteFile>;

/** build/ of the package: the same relative place from ts/explore/ (tsx) and dist/explore/. */
function buildDir(): string {
  return join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'build');
}

function read(file: string, fix: string): Uint8Array {
  if (!existsSync(file)) throw new DataError(`explore: ${file} is missing; ${fix}`);
  return new Uint8Array(readFileSync(file));
}

export function buildSite(bundle: ExploreBundle): Site {
  const page = join(buildDir(), 'explorer');
  const wasm = join(buildDir(), 'wasm');
  const fixPage = 'build the page with `npm run build:explorer` (npm run build does it)';
  const fixWasm = 'build the kernels with `npm run build:wasm` (npm run build does it)';
  const w = bundle.weights;
  const site: Site = new Map([
    ['index.html', { body: read(join(page, 'index.html'), fixPage), type: 'text/html; charset=utf-8' }],
    ['explorer.js', { body: read(join(page, 'explorer.js'), fixPage), type: 'text/javascript; charset=utf-8' }],
    ['manifest.json', { body: new TextEncoder().encode(JSON.stringify(bundle.manifest)), type: 'application/json' }],
    ['weights.bin', { body: new Uint8Array(w.buffer, w.byteOffset, w.byteLength), type: 'application/octet-stream' }],
  ]);
  for (const file of Object.values(BROWSER_BUILDS)) site.set(file, { body: read(join(wasm, file), fixWasm), type: 'application/wasm' });
  return site;
}
