// Rewriting a checkpoint in place, for tests that damage one on purpose.
import { readFileSync, writeFileSync } from 'node:fs';
import { type CheckpointState } from '../../ts/train/checkpoint.js';
import { decodeSafetensors, encodeSafetensors } from '../../ts/train/safetensors.js';

/** Rewrites a checkpoint with its "aae" state and tensors changed by `edit`. */
export function editCheckpoint(file: string, edit: (state: CheckpointState, tensors: Map<string, { shape: number[]; data: Float32Array }>) => void): void {
  const { tensors, metadata } = decodeSafetensors(new Uint8Array(readFileSync(file)), file);
  const state = JSON.parse(metadata['aae']!) as CheckpointState;
  edit(state, tensors);
  writeFileSync(file, encodeSafetensors([...tensors].map(([name, v]) => ({ name, ...v })), { ...metadata, aae: JSON.stringify(state) }));
}
