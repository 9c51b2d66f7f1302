// Q and P of a trained model on the page's Wasm kernels, in evaluation mode (no dropout), exactly the layers of
// ts/models/ (Linear = one gemm with bias and activation fused; Q's class head followed by softmax):
//   encode: x (n, inFeatures) -> Q.lin1..lin{d} (relu) -> Q.lin{d+1}gauss -> z, and Q.lin{d+1}cat -> softmax -> y;
//           the dimred model then returns its representation r = y W_c^T + z in place of z (what P decodes)
//   decode: [y, z] (n, yDim + zDim) -> P.lin1..lin{d} (relu) -> P.lin{d+1} (sigmoid) -> images (n, inFeatures)
// Weights are copied into the kernels' memory once; inputs are processed in batches of at most `maxBatch` rows.
import { type ExploreManifest, type ExploreModel } from '../manifest.js';
import { Kernels, type Simd } from './kernels.js';

interface Layer {
  name: string;
  w: number; // (out, in)
  b: number; // (out)
  inFeatures: number;
  outFeatures: number;
  act: 0 | 1 | 2;
}

export interface Codes {
  z: Float32Array; // (n, zDim)
  /** (n, encoderClasses): Q's class probabilities, for models with a class head. */
  y?: Float32Array;
}

export class ModelRunner {
  readonly model: ExploreModel;
  readonly maxBatch: number;
  readonly #k: Kernels;
  readonly #trunk: Layer[];
  readonly #zHead: Layer;
  readonly #yHead: Layer | undefined;
  /** The dimred model's cluster heads W_c: (zDim, encoderClasses). */
  readonly #heads: number | undefined;
  readonly #decoder: Layer[];
  /** Activation buffers, each (maxBatch, width): the input, two ping-pong hidden buffers, the heads, the output. */
  readonly #x: number;
  readonly #h: [number, number];
  readonly #z: number;
  readonly #logits: number;
  readonly #y: number;
  readonly #pIn: number;
  readonly #out: number;

  // weights: the float32 values of weights.bin; module: a browser build of the kernels (kernels.ts)
  constructor(o: { manifest: ExploreManifest; weights: Float32Array; module: WebAssembly.Module; simd: Simd; maxBatch?: number }) {
    const m = o.manifest.model;
    this.model = m;
    this.maxBatch = o.maxBatch ?? 32;
    const B = this.maxBatch;
    const pWidth = m.decoderClasses + m.zDim;
    const widest = Math.max(m.hidden, m.inFeatures, pWidth);
    const tensors = new Map(o.manifest.tensors.map((t) => [t.name, t]));
    this.#k = new Kernels(o.module, o.simd);
    const k = this.#k;

    const upload = (name: string, shape: number[]): number => {
      const t = tensors.get(name);
      if (!t) throw new Error(`explorer: manifest.json has no tensor ${name} (a ${m.kind} model with depth ${m.depth} needs it)`);
      if (t.shape.join(',') !== shape.join(',')) throw new Error(`explorer: tensor ${name} has shape [${t.shape}], expected [${shape}]`);
      const n = shape.reduce((a, b) => a * b, 1);
      if (t.offset + n > o.weights.length) throw new Error(`explorer: tensor ${name} lies past the end of weights.bin (${o.weights.length} floats)`);
      const ptr = k.alloc(4 * n);
      k.f32(ptr, n).set(o.weights.subarray(t.offset, t.offset + n));
      return ptr;
    };
    const layer = (name: string, inFeatures: number, outFeatures: number, act: 0 | 1 | 2): Layer => ({
      name,
      w: upload(`${name}.weight`, [outFeatures, inFeatures]),
      b: upload(`${name}.bias`, [outFeatures]),
      inFeatures,
      outFeatures,
      act,
    });
    const stack = (prefix: string, inFeatures: number): { layers: Layer[]; width: number } => {
      const layers: Layer[] = [];
      let width = inFeatures;
      for (let i = 1; i <= m.depth; i++) {
        layers.push(layer(`${prefix}.lin${i}`, width, m.hidden, 1));
        width = m.hidden;
      }
      return { layers, width };
    };
    const out = `lin${m.depth + 1}`;
    const q = stack('Q', m.inFeatures);
    this.#trunk = q.layers;
    this.#zHead = layer(`Q.${out}gauss`, q.width, m.zDim, 0);
    this.#yHead = m.encoderClasses > 0 ? layer(`Q.${out}cat`, q.width, m.encoderClasses, 0) : undefined;
    if (m.heads && !this.#yHead) throw new Error(`explorer: a model with cluster heads needs Q's class head (encoderClasses is 0)`);
    this.#heads = m.heads ? upload('heads.weight', [m.zDim, m.encoderClasses]) : undefined;
    const p = stack('P', pWidth);
    this.#decoder = [...p.layers, layer(`P.${out}`, p.width, m.inFeatures, 2)];

    this.#x = k.alloc(4 * B * m.inFeatures);
    this.#h = [k.alloc(4 * B * widest), k.alloc(4 * B * widest)];
    this.#z = k.alloc(4 * B * m.zDim);
    this.#logits = k.alloc(4 * B * Math.max(1, m.encoderClasses));
    this.#y = k.alloc(4 * B * Math.max(1, m.encoderClasses));
    this.#pIn = k.alloc(4 * B * pWidth);
    this.#out = k.alloc(4 * B * m.inFeatures);
  }

  get simd(): Simd {
    return this.#k.simd;
  }

  /** Runs `layers` on `rows` rows from `input`; returns the address of the last output. */
  #stack(layers: Layer[], input: number, rows: number, last?: number): number {
    let from = input;
    layers.forEach((l, i) => {
      const to = i === layers.length - 1 && last !== undefined ? last : this.#h[i % 2]!;
      this.#k.linear({ a: from, w: l.w, bias: l.b, out: to, M: rows, N: l.outFeatures, K: l.inFeatures, act: l.act });
      from = to;
    });
    return from;
  }

  // images: (n, inFeatures), pixels in [0, 1] -> z (n, zDim) and, with a class head, y (n, encoderClasses)
  encode(images: Float32Array): Codes {
    const { inFeatures, zDim, encoderClasses: C } = this.model;
    const n = rowsOf(images, inFeatures, 'encode: images');
    const z = new Float32Array(n * zDim);
    const y = this.#yHead ? new Float32Array(n * C) : undefined;
    for (let start = 0; start < n; start += this.maxBatch) {
      const rows = Math.min(this.maxBatch, n - start);
      this.#k.f32(this.#x, rows * inFeatures).set(images.subarray(start * inFeatures, (start + rows) * inFeatures));
      const h = this.#stack(this.#trunk, this.#x, rows);
      const width = this.#trunk.length > 0 ? this.model.hidden : inFeatures;
      this.#k.linear({ a: h, w: this.#zHead.w, bias: this.#zHead.b, out: this.#z, M: rows, N: zDim, K: width, act: 0 });
      if (this.#yHead && y) {
        this.#k.linear({ a: h, w: this.#yHead.w, bias: this.#yHead.b, out: this.#logits, M: rows, N: C, K: width, act: 0 });
        this.#k.softmax(this.#logits, this.#y, rows, C);
        y.set(this.#k.f32(this.#y, rows * C), start * C);
        // r = z + y W_c^T, accumulated into z as the Node model does (copy z, then matmul with accumulate).
        if (this.#heads !== undefined) this.#k.linear({ a: this.#y, w: this.#heads, bias: 0, out: this.#z, M: rows, N: zDim, K: C, act: 0, accumulate: true });
      }
      z.set(this.#k.f32(this.#z, rows * zDim), start * zDim);
    }
    return y ? { z, y } : { z };
  }

  // z: (n, zDim), classCode: (n, decoderClasses) for models whose decoder takes one -> images (n, inFeatures)
  decode(z: Float32Array, classCode?: Float32Array): Float32Array {
    const { inFeatures, zDim, decoderClasses: Y } = this.model;
    const n = rowsOf(z, zDim, 'decode: z');
    if (Y > 0 && classCode?.length !== n * Y) {
      throw new RangeError(`decode: this ${this.model.kind} model needs a class code of ${n} x ${Y} values, got ${classCode?.length ?? 'none'}`);
    }
    const width = Y + zDim;
    const out = new Float32Array(n * inFeatures);
    for (let start = 0; start < n; start += this.maxBatch) {
      const rows = Math.min(this.maxBatch, n - start);
      const pIn = this.#k.f32(this.#pIn, rows * width);
      for (let r = 0; r < rows; r++) {
        if (Y > 0) pIn.set(classCode!.subarray((start + r) * Y, (start + r + 1) * Y), r * width);
        pIn.set(z.subarray((start + r) * zDim, (start + r + 1) * zDim), r * width + Y);
      }
      this.#stack(this.#decoder, this.#pIn, rows, this.#out);
      out.set(this.#k.f32(this.#out, rows * inFeatures), start * inFeatures);
    }
    return out;
  }
}

function rowsOf(values: Float32Array, width: number, what: string): number {
  if (values.length % width !== 0 || values.length === 0) {
    throw new RangeError(`${what} has ${values.length} values, expected a positive multiple of ${width}`);
  }
  return values.length / width;
}
