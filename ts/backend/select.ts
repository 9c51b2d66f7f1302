// createBackend: the one way code above backend/ obtains a Backend. 'auto' prefers CUDA and falls back to Wasm,
// saying why in one line.
import { type Backend, BackendError } from './backend.js';
import { createCudaBackend, cudaStatus } from './cuda/index.js';
import { ReferenceBackend } from './reference.js';
import { WasmBackend, type WasmBackendOptions } from './wasm/wasm-backend.js';

export const BACKEND_NAMES = ['auto', 'cuda', 'wasm', 'reference'] as const;
export type BackendChoice = (typeof BACKEND_NAMES)[number];

export interface CreateBackendOptions extends WasmBackendOptions {
  /** CUDA device ordinal (default 0). */
  device?: number;
  /** Use TF32 tensor cores in the CUDA GEMM (looser tolerance). */
  tf32?: boolean;
  /** Receives the one-line explanation when 'auto' falls back to Wasm (default: console.error). */
  log?: (line: string) => void;
}

export async function createBackend(name: BackendChoice = 'auto', options: CreateBackendOptions = {}): Promise<Backend> {
  switch (name) {
    case 'reference':
      return new ReferenceBackend();
    case 'wasm':
      return WasmBackend.create(options);
    case 'cuda':
      return createCudaBackend({ device: options.device ?? 0, tf32: options.tf32 ?? false });
    case 'auto': {
      const log = options.log ?? console.error;
      const status = cudaStatus(options.device ?? 0);
      if (status.ok) {
        const cuda = createCudaBackend({ device: options.device ?? 0, tf32: options.tf32 ?? false });
        log(`backend: using CUDA on ${status.device}`);
        return cuda;
      }
      const wasm = await WasmBackend.create(options);
      const info = wasm.info();
      log(`backend: using ${info.device}: CUDA unavailable (${status.reason}); ${info.reason}`);
      return wasm;
    }
    default:
      throw new BackendError(`unknown backend ${JSON.stringify(name)}; valid backends are: ${BACKEND_NAMES.join(', ')}`);
  }
}
