// The explorer page (bundled by scripts/build-explorer.mjs into build/explorer/explorer.js). It loads
// manifest.json, weights.bin and a browser build of the kernels from its own folder, builds the run's model on the
// single-threaded Wasm backend (ts/models/ on BrowserWasmBackend), then wires three panels:
// - the latent plane: the pointer sets two dimensions of z (sliders hold every dimension), decoded live;
// - for models whose decoder takes a class code: a class selector and the style/content row (every class
//   decoded in the current style z);
// - a drawing canvas: the drawing as Q sees it, its class probabilities (or, without a class head, the digits of
//   the nearest test codes), its code marked on the plane, and its reconstruction.
// Elements carry data-* attributes (the decoded z, the predicted class) that the browser test reads.
import { type Backend } from '../../backend/backend.js';
import { BrowserWasmBackend } from '../../backend/wasm/browser-backend.js';
import { type AdversarialAutoencoder } from '../../models/autoencoder.js';
import { decodeCodes, encodeImages } from '../../models/codec.js';
import { EXPLORE_FORMAT, type ExploreManifest } from '../manifest.js';
import { explorerModel } from '../weights.js';
import { DIGIT_COLOURS, LatentPlane } from './plane.js';
import { DrawingPad } from './drawing.js';
import { type ImageShape, imageSize, squareGreyShape } from '../../util/image-shape.js';

const NEIGHBOURS = 10;

function el<T extends HTMLElement>(id: string): T {
  const e = document.getElementById(id);
  if (!e) throw new Error(`explorer: index.html has no #${id}`);
  return e as T;
}

function make<K extends keyof HTMLElementTagNameMap>(tag: K, props: Partial<HTMLElementTagNameMap[K]> = {}, parent?: HTMLElement): HTMLElementTagNameMap[K] {
  const e = Object.assign(document.createElement(tag), props);
  parent?.appendChild(e);
  return e;
}

async function fetchBytes(file: string): Promise<ArrayBuffer> {
  const r = await fetch(file);
  if (!r.ok) throw new Error(`explorer: ${file}: HTTP ${r.status}`);
  return r.arrayBuffer();
}

/** The shape of the bundle's images: its manifest's, or square grey images for a bundle that does not say. */
function imageShapeOf(m: ExploreManifest['model']): ImageShape {
  return m.image ?? squareGreyShape(m.inFeatures) ?? { height: 1, width: m.inFeatures, channels: 1 };
}

/** Sizes an image canvas for `shape`: one canvas pixel per image pixel, shown 1.5x for MNIST and at least 42 px. */
function sizeCanvas(canvas: HTMLCanvasElement, shape: ImageShape): HTMLCanvasElement {
  canvas.width = shape.width;
  canvas.height = shape.height;
  const scale = (1.5 * Math.max(28, shape.height, shape.width)) / Math.max(shape.height, shape.width);
  canvas.style.width = `${Math.round(scale * shape.width)}px`;
  canvas.style.height = `${Math.round(scale * shape.height)}px`;
  return canvas;
}

// image: (H * W * C) in [0, 1], channels interleaved -> the canvas's H x W pixels (grey: white ink on black as MNIST)
function paint(canvas: HTMLCanvasElement, image: Float32Array, shape: ImageShape): void {
  const ctx = canvas.getContext('2d')!;
  const C = shape.channels;
  const pixels = ctx.createImageData(shape.width, shape.height);
  const byte = (v: number) => Math.round(255 * Math.min(1, Math.max(0, v)));
  for (let i = 0; i < shape.width * shape.height; i++) {
    const r = byte(image[i * C]!);
    pixels.data.set(C === 1 ? [r, r, r, 255] : [r, byte(image[i * C + 1]!), byte(image[i * C + 2]!), 255], 4 * i);
  }
  ctx.putImageData(pixels, 0, 0);
}

function digitCanvas(parent: HTMLElement, shape: ImageShape): HTMLCanvasElement {
  return sizeCanvas(make('canvas', { className: 'digit' }, parent), shape);
}

function oneHot(classes: number, c: number): Float32Array {
  const v = new Float32Array(classes);
  v[c] = 1;
  return v;
}

class Explorer {
  readonly m: ExploreManifest['model'];
  /** The shape of the model's images, and the values of one. */
  readonly shape: ImageShape;
  readonly size: number;
  readonly z: Float32Array; // (zDim): the code being decoded
  /** The decoder's class code for the main image (models with decoderClasses > 0). */
  chosenClass = 0;
  /** The drawing's code (zDim) and, with a class head, its class probabilities. */
  drawnCode: Float32Array | undefined;
  drawnClasses: Float32Array | undefined;
  readonly plane: LatentPlane;
  readonly sliders: HTMLInputElement[] = [];
  /** The style/content rows: every class in the current style z, and in the style of the drawing. */
  readonly grid: HTMLCanvasElement[] = [];
  readonly drawnGrid: HTMLCanvasElement[] = [];
  #pending = false;
  decodes = 0;

  constructor(
    readonly manifest: ExploreManifest,
    readonly be: Backend,
    readonly model: AdversarialAutoencoder,
  ) {
    this.m = manifest.model;
    this.shape = imageShapeOf(this.m);
    this.size = imageSize(this.shape);
    for (const id of ['decoded', 'seen', 'recon']) sizeCanvas(el<HTMLCanvasElement>(id), this.shape);
    this.z = new Float32Array(this.m.zDim);
    this.plane = new LatentPlane(el('plane'), { ...manifest.points, zDim: this.m.zDim }, 3 * this.m.priorStd);
    this.#status();
    this.#legend();
    this.#controls();
    this.#classes();
    this.#drawing();
    const plane = this.plane.canvas;
    const follow = (e: PointerEvent) => {
      const r = plane.getBoundingClientRect();
      const [a, b] = this.plane.fromPixel(((e.clientX - r.left) * plane.width) / r.width, ((e.clientY - r.top) * plane.height) / r.height);
      this.z[this.plane.axes[0]] = a;
      if (this.plane.axes[1] >= 0) this.z[this.plane.axes[1]] = b;
      this.update();
    };
    plane.addEventListener('pointermove', follow);
    plane.addEventListener('pointerdown', follow);
    this.update();
  }

  #status(): void {
    const m = this.m;
    const s = el('status');
    const classes = m.encoderClasses || m.decoderClasses;
    s.textContent = `${this.manifest.run} (${this.manifest.checkpoint} checkpoint): ${m.kind} model, z = ${m.zDim}` +
      `${classes ? `, ${classes} ${m.classWord === 'cluster' ? 'clusters' : 'classes'}` : ''}${m.heads ? ' (plane: the representation W_c y + z)' : ''}` +
      ` · ${this.manifest.points.z.length / m.zDim} test codes${this.manifest.points.labels.length > 0 ? '' : ' (unlabelled)'} · ${this.be.info().device}, in this tab`;
    s.dataset['ready'] = '1';
    if (this.manifest.runFiles) make('a', { href: 'run/report.html', textContent: 'training report' }, el('links'));
  }

  #legend(): void {
    if (this.manifest.points.labels.length === 0) return; // grey dots: nothing to key
    const legend = el('legend');
    DIGIT_COLOURS.forEach((colour, d) => {
      const item = make('span', { className: 'key' }, legend);
      make('span', { className: 'swatch' }, item).style.background = colour;
      item.append(String(d));
    });
  }

  /** One slider per dimension of z; for z > 2, two selectors choose the plane's axes. */
  #controls(): void {
    const box = el('sliders');
    const r = this.plane.extent;
    for (let d = 0; d < this.m.zDim; d++) {
      const row = make('label', { className: 'slider' }, box);
      row.append(`z${d} `);
      const input = make('input', { type: 'range', min: String(-r), max: String(r), step: String(r / 500), value: '0' }, row);
      const out = make('output', { value: '0.00' }, row);
      input.addEventListener('input', () => {
        this.z[d] = Number(input.value);
        out.value = this.z[d]!.toFixed(2);
        this.update();
      });
      this.sliders.push(input);
    }
    if (this.m.zDim <= 2) return;
    const axes = el('axes');
    axes.hidden = false;
    (['horizontal', 'vertical'] as const).forEach((name, k) => {
      const label = make('label', {}, axes);
      label.append(`${name} axis `);
      const select = make('select', { id: `axis-${k}` }, label);
      for (let d = 0; d < this.m.zDim; d++) make('option', { value: String(d), textContent: `z${d}` }, select);
      select.value = String(this.plane.axes[k]);
      select.addEventListener('change', () => {
        const other = this.plane.axes[1 - k]!;
        const d = Number(select.value);
        if (d === other) this.plane.axes[1 - k] = this.plane.axes[k]!; // swap rather than show one dimension twice
        this.plane.axes[k] = d;
        (el(`axis-${1 - k}`) as HTMLSelectElement).value = String(this.plane.axes[1 - k]);
        this.plane.drawDots();
        this.update();
      });
    });
  }

  /** The class selector and the style/content row, for decoders that take a class code. */
  #classes(): void {
    const Y = this.m.decoderClasses;
    if (Y === 0) return;
    el('classes').hidden = false;
    el('class-word').textContent = this.m.classWord;
    const picker = el('class-picker');
    const row = el('grid');
    for (let c = 0; c < Y; c++) {
      const button = make('button', { textContent: String(c), type: 'button' }, picker);
      button.dataset['class'] = String(c);
      button.addEventListener('click', () => {
        this.chosenClass = c;
        for (const b of Array.from(picker.querySelectorAll('button'))) b.classList.toggle('chosen', b === button);
        this.#reconstructDrawing();
        this.update();
      });
      if (c === 0) button.classList.add('chosen');
      for (const [parent, list] of [[row, this.grid], [el('grid-drawn'), this.drawnGrid]] as const) {
        const cell = make('figure', {}, parent);
        list.push(digitCanvas(cell, this.shape));
        make('figcaption', { textContent: String(c) }, cell);
      }
    }
  }

  /** Schedules one decode and redraw on the next frame (pointer events come faster than frames). */
  update(): void {
    if (this.#pending) return;
    this.#pending = true;
    requestAnimationFrame(() => {
      this.#pending = false;
      this.#render();
    });
  }

  #render(): void {
    const { zDim, decoderClasses: Y } = this.m;
    const rows = 1 + (Y > 0 ? Y : 0);
    const z = new Float32Array(rows * zDim);
    for (let r = 0; r < rows; r++) z.set(this.z, r * zDim);
    let codes: Float32Array | undefined;
    if (Y > 0) {
      codes = new Float32Array(rows * Y);
      codes.set(oneHot(Y, this.chosenClass), 0);
      for (let c = 0; c < Y; c++) codes.set(oneHot(Y, c), (c + 1) * Y);
    }
    const t0 = performance.now();
    const images = decodeCodes(this.be, this.model, z, codes);
    const ms = performance.now() - t0;
    this.decodes++;
    const decoded = el<HTMLCanvasElement>('decoded');
    const n = this.size;
    paint(decoded, images.subarray(0, n), this.shape);
    this.grid.forEach((canvas, c) => paint(canvas, images.subarray((c + 1) * n, (c + 2) * n), this.shape));
    decoded.dataset['z'] = JSON.stringify(Array.from(this.z));
    decoded.dataset['class'] = String(Y > 0 ? this.chosenClass : -1);
    decoded.dataset['decodes'] = String(this.decodes);
    decoded.dataset['ms'] = String(ms);
    el('z-readout').textContent = `z = (${Array.from(this.z, (v) => v.toFixed(2)).join(', ')})`;
    el('timing').textContent = `decoding ${rows} image${rows > 1 ? 's' : ''} took ${ms.toFixed(1)} ms (${Math.round(1000 / Math.max(ms, 0.01))} decodes/s possible)`;
    this.sliders.forEach((s, d) => {
      if (document.activeElement === s) return;
      s.value = String(this.z[d]);
      (s.nextElementSibling as HTMLOutputElement).value = this.z[d]!.toFixed(2);
    });
    this.plane.draw(this.z, this.drawnCode);
  }

  #drawing(): void {
    const pad = new DrawingPad(el('draw'), this.shape, (x) => this.#encodeDrawing(x));
    const clear = () => {
      pad.clear();
      this.drawnCode = undefined;
      this.drawnClasses = undefined;
      el('recon-caption').textContent = 'reconstruction';
      el('drawn-style').hidden = true;
      for (const id of ['seen', 'recon']) paint(el(id), new Float32Array(this.size), this.shape);
      const p = el('prediction');
      p.textContent = 'draw a digit above';
      delete p.dataset['class'];
      this.update();
    };
    clear();
    el('clear').addEventListener('click', clear);
    el('use-code').addEventListener('click', () => {
      if (!this.drawnCode) return;
      this.z.set(this.drawnCode);
      this.update();
    });
  }

  // x: (H * W * C) the drawing as an image of the model's shape
  #encodeDrawing(x: Float32Array): void {
    const seen = el<HTMLCanvasElement>('seen');
    paint(seen, x, this.shape);
    const { z, y } = encodeImages(this.be, this.model, x);
    seen.dataset['x'] = JSON.stringify(Array.from(x));
    seen.dataset['z'] = JSON.stringify(Array.from(z));
    this.drawnCode = z;
    this.drawnClasses = y;
    this.#reconstructDrawing();
    this.#prediction(z, y);
    this.update();
  }

  /** The drawing's reconstruction as the model makes it: with Q's class probabilities, or the chosen class (supervised). */
  #reconstructDrawing(): void {
    if (!this.drawnCode) return;
    const Y = this.m.decoderClasses;
    const y = this.drawnClasses;
    const classCode = Y === 0 ? undefined : y ?? oneHot(Y, this.chosenClass);
    paint(el('recon'), decodeCodes(this.be, this.model, this.drawnCode, classCode), this.shape);
    el('recon-caption').textContent = Y > 0 && !y ? `reconstruction as digit ${this.chosenClass}` : 'reconstruction';
    if (Y === 0) return;
    // Every class in the drawing's style: its z with each one-hot class code.
    const z = new Float32Array(Y * this.m.zDim);
    const codes = new Float32Array(Y * Y);
    for (let c = 0; c < Y; c++) {
      z.set(this.drawnCode, c * this.m.zDim);
      codes[c * Y + c] = 1;
    }
    const images = decodeCodes(this.be, this.model, z, codes);
    this.drawnGrid.forEach((canvas, c) => paint(canvas, images.subarray(c * this.size, (c + 1) * this.size), this.shape));
    el('drawn-style').hidden = false;
  }

  /** Q's class probabilities as bars, or the digits of the nearest test codes for models without a class head. */
  #prediction(z: Float32Array, y: Float32Array | undefined): void {
    const box = el('prediction');
    box.replaceChildren();
    if (y) {
      let best = 0;
      for (let c = 1; c < y.length; c++) if (y[c]! > y[best]!) best = c;
      box.dataset['class'] = String(best);
      make('p', { className: 'verdict', textContent: `predicted ${this.m.classWord}: ${best} (${(100 * y[best]!).toFixed(1)}%)` }, box);
      y.forEach((p, c) => {
        const row = make('div', { className: 'bar-row' }, box);
        make('span', { textContent: String(c) }, row);
        const bar = make('span', { className: 'bar' }, row);
        bar.style.width = `${(100 * p).toFixed(1)}%`;
        if (c === best) bar.classList.add('best');
      });
      return;
    }
    const { z: codes, labels } = this.manifest.points;
    const d = this.m.zDim;
    const nearest = labels
      .map((label, n) => {
        let dist = 0;
        for (let k = 0; k < d; k++) dist += (codes[n * d + k]! - z[k]!) ** 2;
        return { label, dist };
      })
      .sort((a, b) => a.dist - b.dist)
      .slice(0, NEIGHBOURS);
    if (nearest.length === 0) {
      box.textContent = `this ${this.m.kind} model's encoder has no class head, and there are no labelled test codes to compare with`;
      return;
    }
    const votes = new Array<number>(10).fill(0);
    for (const n of nearest) votes[n.label % 10]!++;
    const best = votes.indexOf(Math.max(...votes));
    box.dataset['class'] = String(best);
    make('p', { className: 'verdict', textContent: `nearest ${nearest.length} test codes: mostly digit ${best} (${votes[best]} of ${nearest.length})` }, box);
    make('p', { className: 'note', textContent: `this ${this.m.kind} model's encoder has no class head` }, box);
  }
}

async function start(): Promise<void> {
  const status = el('status');
  try {
    const [manifestResponse, weights, be] = await Promise.all([
      fetch('manifest.json'),
      fetchBytes('weights.bin'),
      BrowserWasmBackend.create(fetchBytes),
    ]);
    if (!manifestResponse.ok) throw new Error(`explorer: manifest.json: HTTP ${manifestResponse.status}`);
    const manifest = (await manifestResponse.json()) as ExploreManifest;
    if (manifest.format !== EXPLORE_FORMAT) throw new Error(`explorer: manifest.json has format ${manifest.format}, this page reads ${EXPLORE_FORMAT}; export it again`);
    // Batches of the largest call, one pass each: the decoded image and the style/content row (1 + classes images).
    const model = explorerModel(be, manifest, new Float32Array(weights), 1 + manifest.model.decoderClasses);
    new Explorer(manifest, be, model);
  } catch (e) {
    status.textContent = `could not start: ${(e as Error).message}`;
    status.dataset['error'] = '1';
  }
}

void start();
