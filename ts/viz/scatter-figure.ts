// The latent scatter as a figure: points coloured by class over grey prior samples in a square plot, with axes
// (tick marks and values, the axis names) and a legend of the colours (one entry per class present, and the prior).
import { GLYPH_HEIGHT, drawText, fillRect, textWidth } from './bitmap-font.js';
import { type RgbImage } from './png.js';
import { niceTicks } from './ticks.js';

type Rgb = readonly [number, number, number];

/** Ten distinguishable colours (matplotlib's tab10), one per class (class c mod 10). */
export const PALETTE: readonly Rgb[] = [
  [31, 119, 180], [255, 127, 14], [44, 160, 44], [214, 39, 40], [148, 103, 189],
  [140, 86, 75], [227, 119, 194], [127, 127, 127], [188, 189, 34], [23, 190, 207],
];
export const PRIOR_COLOR: Rgb = [215, 215, 215];
const INK: Rgb = [60, 60, 60];

const SCALE = 2; // font pixels are 2 x 2
const CHAR_HEIGHT = GLYPH_HEIGHT * SCALE;
const TICK = 5;
const GAP = 4;
const SWATCH = 12;
const LEGEND_ROW = 20;

export interface ScatterData {
  /** (n, 2) points, coloured by labels (n). */
  codes: Float64Array;
  labels: Uint8Array;
  /** (m, 2) prior samples drawn in grey under the points; empty for none. */
  prior: Float64Array;
  /** Names of the horizontal and vertical axes. */
  axisNames: [string, string];
}

export interface ScatterLayout {
  width: number;
  height: number;
  /** The square plot area in pixels; it shows [-range, range] on both axes. */
  plot: { left: number; top: number; size: number };
  range: number;
  /** Tick marks: pixel column (x) or row (y) and the value's label. */
  xTicks: { at: number; label: string }[];
  yTicks: { at: number; label: string }[];
  /** Legend rows: the swatch's top-left corner, its colour and the label drawn beside it. */
  legend: { x: number; y: number; color: Rgb; label: string }[];
}

/** Where everything of the figure goes, for a plot of size x size pixels. */
export function scatterLayout(data: ScatterData, size: number): ScatterLayout {
  let range = 1e-6;
  for (const v of data.codes) range = Math.max(range, Math.abs(v));
  for (const v of data.prior) range = Math.max(range, Math.abs(v));
  range *= 1.05;
  const ticks = niceTicks(-range, range, { count: 4 });
  const shown = ticks.values.map((v, i) => ({ v, label: ticks.labels[i]! })).filter(({ v }) => Math.abs(v) <= range);
  const labelWidth = Math.max(...shown.map((s) => textWidth(s.label, SCALE)));
  const left = GAP + labelWidth + GAP + TICK + 1;
  const top = GAP + CHAR_HEIGHT + GAP;
  const classes = [...new Set(data.labels)].sort((a, b) => a - b);
  const entries = [
    ...classes.map((c) => ({ color: PALETTE[c % PALETTE.length]!, label: String(c) })),
    ...(data.prior.length > 0 ? [{ color: PRIOR_COLOR, label: 'prior' }] : []),
  ];
  const legendLeft = left + size + 16;
  const legendWidth = SWATCH + 6 + Math.max(0, ...entries.map((e) => textWidth(e.label, SCALE))) + GAP;
  const bottom = 1 + TICK + GAP + CHAR_HEIGHT + GAP + CHAR_HEIGHT + GAP;
  return {
    width: legendLeft + legendWidth,
    height: Math.max(top + size + bottom, top + entries.length * LEGEND_ROW),
    plot: { left, top, size },
    range,
    xTicks: shown.map(({ v, label }) => ({ at: left + toPixel(v, range, size), label })),
    yTicks: shown.map(({ v, label }) => ({ at: top + toPixel(-v, range, size), label })),
    legend: entries.map((e, i) => ({ x: legendLeft, y: top + i * LEGEND_ROW, ...e })),
  };
}

/** Offset of value v in a plot of size pixels spanning [-range, range]. */
const toPixel = (v: number, range: number, size: number) => Math.round(((v + range) / (2 * range)) * (size - 1));

/** The figure: the plot of size x size pixels with its axes, tick values, axis names and legend. */
export function scatterFigure(data: ScatterData, size: number): RgbImage {
  const layout = scatterLayout(data, size);
  const { left, top } = layout.plot;
  const img: RgbImage = { width: layout.width, height: layout.height, rgb: new Uint8Array(layout.width * layout.height * 3).fill(255) };
  const dot = (x: number, y: number, color: Rgb) => {
    const cx = toPixel(x, layout.range, size);
    const cy = toPixel(-y, layout.range, size);
    for (let py = Math.max(0, cy - 1); py <= Math.min(size - 1, cy + 1); py++) {
      for (let px = Math.max(0, cx - 1); px <= Math.min(size - 1, cx + 1); px++) img.rgb.set(color, ((top + py) * img.width + left + px) * 3);
    }
  };
  for (let i = 0; i < data.prior.length / 2; i++) dot(data.prior[2 * i]!, data.prior[2 * i + 1]!, PRIOR_COLOR);
  for (let i = 0; i < data.codes.length / 2; i++) dot(data.codes[2 * i]!, data.codes[2 * i + 1]!, PALETTE[data.labels[i]! % PALETTE.length]!);
  // Axes on the plot's left and bottom edges, tick marks outside them.
  fillRect(img, left - 1, top, 1, size + 1, INK);
  fillRect(img, left - 1, top + size, size + 1, 1, INK);
  for (const { at, label } of layout.xTicks) {
    fillRect(img, at, top + size + 1, 1, TICK, INK);
    drawText(img, label, at - Math.floor(textWidth(label, SCALE) / 2), top + size + 1 + TICK + GAP, INK, SCALE);
  }
  for (const { at, label } of layout.yTicks) {
    fillRect(img, left - 1 - TICK, at, TICK, 1, INK);
    drawText(img, label, left - 1 - TICK - GAP - textWidth(label, SCALE), at - Math.floor(CHAR_HEIGHT / 2), INK, SCALE);
  }
  const [xName, yName] = data.axisNames;
  drawText(img, xName, left + Math.floor((size - textWidth(xName, SCALE)) / 2), top + size + 1 + TICK + GAP + CHAR_HEIGHT + GAP, INK, SCALE);
  drawText(img, yName, Math.max(0, left - Math.floor(textWidth(yName, SCALE) / 2)), GAP, INK, SCALE);
  for (const e of layout.legend) {
    fillRect(img, e.x, e.y, SWATCH, SWATCH, e.color);
    drawText(img, e.label, e.x + SWATCH + 6, e.y + Math.floor((SWATCH - CHAR_HEIGHT) / 2), INK, SCALE);
  }
  return img;
}
