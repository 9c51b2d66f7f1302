// The explorer of a run on 32 x 32 RGB images, in a real browser (Debian's chromium, headless, driven by
// playwright-core): the manifest carries the image shape, the page's canvases are 32 x 32, and the decoded image
// equals Node's decode of the same z and class in all three channels, to the 8-bit pixel; a drawing reaches Q as
// a 32 x 32 image with the same ink in every channel.
import { join } from 'node:path';
import t from 'tap';
import { createBackend } from '../../ts/backend/select.js';
import { loadRun } from '../../ts/explore/bundle.js';
import { type ExploreManifest } from '../../ts/explore/manifest.js';
import { decodeCodes } from '../../ts/models/codec.js';
import { writeColourShapes } from '../helpers/colour-shapes.js';
import { tempDir } from '../helpers/temp-dir.js';
import { CHROMIUM_FLAGS, buildPage, chromium, cli, serveRun } from './helpers.js';

const skip = chromium ? false : 'no chromium binary found (Debian: apt-get install chromium)';

/** The RGB bytes of canvas `selector` (alpha dropped) and its size. */
async function rgbOf(page: import('playwright-core').Page, selector: string): Promise<{ width: number; height: number; rgb: number[] }> {
  return page.evaluate((selector) => {
    const c = document.querySelector(selector) as HTMLCanvasElement;
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    return { width: c.width, height: c.height, rgb: Array.from(d.filter((_, i) => i % 4 !== 3)) };
  }, selector);
}

const maxDiff = (a: number[], b: number[]) => (a.length !== b.length ? Infinity : a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0));

t.test('a colour run: 32 x 32 RGB canvases that decode like Node', { skip }, async (t) => {
  buildPage();
  const data = tempDir(t, 'explore-colour-data');
  writeColourShapes(data, { nTrain: 64, nTest: 16, side: 32 });
  const dir = join(tempDir(t, 'explore-colour'), 'run');
  const r = cli('train', `--data=${data}`, '--model=cluster', '--clusters=2', '--hidden=32', '--epochs=1', '--steps-per-epoch=3', '--batch=16', '--validation=0', '--backend=wasm', '--quiet', `--out=${dir}`);
  t.equal(r.code, 0, r.err.slice(-300));
  const served = await serveRun(dir);
  t.teardown(() => {
    served.child.kill('SIGTERM');
  });
  const manifest = (await (await fetch(`${served.url}manifest.json`)).json()) as ExploreManifest;
  t.same([manifest.model.image, manifest.model.inFeatures], [{ height: 32, width: 32, channels: 3 }, 3072], 'the manifest carries the image shape');

  const { chromium: pw } = await import('playwright-core');
  const context = await pw.launchPersistentContext(tempDir(t, 'chromium'), { executablePath: chromium!, headless: true, args: CHROMIUM_FLAGS, viewport: { width: 1480, height: 900 } });
  t.teardown(() => context.close());
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(served.url);
  await page.waitForSelector('#status[data-ready], #status[data-error]', { timeout: 60_000 });
  t.equal(await page.getAttribute('#status', 'data-error'), null, `the page started: ${await page.textContent('#status')}`);

  const plane = (await page.locator('#plane').boundingBox())!;
  const before = Number(await page.getAttribute('#decoded', 'data-decodes'));
  await page.mouse.move(plane.x + plane.width * 0.7, plane.y + plane.height * 0.3, { steps: 4 });
  await page.waitForFunction((n) => Number(document.getElementById('decoded')!.dataset['decodes']) > n, before, { timeout: 30_000 });
  const z = JSON.parse((await page.getAttribute('#decoded', 'data-z'))!) as number[];
  const be = await createBackend('wasm', { threads: 1 });
  t.teardown(() => be.dispose());
  const { model } = loadRun(be, dir, 'last');
  const node = (c: number) => Array.from(decodeCodes(be, model, Float32Array.from(z), Float32Array.from([0, 1], (k) => (k === c ? 1 : 0))), (p) => Math.round(255 * Math.min(1, Math.max(0, p))));
  const decoded = await rgbOf(page, '#decoded');
  t.same([decoded.width, decoded.height], [32, 32], '#decoded is 32 x 32');
  t.ok(maxDiff(decoded.rgb, node(0)) <= 1, `#decoded equals Node's RGB decode of z with cluster 0 (max diff ${maxDiff(decoded.rgb, node(0))})`);
  const cell = await rgbOf(page, '#grid figure:nth-child(2) canvas');
  t.ok(maxDiff(cell.rgb, node(1)) <= 1, `the style/content cell of cluster 1 equals Node's decode (max diff ${maxDiff(cell.rgb, node(1))})`);

  const pad = (await page.locator('#draw').boundingBox())!;
  await page.mouse.move(pad.x + pad.width * 0.5, pad.y + pad.height * 0.2);
  await page.mouse.down();
  await page.mouse.move(pad.x + pad.width * 0.5, pad.y + pad.height * 0.8, { steps: 8 });
  await page.mouse.up();
  await page.waitForFunction(() => document.getElementById('seen')!.dataset['x'] !== undefined, undefined, { timeout: 30_000 });
  const x = JSON.parse((await page.getAttribute('#seen', 'data-x'))!) as number[];
  t.equal(x.length, 3072, 'Q sees the drawing as a 32 x 32 x 3 image');
  t.ok(x.some((v) => v > 0.5) && x.every((v, i) => v === x[i - (i % 3)]), 'white ink, the same in every channel');
  t.same(errors, [], 'no page errors');
});
