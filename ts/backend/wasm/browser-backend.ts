// The Wasm backend on one thread over an ordinary (non-shared) memory, with no Node APIs: the backend the explorer
// page runs the models on. Storage and kernels are the Node backend's (wasm-core.ts); parallel kernels run whole on
// the calling thread (tid 0, nth 1), and the memory grows as tensors are allocated, up to wasm32's 4 GiB.
import { type SimdChoice, loadBrowserBuild } from './browser-builds.js';
import { ONE_THREAD, PAGE, WasmCore, wasmDevice } from './wasm-core.js';

/** The builds declare an imported memory of at least 16 pages and at most 65536 (4 GiB). */
const MIN_PAGES = 16;
const MAX_PAGES = 65536;

export class BrowserWasmBackend extends WasmCore {
  /** `load(file)` returns the bytes of one of BROWSER_BUILDS (fetch in a page, readWasmBuild in Node). */
  static async create(load: (file: string) => Promise<ArrayBuffer>, simd: SimdChoice = 'auto'): Promise<BrowserWasmBackend> {
    const build = await loadBrowserBuild(load, simd);
    return new BrowserWasmBackend({
      module: build.module,
      memory: new WebAssembly.Memory({ initial: MIN_PAGES, maximum: MAX_PAGES }),
      reserved: 0,
      maxBytes: MAX_PAGES * PAGE,
      threads: ONE_THREAD,
      info: { name: 'wasm', device: wasmDevice(build.simd, 1), threads: 1, simd: build.simd, reason: build.reason, file: build.file, memoryMB: 4096 },
    });
  }
}
