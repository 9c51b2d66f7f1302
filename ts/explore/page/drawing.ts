// The drawing pad: white strokes on a black canvas with the pointer (mouse, pen or touch). After each stroke segment
// (at most once a frame) it hands the drawing, as an MNIST-like image of the model's shape, to `onDrawing`.
import { type ImageShape } from '../../util/image-shape.js';
import { toImage } from './preprocess.js';

export class DrawingPad {
  readonly #ctx: CanvasRenderingContext2D;
  #last: [number, number] | undefined;
  #queued = false;

  // onDrawing receives x: (H * W * C) pixels of `shape` in [0, 1]
  constructor(
    readonly canvas: HTMLCanvasElement,
    readonly shape: ImageShape,
    readonly onDrawing: (x: Float32Array) => void,
  ) {
    this.#ctx = canvas.getContext('2d', { willReadFrequently: true })!;
    this.clear();
    canvas.addEventListener('pointerdown', (e) => {
      canvas.setPointerCapture(e.pointerId);
      this.#last = undefined;
      this.#stroke(this.#at(e));
    });
    canvas.addEventListener('pointermove', (e) => {
      if (e.buttons & 1) this.#stroke(this.#at(e));
    });
    canvas.addEventListener('pointerup', () => {
      this.#last = undefined;
    });
  }

  clear(): void {
    this.#ctx.fillStyle = '#000000';
    this.#ctx.fillRect(0, 0, this.canvas.width, this.canvas.height);
  }

  /** The pointer's position in canvas pixels. */
  #at(e: PointerEvent): [number, number] {
    const r = this.canvas.getBoundingClientRect();
    return [((e.clientX - r.left) * this.canvas.width) / r.width, ((e.clientY - r.top) * this.canvas.height) / r.height];
  }

  #stroke(to: [number, number]): void {
    const ctx = this.#ctx;
    ctx.strokeStyle = '#ffffff';
    ctx.lineWidth = this.canvas.width / 14; // about 2 pixels of 28, MNIST's pen
    ctx.lineCap = 'round';
    ctx.lineJoin = 'round';
    ctx.beginPath();
    ctx.moveTo(...(this.#last ?? to));
    ctx.lineTo(...to);
    ctx.stroke();
    this.#last = to;
    if (this.#queued) return;
    this.#queued = true;
    requestAnimationFrame(() => {
      this.#queued = false;
      const { width, height } = this.canvas;
      const rgba = this.#ctx.getImageData(0, 0, width, height).data;
      const ink = new Float32Array(width * height);
      for (let i = 0; i < ink.length; i++) ink[i] = rgba[4 * i]! / 255;
      const x = toImage(ink, { width, height, shape: this.shape });
      if (x) this.onDrawing(x);
    });
  }
}
