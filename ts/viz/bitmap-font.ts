// A 5x7 pixel font for the labels drawn into PNG figures (tick values, axis names, legend entries): digits, the
// characters of numbers (- . + e) and the few letters the figures use.
import { type RgbImage } from './png.js';

const GLYPHS: Record<string, string> = {
  '0': '.###. #...# #..## #.#.# ##..# #...# .###.',
  '1': '..#.. .##.. ..#.. ..#.. ..#.. ..#.. .###.',
  '2': '.###. #...# ....# ...#. ..#.. .#... #####',
  '3': '##### ...#. ..#.. ...#. ....# #...# .###.',
  '4': '...#. ..##. .#.#. #..#. ##### ...#. ...#.',
  '5': '##### #.... ####. ....# ....# #...# .###.',
  '6': '..##. .#... #.... ####. #...# #...# .###.',
  '7': '##### ....# ...#. ..#.. .#... .#... .#...',
  '8': '.###. #...# #...# .###. #...# #...# .###.',
  '9': '.###. #...# #...# .#### ....# ...#. .##..',
  '-': '..... ..... ..... .###. ..... ..... .....',
  '.': '..... ..... ..... ..... ..... .##.. .##..',
  '+': '..... ..#.. ..#.. ##### ..#.. ..#.. .....',
  ' ': '..... ..... ..... ..... ..... ..... .....',
  c: '..... ..... .###. #.... #.... #...# .###.',
  e: '..... ..... .###. #...# ##### #.... .###.',
  i: '..#.. ..... .##.. ..#.. ..#.. ..#.. .###.',
  o: '..... ..... .###. #...# #...# #...# .###.',
  p: '..... ..... ####. #...# ####. #.... #....',
  r: '..... ..... #.##. ##..# #.... #.... #....',
  z: '..... ..... ##### ...#. ..#.. .#... #####',
};

export const GLYPH_WIDTH = 5;
export const GLYPH_HEIGHT = 7;

/** The characters the font has. */
export const FONT_CHARS = Object.keys(GLYPHS);

/** Width in pixels of text drawn at `scale` (one blank column between characters). */
export function textWidth(text: string, scale: number): number {
  return text.length === 0 ? 0 : (text.length * (GLYPH_WIDTH + 1) - 1) * scale;
}

/** Draws text with its top-left corner at (x, y), each font pixel a scale x scale square; clipped to the image. */
export function drawText(img: RgbImage, text: string, x: number, y: number, color: readonly [number, number, number], scale: number): void {
  [...text].forEach((ch, i) => {
    const glyph = GLYPHS[ch];
    if (glyph === undefined) throw new RangeError(`drawText: the figure font has no character ${JSON.stringify(ch)}`);
    const rows = glyph.split(' ');
    for (let gy = 0; gy < GLYPH_HEIGHT; gy++) {
      for (let gx = 0; gx < GLYPH_WIDTH; gx++) {
        if (rows[gy]![gx] !== '#') continue;
        fillRect(img, x + (i * (GLYPH_WIDTH + 1) + gx) * scale, y + gy * scale, scale, scale, color);
      }
    }
  });
}

/** Fills the w x h rectangle at (x, y), clipped to the image. */
export function fillRect(img: RgbImage, x: number, y: number, w: number, h: number, color: readonly [number, number, number]): void {
  for (let py = Math.max(0, y); py < Math.min(img.height, y + h); py++) {
    for (let px = Math.max(0, x); px < Math.min(img.width, x + w); px++) img.rgb.set(color, (py * img.width + px) * 3);
  }
}
