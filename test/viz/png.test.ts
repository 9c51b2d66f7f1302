// PNG encoding: RGB figures of at most 256 colours are written as indexed-colour PNGs, others as RGB; both decode
// (pngjs, an independent reader) to exactly the pixels written.
import pngjs from 'pngjs';
import t from 'tap';
import { encodePng, type RgbImage } from '../../ts/viz/png.js';

function image(width: number, height: number, colours: number): RgbImage {
  const rgb = new Uint8Array(3 * width * height);
  for (let p = 0; p < width * height; p++) {
    const c = (p * 7919) % colours;
    rgb.set([c & 0xff, (c >> 3) & 0xff, 255 - (c & 0xff)], 3 * p);
  }
  return { width, height, rgb };
}

function decoded(png: Uint8Array): { colorType: number; rgb: Uint8Array } {
  const read = pngjs.PNG.sync.read(Buffer.from(png));
  const rgb = new Uint8Array(3 * read.width * read.height);
  for (let p = 0; p < read.width * read.height; p++) rgb.set(read.data.subarray(4 * p, 4 * p + 3), 3 * p);
  return { colorType: (read as unknown as { colorType: number }).colorType, rgb };
}

for (const [colours, colorType] of [[1, 3], [13, 3], [256, 3], [257, 2], [600, 2]] as const) {
  t.test(`${colours} colours: colour type ${colorType}, the pixels exactly`, async (t) => {
    const img = image(37, 23, colours);
    const out = decoded(encodePng(img));
    t.equal(out.colorType, colorType);
    t.same(out.rgb, img.rgb);
  });
}

t.test('a scatter-like image of a dozen colours takes far fewer bytes indexed than as RGB', async (t) => {
  const img = image(400, 400, 12);
  const rgbPng = pngjs.PNG.sync.write(Object.assign(new pngjs.PNG({ width: 400, height: 400, colorType: 2, inputColorType: 2, inputHasAlpha: false }), { data: Buffer.from(img.rgb) }), { colorType: 2, inputColorType: 2, inputHasAlpha: false });
  t.ok(encodePng(img).length < rgbPng.length / 2, `${encodePng(img).length} vs ${rgbPng.length}`);
});
