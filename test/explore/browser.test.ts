// The explorer in a real browser (Debian's chromium, headless, driven by playwright-core): the page served by
// `explore` loads the run on the Wasm kernels; moving over the plane changes the decoded image, which equals Node's
// decode of the same z (and class) to the 8-bit pixel; the style/content row too; a drawing gets a class. The
// exported folder works from a plain static server (no COOP/COEP headers). Nothing is fetched from elsewhere.
// AAE_EXPLORER_SCREENSHOT=path writes a screenshot of the page (README's docs/figures/explorer.png), of the run in
// AAE_EXPLORER_RUN when given.
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { type AddressInfo } from 'node:net';
import { basename, join } from 'node:path';
import t from 'tap';
import { createBackend } from '../../ts/backend/select.js';
import { loadRun } from '../../ts/explore/bundle.js';
import { decodeCodes, encodeImages } from '../../ts/models/codec.js';
import { CHROMIUM_FLAGS, buildPage, chromium, cli, serveRun, trainRun } from './helpers.js';
import { tempDir } from '../helpers/temp-dir.js';

const skip = chromium ? false : 'no chromium binary found (Debian: apt-get install chromium)';

type Page = import('playwright-core').Page;

async function openBrowser(t: { teardown(fn: () => unknown): void }) {
  const { chromium: pw } = await import('playwright-core');
  const context = await pw.launchPersistentContext(tempDir(t, 'chromium'), {
    executablePath: chromium!,
    headless: true,
    args: CHROMIUM_FLAGS,
    viewport: { width: 1480, height: 900 } });
  t.teardown(() => context.close());
  return context;
}

/** Opens url, records every request and error, and waits until the page reports it is ready. */
async function openExplorer(context: Awaited<ReturnType<typeof openBrowser>>, url: string) {
  const page = await context.newPage();
  const requests: string[] = [];
  const errors: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  await page.goto(url);
  await page.waitForSelector('#status[data-ready], #status[data-error]', { timeout: 60_000 });
  return { page, requests, errors };
}

const pixels = (page: Page, id: string) =>
  page.evaluate((id) => {
    const c = document.getElementById(id) as HTMLCanvasElement;
    return Array.from(c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data.filter((_, i) => i % 4 === 0));
  }, id);

const decodes = (page: Page) => page.evaluate(() => Number(document.getElementById('decoded')!.dataset['decodes']));

async function waitForDecode(page: Page, after: number): Promise<void> {
  await page.waitForFunction((n) => Number(document.getElementById('decoded')!.dataset['decodes']) > n, after, { timeout: 30_000 });
}

/** Node's images of z (zDim) with each class code, as the page paints them (8-bit grey). */
function nodeImages(be: Awaited<ReturnType<typeof createBackend>>, model: ReturnType<typeof loadRun>['model'], z: number[], classes: number[]): number[][] {
  const Y = model.yDim;
  const zs = Float32Array.from(classes.flatMap(() => z));
  const codes = Y > 0 ? Float32Array.from(classes.flatMap((c) => Array.from({ length: Y }, (_, k) => (k === c ? 1 : 0)))) : undefined;
  const images = decodeCodes(be, model, zs, codes);
  return classes.map((_, i) => Array.from(images.subarray(i * 784, (i + 1) * 784), (p) => Math.round(255 * Math.min(1, Math.max(0, p)))));
}

function maxDiff(a: number[], b: number[]): number {
  return a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0);
}

t.test('the served page decodes like Node, follows the pointer and classifies a drawing', { skip }, async (t) => {
  buildPage();
  const dir = process.env['AAE_EXPLORER_RUN'] ?? trainRun(t, 'semi');
  const served = await serveRun(dir);
  t.teardown(() => {
    served.child.kill('SIGTERM');
  });
  const context = await openBrowser(t);
  const { page, requests, errors } = await openExplorer(context, served.url);
  t.equal(await page.getAttribute('#status', 'data-error'), null, `the page started: ${await page.textContent('#status')}`);
  t.match(await page.textContent('#status'), /semi model, z = 2, 10 classes · \d+ test codes · WebAssembly relaxed SIMD, 1 thread/);
  t.equal(await page.evaluate(() => crossOriginIsolated), false, 'no cross-origin isolation needed');

  const be = await createBackend('wasm', { threads: 1 });
  t.teardown(() => be.dispose());
  const { model } = loadRun(be, dir, 'last');

  const before = await pixels(page, 'decoded');
  const plane = (await page.locator('#plane').boundingBox())!;
  let n = await decodes(page);
  await page.mouse.move(plane.x + plane.width * 0.3, plane.y + plane.height * 0.75, { steps: 4 });
  await waitForDecode(page, n);
  const z = JSON.parse((await page.getAttribute('#decoded', 'data-z'))!) as number[];
  t.ok(z[0]! < 0 && z[1]! < 0, `the pointer left of and below the centre gives z < 0 (z = ${z})`);
  const after = await pixels(page, 'decoded');
  t.ok(maxDiff(before, after) > 20, 'moving over the plane changes the decoded image');
  const want = nodeImages(be, model, z, [0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  t.ok(maxDiff(after, want[0]!) <= 1, `the decoded image equals Node's decode of z with class 0 (max pixel diff ${maxDiff(after, want[0]!)})`);
  const grid = await page.evaluate(() => Array.from(document.querySelectorAll('#grid canvas')).map((c) => {
    const d = (c as HTMLCanvasElement).getContext('2d')!.getImageData(0, 0, 28, 28).data;
    return Array.from(d.filter((_, i) => i % 4 === 0));
  }));
  t.equal(grid.length, 10, 'a style/content row of 10 digits');
  t.ok(grid.every((g, c) => maxDiff(g, want[c + 1]!) <= 1), 'each digit of the row equals Node\'s decode of (z, that digit)');

  n = await decodes(page);
  await page.click('#class-picker button[data-class="3"]');
  await waitForDecode(page, n);
  t.equal(await page.getAttribute('#decoded', 'data-class'), '3');
  const three = nodeImages(be, model, JSON.parse((await page.getAttribute('#decoded', 'data-z'))!) as number[], [3])[0]!;
  t.ok(maxDiff(await pixels(page, 'decoded'), three) <= 1, 'choosing digit 3 decodes (z, 3) as Node does');

  const pad = (await page.locator('#draw').boundingBox())!;
  const strokes: [number, number][] = [[0.25, 0.2], [0.75, 0.2], [0.45, 0.85]]; // a 7
  await page.mouse.move(pad.x + pad.width * strokes[0]![0], pad.y + pad.height * strokes[0]![1]);
  await page.mouse.down();
  for (const [x, y] of strokes.slice(1)) await page.mouse.move(pad.x + pad.width * x, pad.y + pad.height * y, { steps: 12 });
  await page.mouse.up();
  await page.waitForSelector('#prediction[data-class]', { timeout: 30_000 });
  const verdict = await page.textContent('#prediction .verdict');
  t.match(verdict, /^predicted digit: \d \(\d+\.\d%\)$/, `a class is shown: ${verdict}`);
  t.equal(await page.locator('#prediction .bar').count(), 10, 'a probability bar per class');
  t.ok((await pixels(page, 'seen')).some((v) => v > 200), 'the drawing, as Q sees it, is shown');
  t.ok((await pixels(page, 'recon')).some((v) => v > 50), 'and its reconstruction');
  // The page's encoding of its input equals Node's encoding of the same pixels.
  const x = Float32Array.from(JSON.parse((await page.getAttribute('#seen', 'data-x'))!) as number[]);
  const drawnZ = JSON.parse((await page.getAttribute('#seen', 'data-z'))!) as number[];
  const node = encodeImages(be, model, x);
  t.ok(Math.max(...drawnZ.map((v, i) => Math.abs(v - node.z[i]!))) <= 1e-5, `the drawing's code equals Node's (${drawnZ} vs ${Array.from(node.z)})`);
  const nodeClass = node.y!.indexOf(Math.max(...node.y!));
  t.equal(await page.getAttribute('#prediction', 'data-class'), String(nodeClass), 'and so does its class');
  t.ok(await page.isVisible('#drawn-style'), 'every digit in the drawing\'s style is shown');
  const drawnGrid = await page.evaluate(() => Array.from(document.querySelectorAll('#grid-drawn canvas')).map((c) => {
    const d = (c as HTMLCanvasElement).getContext('2d')!.getImageData(0, 0, 28, 28).data;
    return Array.from(d.filter((_, i) => i % 4 === 0));
  }));
  const inStyle = nodeImages(be, model, drawnZ, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  t.ok(drawnGrid.length === 10 && drawnGrid.every((g, c) => maxDiff(g, inStyle[c]!) <= 1), 'each equals Node\'s decode of (the drawing\'s z, that digit)');

  if (process.env['AAE_EXPLORER_SCREENSHOT']) {
    await page.mouse.move(plane.x + plane.width * 0.58, plane.y + plane.height * 0.4, { steps: 3 });
    await page.waitForTimeout(300);
    const { width, height } = await page.evaluate(() => {
      const sections = Array.from(document.querySelectorAll('section')).map((s) => s.getBoundingClientRect());
      return { width: Math.max(...sections.map((r) => r.right)) + 24, height: Math.max(...sections.map((r) => r.bottom)) + 16 };
    });
    await page.screenshot({ path: process.env['AAE_EXPLORER_SCREENSHOT'], clip: { x: 0, y: 0, width, height } });
  }
  const origin = new URL(served.url).origin;
  t.same(requests.filter((u) => !u.startsWith(origin + '/')), [], 'every request goes to the explorer\'s own server');
  t.same(errors, [], 'no errors in the page');
});

t.test('the exported folder works from a plain static server', { skip }, async (t) => {
  buildPage();
  const run = trainRun(t, 'unsupervised', ['--z=3']);
  const out = join(tempDir(t, 'export'), 'site');
  const r = cli('explore', run, `--export=${out}`, '--points=500');
  t.equal(r.code, 0, r.err);
  // A static file server that knows nothing about the explorer: a name in the folder, or 404.
  const types: Record<string, string> = { html: 'text/html', js: 'text/javascript', wasm: 'application/wasm', json: 'application/json' };
  const server = createServer((req, res) => {
    const name = basename(req.url === '/' ? 'index.html' : req.url!.slice(1));
    readFile(join(out, name)).then(
      (body) => res.writeHead(200, { 'Content-Type': types[name.split('.').pop()!] ?? 'application/octet-stream' }).end(body),
      () => res.writeHead(404).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  const context = await openBrowser(t);
  const { page, errors } = await openExplorer(context, url);
  t.match(await page.textContent('#status'), /unsupervised model, z = 3 · 500 test codes/);
  t.equal(await page.locator('#links a').count(), 0, 'no link to run files the export does not have');
  t.equal(await page.locator('#sliders input').count(), 3, 'a slider per dimension of z');
  t.ok(await page.isVisible('#axes'), 'axis selectors for z > 2');
  t.notOk(await page.isVisible('#classes'), 'no class selector for a decoder without a class code');
  const plane = (await page.locator('#plane').boundingBox())!;
  const n = await decodes(page);
  await page.mouse.move(plane.x + plane.width * 0.8, plane.y + plane.height * 0.2, { steps: 3 });
  await waitForDecode(page, n);
  const z = JSON.parse((await page.getAttribute('#decoded', 'data-z'))!) as number[];
  t.ok(z[0]! > 0 && z[1]! > 0 && z[2] === 0, `the pointer sets z0 and z1 (z = ${z})`);
  await page.selectOption('#axis-1', '2');
  const m = await decodes(page);
  await page.mouse.move(plane.x + plane.width * 0.8, plane.y + plane.height * 0.8, { steps: 3 });
  await waitForDecode(page, m);
  const z2 = JSON.parse((await page.getAttribute('#decoded', 'data-z'))!) as number[];
  t.ok(z2[2]! < 0 && z2[1] === z[1], `with z2 on the vertical axis the pointer sets z2 (z = ${z2})`);

  const pad = (await page.locator('#draw').boundingBox())!;
  await page.mouse.move(pad.x + pad.width * 0.5, pad.y + pad.height * 0.15);
  await page.mouse.down();
  await page.mouse.move(pad.x + pad.width * 0.5, pad.y + pad.height * 0.85, { steps: 10 }); // a 1
  await page.mouse.up();
  await page.waitForSelector('#prediction[data-class]', { timeout: 30_000 });
  t.match(await page.textContent('#prediction .verdict'), /^nearest 10 test codes: mostly digit \d \(\d+ of 10\)$/, 'without a class head: the digits of the nearest codes');
  t.same(errors, [], 'no errors in the page');
});

for (const kind of ['cluster', 'dimred'] as const) {
  t.test(`${kind} model: the page decodes like Node and classifies a drawing`, { skip }, async (t) => {
    buildPage();
    const dir = trainRun(t, kind);
    const served = await serveRun(dir, '--points=1000');
    t.teardown(() => {
      served.child.kill('SIGTERM');
    });
    const context = await openBrowser(t);
    const { page, errors } = await openExplorer(context, served.url);
    const status = await page.textContent('#status');
    t.match(status, kind === 'cluster' ? /cluster model, z = 2, 16 clusters/ : /dimred model, z = 2, 10 classes \(plane: the representation W_c y \+ z\)/);
    const be = await createBackend('wasm', { threads: 1 });
    t.teardown(() => be.dispose());
    const { model } = loadRun(be, dir, 'last');
    const plane = (await page.locator('#plane').boundingBox())!;
    const n = await decodes(page);
    await page.mouse.move(plane.x + plane.width * 0.7, plane.y + plane.height * 0.35, { steps: 3 });
    await waitForDecode(page, n);
    const z = JSON.parse((await page.getAttribute('#decoded', 'data-z'))!) as number[];
    const want = nodeImages(be, model, z, [0])[0]!;
    t.ok(maxDiff(await pixels(page, 'decoded'), want) <= 1, `the decoded image equals Node's (max pixel diff ${maxDiff(await pixels(page, 'decoded'), want)})`);
    t.equal(await page.locator('#grid canvas').count(), model.yDim, `a style/content row of ${model.yDim}`);
    const pad = (await page.locator('#draw').boundingBox())!;
    await page.mouse.move(pad.x + pad.width * 0.5, pad.y + pad.height * 0.15);
    await page.mouse.down();
    await page.mouse.move(pad.x + pad.width * 0.5, pad.y + pad.height * 0.85, { steps: 10 });
    await page.mouse.up();
    await page.waitForSelector('#prediction[data-class]', { timeout: 30_000 });
    const word = kind === 'cluster' ? 'cluster' : 'digit';
    t.match(await page.textContent('#prediction .verdict'), new RegExp(`^predicted ${word}: \\d+ \\(\\d+\\.\\d%\\)$`), 'a class is shown');
    t.same(errors, [], 'no errors in the page');
  });
}
