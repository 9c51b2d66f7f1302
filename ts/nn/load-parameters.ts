// Parameters filled from host values by their state_dict names, as PyTorch's load_state_dict: from a checkpoint
// (ts/train/checkpoint.ts) or the explorer's weights.bin (ts/explore/weights.ts).
import { type Backend } from '../backend/backend.js';
import { type Parameter } from './parameter.js';

/** Returns the values of the tensor `name`, which must have `shape`, or throws saying why it cannot. */
export type TakeTensor = (name: string, shape: readonly number[]) => Float32Array;

/**
 * Uploads take(p.name, p.value.shape) into each of `params`. Every tensor is taken before any is uploaded: a source
 * that throws leaves the parameters as they were.
 */
export function loadParameters(be: Backend, params: readonly Parameter[], take: TakeTensor): void {
  const uploads = params.map((p) => [p, take(p.name, p.value.shape)] as const);
  for (const [p, data] of uploads) be.upload(p.value, data);
}
