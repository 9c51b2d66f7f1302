// Checkpoints: safetensors files of a run.
// - The model's parameters under the names of a PyTorch state_dict of the same modules ("Q.lin1.weight", ...), so
//   `safetensors.torch.load_file` loads them;
// - in a full checkpoint (last.safetensors: everything a run needs to continue exactly), each optimiser's state
//   under PyTorch's state names, "optimizer.<name>.<state>.<param>": Adam's exp_avg and exp_avg_sq, SGD's
//   momentum_buffer; a weights-only checkpoint (best.safetensors: what eval, sample and explore load) has none;
// - in __metadata__["aae"], JSON: the model config, the seed, the RNG offset, each optimiser's step count and
//   current learning rate (where the schedule stands), the training position (epoch, iteration within it, the
//   epoch's partial loss sums), and weightsOnly: true in a weights-only checkpoint.
// Written atomically (temp file, fsync, rename): a crash leaves the previous checkpoint intact.
import { type Backend, type Tensor } from '../backend/backend.js';
import { DataError } from '../data/idx.js';
import { type AdversarialAutoencoder } from '../models/autoencoder.js';
import { type AaeConfig } from '../models/config.js';
import { createModel } from '../models/create.js';
import { loadParameters } from '../nn/load-parameters.js';
import { writeChunksAtomic } from '../util/atomic.js';
import { readInputFile } from '../util/input-file.js';
import { RngStream } from '../rng.js';
import { checkpointStateProblem } from './checkpoint-state.js';
import { type LazyTensor, decodeSafetensors, safetensorsChunks } from './safetensors.js';
import { type Trainer, TrainingError, type TrainingPosition } from './trainer.js';

export const CHECKPOINT_FORMAT = 1;

export interface CheckpointState {
  format: number;
  config: AaeConfig;
  seed: number;
  step: number;
  rngOffset: number;
  optimizerSteps: Record<string, number>;
  /** Each optimiser's learning rate when saved (absent in checkpoints written before schedules: the base rate). */
  optimizerLr?: Record<string, number>;
  position: TrainingPosition;
  /** The parameters alone, no optimiser state: the checkpoint can be evaluated, sampled and explored, not resumed. */
  weightsOnly?: true;
}

const stateName = (optimizer: string, kind: string, param: string) => `optimizer.${optimizer}.${kind}.${param}`;

/** The settings that fix a model's tensors: a checkpoint loads only into a model that agrees on all of them. */
const SHAPE_KEYS = ['kind', 'batch', 'inFeatures', 'zDim', 'classes', 'hidden', 'depth'] as const;

/** Writes `trainer`'s checkpoint to `file`; with weightsOnly, the parameters without the optimisers' state. */
export function saveCheckpoint(trainer: Trainer, file: string, options: { weightsOnly?: boolean } = {}): void {
  const { model } = trainer;
  const be = trainer.backend;
  // Each tensor is downloaded and checked as the file is written: one at a time, never the whole file in memory.
  const download = (name: string, t: Tensor): LazyTensor => ({
    name,
    shape: [...t.shape],
    read: () => {
      const data = be.download(t);
      const i = firstNonFinite(data);
      if (i >= 0) throw new TrainingError(`${name} holds ${data[i]} at index ${i} after iteration ${trainer.step}: the run diverged; ${file} was not overwritten`);
      return data;
    },
  });
  const tensors = model.parameters().map((p) => download(p.name, p.value));
  const optimizerSteps: Record<string, number> = {};
  const optimizerLr: Record<string, number> = {};
  for (const opt of model.optimizers()) {
    optimizerSteps[opt.name] = opt.step;
    optimizerLr[opt.name] = opt.lr;
    if (options.weightsOnly) continue;
    for (const [kind, list] of Object.entries(opt.state())) {
      opt.params.forEach((p, i) => tensors.push(download(stateName(opt.name, kind, p.name), list[i]!)));
    }
  }
  const state: CheckpointState = {
    format: CHECKPOINT_FORMAT,
    config: model.config,
    seed: trainer.options.seed,
    step: trainer.step,
    rngOffset: trainer.rng.offset,
    optimizerSteps,
    optimizerLr,
    position: trainer.position,
    ...(options.weightsOnly ? { weightsOnly: true as const } : {}),
  };
  writeChunksAtomic(file, safetensorsChunks(tensors, { aae: JSON.stringify(state), format: 'pt' }));
}

/** What a model file records of the training that made it; a model saved outside a run records zeros. */
export interface ModelFileInfo {
  seed?: number;
  step?: number;
}

/**
 * Writes `model`'s weights alone to `file`, as a run's best.safetensors holds them (state_dict names, the model
 * configuration in the metadata): what loadModel, eval, sample and explore read, and PyTorch's load_file.
 */
export function saveModel(model: AdversarialAutoencoder, file: string, info: ModelFileInfo = {}): void {
  const be = model.backend;
  const tensors = model.parameters().map((p): LazyTensor => ({
    name: p.name,
    shape: [...p.value.shape],
    read: () => {
      const data = be.download(p.value);
      const i = firstNonFinite(data);
      if (i >= 0) throw new TrainingError(`${p.name} holds ${data[i]} at index ${i}: ${file} was not written`);
      return data;
    },
  }));
  const state: CheckpointState = {
    format: CHECKPOINT_FORMAT,
    config: model.config,
    seed: info.seed ?? 0,
    step: info.step ?? 0,
    rngOffset: 0,
    optimizerSteps: Object.fromEntries(model.optimizers().map((o) => [o.name, o.step])),
    position: { epoch: 0, stepInEpoch: 0, sums: {}, logged: 0 },
    weightsOnly: true,
  };
  writeChunksAtomic(file, safetensorsChunks(tensors, { aae: JSON.stringify(state), format: 'pt' }));
}

/**
 * The model of a checkpoint or model file (a run's best.safetensors or last.safetensors, or saveModel's), built on
 * `be` from the configuration the file records, with its weights: ready to encode, decode and sample, no trainer.
 */
export function loadModel(be: Backend, file: string): { model: AdversarialAutoencoder; state: CheckpointState } {
  const opened = openFile(file);
  const model = createModel(be, opened.state.config, new RngStream(opened.state.seed));
  const { take, state } = checkFor(model, opened, file);
  loadParameters(be, model.parameters(), take);
  return { model, state };
}

/** Reads a checkpoint's state (config, seed, position) without a model, e.g. to rebuild the trainer for --resume. */
export function readCheckpointState(file: string): CheckpointState {
  return parseState(decodeSafetensors(readBytes(file), file).metadata, file);
}

/**
 * Loads the parameters of a full or weights-only checkpoint into `model` (built from the same config) and returns the
 * checkpoint's state: all that evaluating, sampling or exploring a model needs, with no trainer and no optimiser state.
 */
export function loadWeights(be: Backend, model: AdversarialAutoencoder, file: string): CheckpointState {
  const { take, state } = openCheckpoint(model, file);
  loadParameters(be, model.parameters(), take);
  return state;
}

/** Restores parameters, optimiser moments and steps, the RNG offset and the training position into `trainer`. */
export function loadCheckpoint(trainer: Trainer, file: string): void {
  const { model } = trainer;
  const { take, state } = openCheckpoint(model, file);
  if (state.weightsOnly) throw new DataError(`${file}: holds the model's weights only (as best.safetensors does), not the optimiser state that training continues from`);
  const be = trainer.backend;
  // Validate everything before changing anything: a bad file leaves the trainer as it was.
  const uploads: [Tensor, Float32Array][] = [];
  for (const p of model.parameters()) uploads.push([p.value, take(p.name, p.value.shape)]);
  for (const opt of model.optimizers()) {
    if (!Number.isInteger(state.optimizerSteps[opt.name])) throw new DataError(`${file}: no step count for optimizer ${opt.name}`);
    const lr = state.optimizerLr?.[opt.name];
    if (lr !== undefined && !(lr > 0)) throw new DataError(`${file}: optimizer ${opt.name} has learning rate ${lr}, expected > 0`);
    for (const [kind, list] of Object.entries(opt.state())) {
      opt.params.forEach((p, i) => uploads.push([list[i]!, take(stateName(opt.name, kind, p.name), p.value.shape)]));
    }
  }
  for (const [t, data] of uploads) be.upload(t, data);
  for (const opt of model.optimizers()) {
    opt.step = state.optimizerSteps[opt.name]!;
    opt.lr = state.optimizerLr?.[opt.name] ?? opt.baseLr;
  }
  trainer.rng.offset = state.rngOffset;
  trainer.step = state.step;
  trainer.position = structuredClone(state.position);
}

/**
 * Reads `file` and checks that it is a checkpoint of `model`'s shape; `take` returns one of its tensors after
 * checking its shape and values.
 */
function openCheckpoint(model: AdversarialAutoencoder, file: string) {
  return checkFor(model, openFile(file), file);
}

/** A checkpoint file's tensors and checked state. */
function openFile(file: string) {
  const { tensors, metadata } = decodeSafetensors(readBytes(file), file);
  return { tensors, state: parseState(metadata, file) };
}

/** checkpoint's state checked against `model`'s shape, and `take`, as openCheckpoint. */
function checkFor(model: AdversarialAutoencoder, { tensors, state }: ReturnType<typeof openFile>, file: string) {
  const mismatch = SHAPE_KEYS.filter((k) => state.config[k] !== model.config[k]);
  if (mismatch.length > 0) {
    const describe = (c: AaeConfig) => mismatch.map((k) => `${k} ${c[k]}`).join(', ');
    throw new DataError(`${file}: the checkpoint is of another model (${describe(state.config)}) than this run (${describe(model.config)})`);
  }
  const take = (name: string, shape: readonly number[]): Float32Array => {
    const t = tensors.get(name);
    if (!t) throw new DataError(`${file}: tensor ${name} is missing`);
    if (t.shape.length !== shape.length || t.shape.some((d, i) => d !== shape[i])) {
      throw new DataError(`${file}: tensor ${name} has shape [${t.shape}], expected [${shape}]`);
    }
    const i = firstNonFinite(t.data);
    if (i >= 0) throw new DataError(`${file}: tensor ${name} holds ${t.data[i]} at index ${i}; a checkpoint of a diverged run cannot be used`);
    return t.data;
  };
  return { take, state };
}

/** The index of the first NaN or infinite value, or -1. */
function firstNonFinite(data: Float32Array): number {
  for (let i = 0; i < data.length; i++) if (!Number.isFinite(data[i]!)) return i;
  return -1;
}

/** Largest checkpoint read. */
const MAX_CHECKPOINT_BYTES = 2 ** 32 - 1;

function readBytes(file: string): Uint8Array {
  return readInputFile(file, { what: 'a checkpoint (.safetensors)', maxBytes: MAX_CHECKPOINT_BYTES });
}

function parseState(metadata: Record<string, string>, file: string): CheckpointState {
  const raw = metadata['aae'];
  if (raw === undefined) throw new DataError(`${file}: not an aae checkpoint (no "aae" entry in the safetensors metadata)`);
  let state: CheckpointState;
  try {
    state = JSON.parse(raw) as CheckpointState;
  } catch {
    throw new DataError(`${file}: the "aae" metadata is not valid JSON`);
  }
  if (state?.format !== CHECKPOINT_FORMAT) throw new DataError(`${file}: checkpoint format ${state?.format}, expected ${CHECKPOINT_FORMAT}`);
  const problem = checkpointStateProblem(state);
  if (problem) throw new DataError(`${file}: the checkpoint state is malformed: ${problem}`);
  return state;
}
