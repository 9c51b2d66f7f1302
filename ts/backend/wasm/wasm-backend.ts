// The WebAssembly SIMD backend in Node: the kernels of wasm-core.ts over one shared WebAssembly.Memory, each parallel
// kernel split across a ThreadPool of worker threads when it is big enough to pay for the split.
import os from 'node:os';
import { BackendError } from '../backend.js';
import { PARALLEL_KERNELS } from '../kernel-table.js';
import { type SimdChoice } from './browser-builds.js';
import { loadWasmModule } from './loader.js';
import { CONTROL_BYTES, ThreadPool } from './pool.js';
import { PAGE, STATIC_BYTES, WasmCore, wasmDevice } from './wasm-core.js';

export interface WasmBackendOptions {
  /** Threads including the main one; default: the available cores. */
  threads?: number;
  /** Which build to load; default 'auto' (relaxed where the engine validates it). */
  simd?: SimdChoice;
  /** Most memory the backend may use, in MiB (default 4096, the wasm32 maximum). */
  memoryMB?: number;
}

export class WasmBackend extends WasmCore {
  static async create(options: WasmBackendOptions = {}): Promise<WasmBackend> {
    const threads = options.threads ?? os.availableParallelism();
    if (!Number.isInteger(threads) || threads < 1 || threads > 256) {
      throw new BackendError(`wasm: threads must be an integer in [1, 256], got ${String(options.threads)}`);
    }
    const memoryMB = options.memoryMB ?? 4096;
    if (!Number.isInteger(memoryMB) || memoryMB < 16 || memoryMB > 4096) {
      throw new BackendError(`wasm: memoryMB must be an integer in [16, 4096], got ${String(options.memoryMB)}`);
    }
    const maxPages = Math.min(65536, (memoryMB * 1024 * 1024) / PAGE);
    const loaded = loadWasmModule(options.simd ?? 'auto');
    const memory = new WebAssembly.Memory({ initial: 64, maximum: maxPages, shared: true });
    // The pool's control block comes first after the static data; the arena starts after it.
    const pool = await ThreadPool.start({ module: loaded.module, memory, control: STATIC_BYTES, threads, ops: PARALLEL_KERNELS });
    try {
      return new WasmBackend({
        module: loaded.module,
        memory,
        reserved: CONTROL_BYTES,
        maxBytes: maxPages * PAGE,
        threads: pool,
        info: {
          name: 'wasm',
          device: wasmDevice(loaded.simd, threads),
          threads,
          simd: loaded.simd,
          reason: loaded.reason,
          file: loaded.file,
          memoryMB,
        },
      });
    } catch (e) {
      pool.stop();
      throw e;
    }
  }
}
