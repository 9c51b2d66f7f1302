// The TensorFlow.js peer: the semi-supervised iteration of ts/models/semisupervised.ts written with tfjs 4.x's API,
// timed with benny on the "wasm" and "cpu" backends in the same run as ours.
// Same nets (Q 784-H-H -> softmax y (10) + linear z (2); P (12)-H-H-784 sigmoid; D_cat 10-H-H-1 and D_gauss
// 2-H-H-1 sigmoid), dropout 0.25 in Q/P and 0.2 in D, BCE with eps 1e-15, the adversarial log-losses, and the four
// phases with their own Adam optimisers: reconstruction (P_decoder, Q_encoder) -> discriminators (D_cat, D_gauss
// solvers, Q's evaluation-mode codes as constants) -> generator (Q_generator) -> cross-entropy on a labeled batch
// (Q_semi_supervised: trunk and class head). Hidden layers use tfjs's fused matMul + bias + relu, as a tfjs user
// would for speed.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
// tfjs-core's Node bundle has no gradients: the @tensorflow/tfjs package registers them (all of tfjs's kernels').
import '@tensorflow/tfjs';
import { getThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import b from 'benny';
import { type AaeConfig } from '../ts/models/config.js';
import { type Sampling } from './plan.js';
import { type Timing, timing } from './stats.js';

const EPS = 1e-15;

export type TfjsBackendName = 'wasm' | 'cpu';

export interface TfjsRow extends Timing {
  backend: `tfjs-${TfjsBackendName}`;
  /** What the backend ran with: version, SIMD, threads and why. */
  setup: string;
  /** Tensors alive after the timed iterations minus before: 0 when the iteration leaks nothing. */
  leakedTensors: number;
  /** tfjs's GEMM rates at the iteration's shapes, in GFLOP/s. */
  gemm: { case: string; gflops: number }[];
}

interface Dense {
  w: tf.Variable; // (in, out)
  b: tf.Variable; // (out)
}

/** PyTorch's Linear default initialisation: U(-1/sqrt(in), 1/sqrt(in)) for weight and bias. */
function dense(name: string, inF: number, outF: number): Dense {
  const bound = 1 / Math.sqrt(inF);
  return {
    w: tf.variable(tf.randomUniform([inF, outF], -bound, bound), true, `${name}.weight`),
    b: tf.variable(tf.randomUniform([outF], -bound, bound), true, `${name}.bias`),
  };
}

/** Hidden layers: fused matMul + bias + relu, then dropout in training mode. h: (B, in) -> (B, H). */
function hidden(h: tf.Tensor2D, layers: Dense[], dropout: number, train: boolean): tf.Tensor2D {
  for (const l of layers) {
    h = tf.fused.matMul({ a: h, b: l.w as tf.Tensor2D, bias: l.b, activation: 'relu' }) as tf.Tensor2D;
    if (train) h = tf.dropout(h, dropout) as tf.Tensor2D;
  }
  return h;
}

const linear = (h: tf.Tensor2D, l: Dense): tf.Tensor2D => tf.fused.matMul({ a: h, b: l.w as tf.Tensor2D, bias: l.b }) as tf.Tensor2D;
const vars = (layers: Dense[]): tf.Variable[] => layers.flatMap((l) => [l.w, l.b]);
const meanLog = (p: tf.Tensor): tf.Scalar => tf.mean(tf.log(tf.add(p, EPS)));
const pick = (grads: tf.NamedTensorMap, vs: tf.Variable[]): tf.NamedTensorMap => Object.fromEntries(vs.map((v) => [v.name, grads[v.name]!]));
/** Adam's applyGradients is typed for a map of Variables; variableGrads returns gradient Tensors by variable name. */
const apply = (o: tf.AdamOptimizer, grads: tf.NamedTensorMap): void => o.applyGradients(grads as Parameters<tf.AdamOptimizer['applyGradients']>[0]);

/** Builds the model and its six optimisers on the current tfjs backend; returns one training iteration. */
function semiIteration(c: AaeConfig): { step: () => number; dispose: () => void } {
  const H = c.hidden;
  const B = c.batch;
  const qTrunk = [dense('Q.lin1', 784, H), dense('Q.lin2', H, H)];
  const qCat = dense('Q.lin3cat', H, c.classes);
  const qGauss = dense('Q.lin3gauss', H, c.zDim);
  const p = [dense('P.lin1', c.classes + c.zDim, H), dense('P.lin2', H, H), dense('P.lin3', H, 784)];
  const dCat = [dense('D_cat.lin1', c.classes, H), dense('D_cat.lin2', H, H), dense('D_cat.lin3', H, 1)];
  const dGauss = [dense('D_gauss.lin1', c.zDim, H), dense('D_gauss.lin2', H, H), dense('D_gauss.lin3', H, 1)];
  const qVars = vars([...qTrunk, qCat, qGauss]);
  const pVars = vars(p);
  const adam = (lr: number) => tf.train.adam(lr, 0.9, 0.999, 1e-8);
  const opt = {
    P_decoder: adam(c.lr.recon),
    Q_encoder: adam(c.lr.recon),
    D_cat: adam(c.lr.discriminator),
    D_gauss: adam(c.lr.discriminator),
    Q_generator: adam(c.lr.generator),
    Q_semi_supervised: adam(c.lr.classifier),
  };
  const x = tf.randomUniform([B, 784]) as tf.Tensor2D; // x: (B, 784)
  const xL = tf.randomUniform([B, 784]) as tf.Tensor2D;
  const yL = tf.cast(tf.oneHot(tf.randomUniformInt([B], 0, c.classes), c.classes), 'float32') as tf.Tensor2D; // (B, classes)

  const encode = (input: tf.Tensor2D, train: boolean) => {
    const h = hidden(input, qTrunk, c.dropoutQP, train);
    const logits = linear(h, qCat);
    return { logits, y: tf.softmax(logits), z: linear(h, qGauss) };
  };
  const discriminate = (code: tf.Tensor2D, d: Dense[]) => tf.sigmoid(linear(hidden(code, d.slice(0, -1), c.dropoutD, true), d.at(-1)!));

  const step = (): number =>
    tf.tidy(() => {
      // Reconstruction: BCE(P([y, z]), x), P and Q updated by their own optimisers.
      const recon = tf.variableGrads(() => {
        const { y, z } = encode(x, true);
        const xHat = tf.sigmoid(linear(hidden(tf.concat([y, z], 1), p.slice(0, -1), c.dropoutQP, true), p.at(-1)!));
        const ll = tf.add(tf.mul(x, tf.log(tf.add(xHat, EPS))), tf.mul(tf.sub(1, x), tf.log(tf.add(tf.sub(1, xHat), EPS))));
        return tf.neg(tf.mean(ll)) as tf.Scalar;
      }, [...pVars, ...qVars]);
      apply(opt.P_decoder, pick(recon.grads, pVars));
      apply(opt.Q_encoder, pick(recon.grads, qVars));
      // Discriminators: prior samples are real, Q's evaluation-mode codes fake (constants: no gradient into Q).
      const fake = encode(x, false);
      const realCat = tf.cast(tf.oneHot(tf.randomUniformInt([B], 0, c.classes), c.classes), 'float32') as tf.Tensor2D;
      const realGauss = tf.randomNormal([B, c.zDim]) as tf.Tensor2D;
      for (const [d, real, code, o] of [[dCat, realCat, fake.y, opt.D_cat], [dGauss, realGauss, fake.z, opt.D_gauss]] as const) {
        const g = tf.variableGrads(() => tf.neg(tf.add(meanLog(discriminate(real, d)), meanLog(tf.sub(1, discriminate(code, d))))) as tf.Scalar, vars(d));
        apply(o, g.grads);
      }
      // Generator: Q learns to fool both discriminators.
      const gen = tf.variableGrads(() => {
        const { y, z } = encode(x, true);
        return tf.neg(tf.add(meanLog(discriminate(y, dCat)), meanLog(discriminate(z, dGauss)))) as tf.Scalar;
      }, qVars);
      apply(opt.Q_generator, gen.grads);
      // Cross-entropy of Q's class logits on the labeled batch: trunk and class head.
      const semiVars = vars([...qTrunk, qCat]);
      const xent = tf.variableGrads(() => tf.losses.softmaxCrossEntropy(yL, encode(xL, true).logits) as tf.Scalar, semiVars);
      apply(opt.Q_semi_supervised, xent.grads);
      return xent.value.dataSync()[0]! + recon.value.dataSync()[0]!;
    });

  return {
    step,
    dispose: () => {
      for (const o of Object.values(opt)) o.dispose();
      for (const v of [...qVars, ...pVars, ...vars(dCat), ...vars(dGauss)]) v.dispose();
      tf.dispose([x, xL, yL]);
    },
  };
}

/** The folder holding tfjs-backend-wasm's .wasm files, from node_modules (no network). */
function wasmDir(): string {
  const require = createRequire(import.meta.url);
  return `${join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist')}/`;
}

/**
 * Whether tfjs-backend-wasm's threaded build can start under this Node: tfjs turns it off in Node (its
 * WASM_HAS_MULTITHREAD_SUPPORT flag is false there), so this forces the flag in a child process and reports the error.
 */
function threadedProbe(dir: string): string {
  const script = [
    "import * as tf from '@tensorflow/tfjs-core';",
    "import { setWasmPaths, getThreadsCount } from '@tensorflow/tfjs-backend-wasm';",
    `setWasmPaths(${JSON.stringify(dir)});`,
    "tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);",
    "process.on('uncaughtException', (e) => { console.log('failed: ' + String(e.message).split('\\n')[0]); process.exit(0); });",
    "await tf.setBackend('wasm'); await tf.ready(); console.log('ok: ' + getThreadsCount() + ' threads');",
  ].join('\n');
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 60_000, cwd: process.cwd() });
  const out = `${r.stdout}${r.stderr}`;
  const line = out.split('\n').find((l) => l.startsWith('ok:') || l.startsWith('failed:')) ?? `no answer (exit ${String(r.status)})`;
  const cause = /\[(ERR_[A-Z_]+)\]: ([^\n]*?)\. Received "(blob:)?/.exec(out);
  return cause ? `${line} (${cause[1]!}: ${cause[2]!}; it was given ${cause[3] ? 'a blob: URL' : 'another path'})` : line;
}

async function useBackend(name: TfjsBackendName): Promise<string> {
  if (name === 'cpu') {
    await tf.setBackend('cpu');
    return `tfjs-core ${tf.version_core}, backend-cpu: plain JavaScript loops, 1 thread`;
  }
  const dir = wasmDir();
  setWasmPaths(dir);
  if (!(await tf.setBackend('wasm'))) throw new Error(`tfjs: the wasm backend failed to start with its .wasm files from ${dir}`);
  await tf.ready();
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  const mt = await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT');
  return `tfjs-core ${tf.version_core}, backend-wasm ${simd ? 'SIMD' : 'no SIMD'} build, ${getThreadsCount()} thread(s) ` +
    `(WASM_HAS_MULTITHREAD_SUPPORT=${String(mt)} under Node; threaded build forced: ${threadedProbe(dir)}); .wasm files from node_modules`;
}

/** The GEMMs of the iteration in tfjs: the forward (B, H) x (H, H) and the two transposed ones of the backward. */
async function gemmSuite(folder: string, name: string, c: AaeConfig, sampling: Sampling): Promise<{ case: string; gflops: number }[]> {
  const [B, H] = [c.batch, c.hidden];
  const x = tf.randomUniform([B, H]) as tf.Tensor2D; // x: (B, H)
  const w = tf.randomUniform([H, H]) as tf.Tensor2D; // w: (H, H)
  const cases = [
    { case: `matMul (${B},${H},${H})`, run: () => tf.matMul(x, w) },
    { case: `matMul (${B},${H},${H}) B^T`, run: () => tf.matMul(x, w, false, true) },
    { case: `matMul (${H},${B},${H}) A^T`, run: () => tf.matMul(x, x, true, false) },
  ];
  const summary = await b.suite(
    `gemm ${name}`,
    ...cases.map((k) => b.add(k.case, () => tf.tidy(() => { k.run().dataSync(); }))),
    b.configure({ cases: sampling }),
    b.cycle(),
    b.save({ folder, file: `gemm-${name}`, format: 'json', details: true }),
  );
  tf.dispose([x, w]);
  return summary.results.map((r) => ({ case: r.name, gflops: (2 * B * H * H) / timing(r.details).medianMs / 1e6 }));
}

export async function runTfjsSuite(options: { folder: string; backend: TfjsBackendName; config: AaeConfig; sampling: Sampling; gemmSampling: Sampling }): Promise<TfjsRow> {
  const setup = await useBackend(options.backend);
  const name = `tfjs-${options.backend}` as const;
  const gemm = await gemmSuite(options.folder, name, options.config, options.gemmSampling);
  const { step, dispose } = semiIteration(options.config);
  step(); // creates the Adam moments
  const before = tf.memory().numTensors;
  const summary = await b.suite(
    `iteration ${name}`,
    b.add('semi', step),
    b.configure({ cases: options.sampling }),
    b.cycle(),
    b.save({ folder: options.folder, file: `iteration-${name}`, format: 'json', details: true }),
    b.save({ folder: options.folder, file: `iteration-${name}`, format: 'csv' }),
  );
  const leakedTensors = tf.memory().numTensors - before;
  dispose();
  return { backend: name, setup, leakedTensors, gemm, ...timing(summary.results[0]!.details) };
}

/** The iteration on a tfjs backend, for the interleaved comparison (bench/paired.ts). */
export async function tfjsIteration(backend: TfjsBackendName, config: AaeConfig): Promise<{ setup: string; step: () => number; dispose: () => void }> {
  const setup = await useBackend(backend);
  return { setup, ...semiIteration(config) };
}
