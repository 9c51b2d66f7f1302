// createBackend: the one way code above backend/ obtains a Backend. 'auto' prefers CUDA, then the native CPU
// backend, then Wasm, saying in one line why each one before was skipped.
import { type Backend, BackendError } from './backend.js';
import { type CpuIsa, cpuStatus, createCpuBackend } from './cpu/index.js';
import { createCudaBackend, cudaStatus } from './cuda/index.js';
import { ReferenceBackend } from './reference.js';
import { WasmBackend, type WasmBackendOptions } from './wasm/wasm-backend.js';

export const BACKEND_NAMES = ['auto', 'cuda', 'cpu', 'wasm', 'reference'] as const;
export type BackendChoice = (typeof BACKEND_NAMES)[number];

export interface CreateBackendOptions extends WasmBackendOptions {
  /** CUDA device ordinal (default 0). */
  device?: number;
  /** Use TF32 tensor cores in the CUDA GEMM (looser tolerance). */
  tf32?: boolean;
  /** The CPU backend's GEMM instruction set (default: the best the CPU reports). */
  isa?: CpuIsa;
  /** Receives the one-line explanation of what 'auto' picked and why (default: console.error). */
  log?: (line: string) => void;
}

export async function createBackend(name: BackendChoice = 'auto', options: CreateBackendOptions = {}): Promise<Backend> {
  switch (name) {
    case 'reference':
      return new ReferenceBackend();
    case 'wasm':
      return WasmBackend.create(options);
    case 'cpu':
      return createCpuBackend({ ...(options.threads !== undefined && { threads: options.threads }), ...(options.isa && { isa: options.isa }) });
    case 'cuda':
      return createCudaBackend({ device: options.device ?? 0, tf32: options.tf32 ?? false });
    case 'auto': {
      const log = options.log ?? console.error;
      const cuda = cudaStatus(options.device ?? 0);
      if (cuda.ok) {
        const be = createCudaBackend({ device: options.device ?? 0, tf32: options.tf32 ?? false });
        log(`backend: using CUDA on ${cuda.device}`);
        return be;
      }
      const cpu = cpuStatus();
      if (cpu.ok) {
        const be = await createBackend('cpu', options);
        log(`backend: using ${be.info().device}: CUDA unavailable (${cuda.reason})`);
        return be;
      }
      const wasm = await WasmBackend.create(options);
      const info = wasm.info();
      log(`backend: using ${info.device}: CUDA unavailable (${cuda.reason}); native CPU unavailable (${cpu.reason}); ${info.reason}`);
      return wasm;
    }
    default:
      throw new BackendError(`unknown backend ${JSON.stringify(name)}; valid backends are: ${BACKEND_NAMES.join(', ')}`);
  }
}
