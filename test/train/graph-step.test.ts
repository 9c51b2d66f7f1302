// Captured step graphs (Backend.captureGraph, train/graph-step.ts): on the reference and Wasm backends the generic
// recorder replays the captured kernel calls, so the bookkeeping that CUDA Graphs rely on (random-stream shift,
// optimiser step shift, re-capture when the learning rate changes) is checked bit for bit here; the CUDA Graph itself
// is checked by `npm run gpu:verify` on a GPU.
import t from 'tap';
import { type Backend } from '../../ts/backend/backend.js';
import { ReferenceBackend } from '../../ts/backend/reference.js';
import { WasmBackend } from '../../ts/backend/wasm/wasm-backend.js';
import { type AaeConfig, type ModelKind, defaultConfig } from '../../ts/models/config.js';
import { createModel } from '../../ts/models/create.js';
import { RngStream } from '../../ts/rng.js';
import { GraphedStep } from '../../ts/train/graph-step.js';
import { randomArray } from '../helpers/data.js';

function small(kind: ModelKind): AaeConfig {
  const c = defaultConfig(kind);
  return { ...c, batch: 8, inFeatures: 20, hidden: 16, classes: kind === 'cluster' ? 4 : c.classes };
}

/** `steps` iterations (graphed or eager); the learning rates are halved before iteration `lrChangeAt`. */
function train(be: Backend, config: AaeConfig, options: { graphs: boolean; steps: number; lrChangeAt?: number }) {
  const B = config.batch;
  const model = createModel(be, config, new RngStream(5));
  const rng = new RngStream(5, 2 ** 32);
  const graphed = options.graphs ? new GraphedStep(be, model, rng) : undefined;
  const x = be.tensor([B, config.inFeatures], randomArray(B * config.inFeatures, 1, 0, 1));
  const y = be.tensor([B, Math.max(1, config.classes)]);
  be.randomCategorical(y, { seed: 3, offset: 0 });
  const batch = { x, y, xLabeled: x, yLabeled: y };
  const losses: Record<string, number>[] = [];
  for (let i = 0; i < options.steps; i++) {
    if (i === options.lrChangeAt) for (const opt of model.optimizers()) opt.lr /= 2;
    if (graphed) graphed.step(batch);
    else model.step(batch, rng);
    losses.push(model.losses());
  }
  graphed?.dispose();
  return {
    losses,
    params: model.parameters().map((p) => Array.from(be.download(p.value))),
    steps: model.optimizers().map((o) => o.step),
    offset: rng.offset,
    disabled: graphed?.disabledReason,
  };
}

const kinds: ModelKind[] = ['semi', 'unsupervised', 'supervised', 'cluster', 'dimred'];

t.test('replayed iterations equal eager ones exactly (reference, every model)', async (t) => {
  const be = new ReferenceBackend();
  for (const kind of kinds) {
    const eager = train(be, small(kind), { graphs: false, steps: 6 });
    const graphed = train(be, small(kind), { graphs: true, steps: 6 });
    t.equal(graphed.disabled, undefined, `${kind}: graphs stay in use`);
    t.same(graphed.losses, eager.losses, `${kind}: losses`);
    t.same(graphed.params, eager.params, `${kind}: parameters`);
    t.same(graphed.steps, eager.steps, `${kind}: optimiser steps`);
    t.equal(graphed.offset, eager.offset, `${kind}: random stream position`);
  }
  // Noise on Q's input and on the discriminators' inputs draws from the same shifted stream.
  const noisy = { ...small('semi'), inputNoise: 0.3, discriminatorNoise: 0.3 };
  const eager = train(be, noisy, { graphs: false, steps: 6 });
  const graphed = train(be, noisy, { graphs: true, steps: 6 });
  t.same([graphed.losses, graphed.params, graphed.offset], [eager.losses, eager.params, eager.offset], 'semi with input and discriminator noise');
  const labeled = { ...small('semi'), labeledReconstruction: true };
  const eagerL = train(be, labeled, { graphs: false, steps: 6 });
  const graphedL = train(be, labeled, { graphs: true, steps: 6 });
  t.same([graphedL.losses, graphedL.params, graphedL.offset], [eagerL.losses, eagerL.params, eagerL.offset], 'semi with the labeled batch reconstructed');
  // Training-mode codes for the discriminators draw dropout masks where evaluation-mode ones draw none.
  const modes = { ...small('semi'), initStd: 0.01, discriminatorTrainingCodes: true, generatorEvalDiscriminators: true };
  const eagerM = train(be, modes, { graphs: false, steps: 6 });
  const graphedM = train(be, modes, { graphs: true, steps: 6 });
  t.same([graphedM.losses, graphedM.params, graphedM.offset], [eagerM.losses, eagerM.params, eagerM.offset], 'semi with training-mode codes and evaluation-mode discriminators in the generator phase');
  // Translations and VAT draw from the shifted stream too (their random directions and shifts change each step).
  for (const kind of ['semi', 'cluster'] as const) {
    const consistent = { ...small(kind), augment: { translate: 1, height: 4, width: 5 }, vat: { eps: 1, xi: 0.1, weight: 1, entropyWeight: 0.5, marginalWeight: 0.4 } };
    const eagerC = train(be, consistent, { graphs: false, steps: 6 });
    const graphedC = train(be, consistent, { graphs: true, steps: 6 });
    t.same([graphedC.losses, graphedC.params, graphedC.offset], [eagerC.losses, eagerC.params, eagerC.offset], `${kind} with translations and VAT`);
    t.not(eagerC.losses[4]!['vat'], eagerC.losses[5]!['vat'], `${kind}: the VAT loss changes from step to step`);
  }
  be.dispose();
});

t.test('a learning-rate change re-captures the graph (wasm, 2 threads)', async (t) => {
  const be = await WasmBackend.create({ threads: 2 });
  const eager = train(be, small('semi'), { graphs: false, steps: 7, lrChangeAt: 4 });
  const graphed = train(be, small('semi'), { graphs: true, steps: 7, lrChangeAt: 4 });
  t.same(graphed.losses, eager.losses);
  t.same(graphed.params, eager.params);
  be.dispose();
});

t.test('random ops and Adam in a replay draw at the shifted offset and step', async (t) => {
  const be = new ReferenceBackend();
  const a = be.tensor([3, 5]);
  const b = be.tensor([3, 5]);
  const graph = be.captureGraph(() => be.randomNormal(a, { seed: 9, offset: 10 }));
  graph.launch({ rng: 7, step: 0 });
  be.randomNormal(b, { seed: 9, offset: 17 });
  t.same(Array.from(be.download(a)), Array.from(be.download(b)), 'offset 10 + shift 7 draws as offset 17');

  const params = [be.tensor([4], new Float32Array([1, 2, 3, 4])), be.tensor([4], new Float32Array([1, 2, 3, 4]))];
  const grads = [be.tensor([4], new Float32Array([0.5, -1, 2, 0])), be.tensor([4], new Float32Array([0.5, -1, 2, 0]))];
  const group = (i: number) => ({ params: [params[i]!], grads: [grads[i]!], m: [be.tensor([4])], v: [be.tensor([4])] });
  const g0 = group(0);
  const g1 = group(1);
  const opts = { lr: 0.1, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0 };
  const adamGraph = be.captureGraph(() => be.adam(g0, { ...opts, step: 1 }));
  adamGraph.launch({ rng: 0, step: 4 });
  be.adam(g1, { ...opts, step: 5 });
  t.same(Array.from(be.download(params[0]!)), Array.from(be.download(params[1]!)), 'step 1 + shift 4 corrects as step 5');
  be.dispose();
});

t.test('capturing refuses storage calls and bad shifts, and nothing runs until launch', async (t) => {
  const be = new ReferenceBackend();
  const x = be.tensor([2], new Float32Array([1, 2]));
  t.throws(() => be.captureGraph(() => be.download(x)), /download: not allowed while a graph is being captured/);
  t.throws(() => be.captureGraph(() => be.tensor([2])), /tensor: not allowed while a graph is being captured/);
  t.throws(() => be.captureGraph(() => be.captureGraph(() => {})), /captureGraph: not allowed while a graph is being captured/);
  const graph = be.captureGraph(() => be.fill(x, 7));
  t.same(Array.from(be.download(x)), [1, 2], 'the captured fill has not run');
  graph.launch({ rng: 0, step: 0 });
  t.same(Array.from(be.download(x)), [7, 7], 'launch runs it');
  t.throws(() => graph.launch({ rng: -1, step: 0 }), /graph.launch: shift.rng must be a non-negative safe integer, got -1/);
  graph.dispose();
  t.throws(() => graph.launch({ rng: 0, step: 0 }), /graph has been disposed/);
  be.dispose();
});
