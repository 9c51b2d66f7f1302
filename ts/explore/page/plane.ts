// The latent plane: a canvas showing two dimensions (axes) of z over [-extent, extent]^2, the test codes as dots
// coloured by digit, a cross-hair at the z being decoded and a ring at the code of the drawing.

export const DIGIT_COLOURS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];

export interface PlanePoints {
  z: ArrayLike<number>; // (N, zDim)
  labels: ArrayLike<number>; // (N), or empty: dots drawn grey
  zDim: number;
}

export class LatentPlane {
  /** The dimensions of z on the horizontal and vertical axes (vertical -1 when z is one-dimensional). */
  axes: [number, number];
  readonly extent: number;
  readonly #dots: HTMLCanvasElement;

  constructor(
    readonly canvas: HTMLCanvasElement,
    readonly points: PlanePoints,
    fallbackExtent: number,
  ) {
    this.axes = [0, points.zDim > 1 ? 1 : -1];
    // Wide enough for 99% of the code values, so that a few outliers do not shrink the plane.
    const far = Array.from(points.z, Math.abs).sort((a, b) => a - b)[Math.floor(0.99 * (points.z.length - 1))] ?? 0;
    this.extent = Number((far > 0 ? far * 1.2 : fallbackExtent).toPrecision(2));
    this.#dots = document.createElement('canvas');
    this.#dots.width = canvas.width;
    this.#dots.height = canvas.height;
    this.drawDots();
  }

  /** Canvas pixel of the code (a, b) on the axes. */
  toPixel(a: number, b: number): [number, number] {
    const { width, height } = this.canvas;
    return [((a / this.extent + 1) / 2) * width, ((1 - b / this.extent) / 2) * height];
  }

  /** The code (a, b) on the axes at canvas pixel (x, y). */
  fromPixel(x: number, y: number): [number, number] {
    const { width, height } = this.canvas;
    return [((2 * x) / width - 1) * this.extent, (1 - (2 * y) / height) * this.extent];
  }

  /** Redraws the dot layer (after the axes change). */
  drawDots(): void {
    const ctx = this.#dots.getContext('2d')!;
    const { width, height } = this.#dots;
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, width, height);
    ctx.strokeStyle = '#dddddd';
    ctx.beginPath();
    ctx.moveTo(width / 2, 0);
    ctx.lineTo(width / 2, height);
    ctx.moveTo(0, height / 2);
    ctx.lineTo(width, height / 2);
    ctx.stroke();
    const { z, labels, zDim } = this.points;
    const [i, j] = this.axes;
    ctx.globalAlpha = 0.55;
    for (let n = 0; n < z.length / zDim; n++) {
      const [x, y] = this.toPixel(z[n * zDim + i]!, j < 0 ? 0 : z[n * zDim + j]!);
      ctx.fillStyle = labels.length > 0 ? DIGIT_COLOURS[labels[n]! % DIGIT_COLOURS.length]! : '#888888';
      ctx.fillRect(x - 1.5, y - 1.5, 3, 3);
    }
    ctx.globalAlpha = 1;
  }

  /** The dots, a cross-hair at `current` and a ring at `drawn` (full z vectors). */
  draw(current: Float32Array, drawn: Float32Array | undefined): void {
    const ctx = this.canvas.getContext('2d')!;
    ctx.drawImage(this.#dots, 0, 0);
    const at = (z: Float32Array) => this.toPixel(z[this.axes[0]]!, this.axes[1] < 0 ? 0 : z[this.axes[1]]!);
    const [x, y] = at(current);
    ctx.strokeStyle = '#000000';
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    ctx.moveTo(x - 9, y);
    ctx.lineTo(x + 9, y);
    ctx.moveTo(x, y - 9);
    ctx.lineTo(x, y + 9);
    ctx.stroke();
    if (drawn) {
      const [dx, dy] = at(drawn);
      ctx.strokeStyle = '#d62728';
      ctx.lineWidth = 3;
      ctx.beginPath();
      ctx.arc(dx, dy, 8, 0, 2 * Math.PI);
      ctx.stroke();
    }
  }
}
