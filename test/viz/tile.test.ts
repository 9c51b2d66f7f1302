// tile(): images of any H x W x C laid out as a grid with 1-pixel grey gaps; grey for C = 1, RGB for C = 3.
import t from 'tap';
import { tile } from '../../ts/viz/grids.js';

t.test('RGB images: H x W tiles of interleaved channels, grey gaps', async (t) => {
  const shape = { height: 2, width: 3, channels: 3 };
  // Image k: pixel (y, x) channel ch holds (k * 18 + (y * 3 + x) * 3 + ch) / 35.
  const images = Float32Array.from({ length: 2 * 18 }, (_, i) => i / 35);
  const img = tile(images, { rows: 1, cols: 2, shape });
  if (!('rgb' in img)) throw new Error('expected an RGB figure');
  t.same([img.width, img.height], [2 * 4 + 1, 4]);
  const at = (x: number, y: number) => [...img.rgb.subarray((y * img.width + x) * 3, (y * img.width + x) * 3 + 3)];
  const value = (k: number, y: number, x: number) => [0, 1, 2].map((ch) => Math.round((255 * (k * 18 + (y * 3 + x) * 3 + ch)) / 35));
  t.same(at(0, 0), [128, 128, 128], 'gap');
  t.same(at(1, 1), value(0, 0, 0), 'image 0, pixel (0, 0)');
  t.same(at(3, 2), value(0, 1, 2), 'image 0, pixel (1, 2)');
  t.same(at(4, 1), [128, 128, 128], 'gap between tiles');
  t.same(at(5, 2), value(1, 1, 0), 'image 1, pixel (1, 0)');
});

t.test('grey images stay grey; a missing image leaves its tile grey', async (t) => {
  const img = tile(Float32Array.of(0, 0.25, 0.5, 1), { rows: 1, cols: 2, shape: { height: 2, width: 2, channels: 1 } });
  if (!('pixels' in img)) throw new Error('expected a grey figure');
  t.same([img.width, img.height], [7, 4]);
  t.same(Array.from(img.pixels.subarray(img.width + 1, img.width + 3)), [0, 0.25]);
  t.same(Array.from(img.pixels.subarray(2 * img.width + 1, 2 * img.width + 3)), [0.5, 1]);
  t.same(Array.from(img.pixels.subarray(img.width + 4, img.width + 6)), [0.5, 0.5]);
});

t.test('other channel counts are refused, naming them', async (t) => {
  t.throws(() => tile(new Float32Array(8), { rows: 1, cols: 1, shape: { height: 2, width: 2, channels: 2 } }), { message: 'tile: images of 2 channels; figures draw 1 (grey) or 3 (RGB)' });
});
