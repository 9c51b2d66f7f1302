// The latent scatter figure: points in their class colours, axes with tick marks and values, and a legend naming
// every colour (the classes present, then the prior).
import t from 'tap';
import { FONT_CHARS, drawText, textWidth } from '../../ts/viz/bitmap-font.js';
import { type RgbImage } from '../../ts/viz/png.js';
import { PALETTE, PRIOR_COLOR, scatterFigure, scatterLayout } from '../../ts/viz/scatter-figure.js';

const pixel = (img: RgbImage, x: number, y: number) => [...img.rgb.subarray((y * img.width + x) * 3, (y * img.width + x) * 3 + 3)];
const dark = (img: RgbImage, x0: number, y0: number, x1: number, y1: number) => {
  let n = 0;
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) if (pixel(img, x, y).every((c) => c < 128)) n++;
  return n;
};

const data = {
  codes: Float64Array.from([1, 1, -1.5, 0.5, 0, -2]),
  labels: Uint8Array.from([3, 0, 7]),
  prior: Float64Array.from([0.5, -0.5]),
  axisNames: ['z1', 'z2'] as [string, string],
};

t.test('the legend has one entry per class present, in order, then the prior, each swatch in its colour', async (t) => {
  const layout = scatterLayout(data, 200);
  t.same(layout.legend.map((e) => e.label), ['0', '3', '7', 'prior']);
  t.same(layout.legend.map((e) => e.color), [PALETTE[0], PALETTE[3], PALETTE[7], PRIOR_COLOR]);
  const img = scatterFigure(data, 200);
  for (const e of layout.legend) {
    t.same(pixel(img, e.x + 6, e.y + 6), [...e.color], `swatch of ${e.label}`);
    t.ok(dark(img, e.x + 14, e.y - 2, e.x + 14 + textWidth(e.label, 2) + 2, e.y + 16) > 10, `label ${e.label} drawn beside it`);
  }
  t.notOk(scatterLayout({ ...data, prior: new Float64Array(0) }, 200).legend.some((e) => e.label === 'prior'), 'no prior entry without prior samples');
});

t.test('axes: nice tick values over the plotted range, each with a mark and its value drawn', async (t) => {
  const layout = scatterLayout(data, 200);
  t.equal(layout.range, 2 * 1.05);
  t.same(layout.xTicks.map((k) => k.label), ['-2', '-1', '0', '1', '2']);
  t.same(layout.yTicks.map((k) => k.label), ['-2', '-1', '0', '1', '2']);
  const { left, top, size } = layout.plot;
  t.equal(layout.xTicks[2]!.at, left + Math.round(0.5 * (size - 1)), 'x = 0 in the middle of the plot');
  t.ok(layout.yTicks[0]!.at > layout.yTicks[4]!.at, 'y grows upwards');
  const img = scatterFigure(data, 200);
  for (const { at, label } of layout.xTicks) {
    t.ok(pixel(img, at, top + size + 3).every((c) => c < 128), `x tick mark at ${label}`);
    t.ok(dark(img, at - 12, top + size + 9, at + 12, top + size + 25) > 10, `x tick value ${label} under it`);
  }
  for (const { at, label } of layout.yTicks) {
    t.ok(pixel(img, left - 3, at).every((c) => c < 128), `y tick mark at ${label}`);
    t.ok(dark(img, 0, at - 8, left - 8, at + 8) > 10, `y tick value ${label} left of it`);
  }
  t.ok(dark(img, left, top + size + 26, left + size, img.height) > 10, 'the x axis name');
  t.ok(dark(img, 0, 0, left + 20, top - 2) > 10, 'the y axis name');
});

t.test('points are drawn in their class colour where their values say, the prior in grey', async (t) => {
  const layout = scatterLayout(data, 200);
  const img = scatterFigure(data, 200);
  const at = (x: number, y: number) => [layout.plot.left + Math.round(((x + layout.range) / (2 * layout.range)) * 199), layout.plot.top + Math.round(((layout.range - y) / (2 * layout.range)) * 199)] as const;
  t.same(pixel(img, ...at(1, 1)), [...PALETTE[3]!]);
  t.same(pixel(img, ...at(-1.5, 0.5)), [...PALETTE[0]!]);
  t.same(pixel(img, ...at(0, -2)), [...PALETTE[7]!]);
  t.same(pixel(img, ...at(0.5, -0.5)), [...PRIOR_COLOR]);
});

t.test('the figure font: every character distinct, unknown characters refused', async (t) => {
  const bitmaps = FONT_CHARS.map((ch) => {
    const img: RgbImage = { width: 5, height: 7, rgb: new Uint8Array(5 * 7 * 3).fill(255) };
    drawText(img, ch, 0, 0, [0, 0, 0], 1);
    return Buffer.from(img.rgb).toString('hex');
  });
  t.equal(new Set(bitmaps).size, FONT_CHARS.length);
  t.equal(textWidth('-10', 2), 34);
  t.throws(() => drawText({ width: 5, height: 7, rgb: new Uint8Array(105) }, 'Q', 0, 0, [0, 0, 0], 1), /the figure font has no character "Q"/);
});
