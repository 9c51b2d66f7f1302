// `node --import tsx bench/explorer.ts [--out=DIR]`: how fast the latent-space explorer decodes, on a full-size
// semi-supervised model (Q and P 784-1000-1000, z = 2, 10 classes; weights from the initialisation: the same
// arithmetic as trained ones). What the page does per pointer move is one decode of 11 images (the z under the
// pointer with the chosen digit, and the style/content row of 10 digits); a drawing is one encode and one decode.
// 1. benny, in Node: the page's model (ts/explore/weights.ts explorerModel) on its backend (BrowserWasmBackend: the
//    browser build of the kernels, one thread), encoding and decoding through ts/models/codec.ts as the page does.
// 2. Headless chromium (when installed): the served page, 200 pointer moves over the plane; the page's own timing
//    of each decode (performance.now around decodeCodes) and the pointer-to-paint rate.
// Writes benny's JSON/CSV and summary.md (machine, command, load average, numbers) to bench/results/<date>-explorer/.
import { mkdtempSync, mkdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { join } from 'node:path';
import b from 'benny';
import { createBackend } from '../ts/backend/select.js';
import { BrowserWasmBackend } from '../ts/backend/wasm/browser-backend.js';
import { readWasmBuild } from '../ts/backend/wasm/loader.js';
import { loadMnist } from '../ts/data/mnist.js';
import { exploreBundle } from '../ts/explore/bundle.js';
import { startExploreServer } from '../ts/explore/server.js';
import { buildSite } from '../ts/explore/site.js';
import { explorerModel } from '../ts/explore/weights.js';
import { decodeCodes, encodeImages } from '../ts/models/codec.js';
import { defaultConfig } from '../ts/models/config.js';
import { createModel } from '../ts/models/create.js';
import { RngStream } from '../ts/rng.js';
import { writeFileAtomic } from '../ts/util/atomic.js';

const outFlag = process.argv.find((a) => a.startsWith('--out='));
const folder = outFlag ? outFlag.slice(6) : join('bench', 'results', `${new Date().toISOString().slice(0, 10)}-explorer`);
mkdirSync(folder, { recursive: true });
const load = () => os.loadavg().map((l) => l.toFixed(2)).join(' / ');
const loadBefore = load();

const be = await createBackend('wasm', { threads: 1 });
const data = loadMnist();
const model = createModel(be, defaultConfig('semi'), new RngStream(1));
const bundle = exploreBundle(be, model, data.test, { run: 'bench', checkpoint: 'last', points: 5000, runFiles: false });
be.dispose();

const page = await BrowserWasmBackend.create(readWasmBuild);
const simd = page.info().simd;
const pageModel = explorerModel(page, bundle.manifest, bundle.weights, 11); // the page's batch: 1 + classes
const oneHots = (n: number) => Float32Array.from({ length: n * 10 }, (_, i) => (i % 10 === Math.floor(i / 10) % 10 ? 1 : 0));
const z1 = Float32Array.of(0.5, -0.5);
const z11 = Float32Array.from({ length: 22 }, (_, i) => (i % 2 ? -0.5 : 0.5));
const drawing = data.test.images.slice(0, 784);

const summary = await b.suite(
  `explorer model in Node ${process.version} (${simd} SIMD, 1 thread)`,
  b.add('decode 1 image', () => {
    decodeCodes(page, pageModel, z1, oneHots(1));
  }),
  b.add('decode 11 images (pointer move: chosen digit + style/content row)', () => {
    decodeCodes(page, pageModel, z11, oneHots(11));
  }),
  b.add('encode 1 drawing + decode its reconstruction', () => {
    const { z, y } = encodeImages(page, pageModel, drawing);
    decodeCodes(page, pageModel, z, y);
  }),
  b.cycle(),
  b.save({ folder, file: 'explorer-node', format: 'json', details: true }),
  b.save({ folder, file: 'explorer-node', format: 'csv' }),
);

const chromium = ['chromium', 'chromium-browser', 'google-chrome'].map((x) => spawnSync('which', [x], { encoding: 'utf8' }).stdout.trim()).find((p) => p !== '');
let browserLines = ['(no chromium installed: browser rows skipped)'];
if (chromium) {
  const { chromium: pw } = await import('playwright-core');
  const server = await startExploreServer({ site: buildSite(bundle), port: 0 });
  const context = await pw.launchPersistentContext(mkdtempSync(join(os.tmpdir(), 'aae-bench-chromium-')), {
    executablePath: chromium,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
    viewport: { width: 1480, height: 900 },
  });
  const page = await context.newPage();
  await page.goto(server.url);
  await page.waitForSelector('#status[data-ready]', { timeout: 60_000 });
  const version = context.browser()?.version() ?? spawnSync(chromium, ['--version'], { encoding: 'utf8' }).stdout.trim();
  const plane = (await page.locator('#plane').boundingBox())!;
  const moves = 200;
  const ms: number[] = [];
  const t0 = performance.now();
  for (let i = 0; i < moves; i++) {
    const before = Number(await page.getAttribute('#decoded', 'data-decodes'));
    const a = 0.5 + 0.4 * Math.cos(i * 0.31);
    const c = 0.5 + 0.4 * Math.sin(i * 0.53);
    await page.mouse.move(plane.x + plane.width * a, plane.y + plane.height * c);
    await page.waitForFunction((n) => Number(document.getElementById('decoded')!.dataset['decodes']) > n, before);
    ms.push(Number(await page.getAttribute('#decoded', 'data-ms')));
  }
  const wall = (performance.now() - t0) / 1000;
  await context.close();
  await server.close();
  ms.sort((x, y) => x - y);
  const q = (p: number) => ms[Math.min(ms.length - 1, Math.floor(p * ms.length))]!;
  browserLines = [
    `Chromium ${version}, headless, the served page; ${moves} pointer moves over the plane, each waited for until painted:`,
    `- the page's decode of 11 images: median ${q(0.5).toFixed(2)} ms, p90 ${q(0.9).toFixed(2)} ms, max ${ms.at(-1)!.toFixed(2)} ms ` +
      `(performance.now() resolution in a non-isolated page: 0.1 ms) -> ${Math.round(1000 / Math.max(q(0.5), 0.1))} decodes/s possible at the median`,
    `- pointer move -> decode -> paint, driven from playwright: ${(moves / wall).toFixed(1)} per second (includes the driver's round trips and the 60 Hz frame wait)`,
  ];
}

const rows = summary.results.map((r) => `| ${r.name} | ${r.ops.toFixed(1)} ops/s | ${(1000 / r.ops).toFixed(2)} ms | ±${r.margin.toFixed(2)}% |`);
const text = [
  '# Explorer decode speed',
  '',
  `Command: \`node --import tsx bench/explorer.ts\`; ${new Date().toISOString()}`,
  `Machine: ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.availableParallelism()} cores, ${os.platform()} ${os.release()}, Node ${process.version}`,
  `Load average (1 / 5 / 15 min): ${loadBefore} before, ${load()} after (the machine is shared with other work)`,
  'Model: semi-supervised, Q and P 784-1000-1000, z = 2, 10 classes (3.6 MFLOP per decoded image)',
  '',
  `## Node, the page's model on its backend (the browser build, ${simd} SIMD, 1 thread), benny`,
  '',
  '| case | rate | per call | margin |',
  '| --- | --- | --- | --- |',
  ...rows,
  '',
  '## Browser',
  '',
  ...browserLines,
  '',
].join('\n');
writeFileAtomic(join(folder, 'summary.md'), text);
console.log(text);
