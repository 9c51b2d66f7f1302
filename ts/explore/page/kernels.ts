// The asm/ kernels in a page: one instance of a browser build (build/wasm/aae.browser.{relaxed,simd}.wasm, the same
// sources as the Node backend's, compiled for an ordinary non-shared memory) on the page's own thread. A bump
// allocator hands out 64-byte aligned blocks, growing the memory as needed; nothing is freed (the runner allocates
// everything once). No DOM and no Node APIs here: runs in a page and, for the parity test, in Node.

/** Bytes [0, 64 KiB) hold the module's static data (as in ts/backend/wasm/); blocks start after them. */
const STATIC_BYTES = 65536;
const PAGE = 65536;
const ALIGN = 64;
/** The builds declare an imported memory of at most 65536 pages (4 GiB), at least 16. */
const MAX_PAGES = 65536;
const MIN_PAGES = 16;
/** GEMM_COUNTER_BYTES of asm/gemm.ts. */
const GEMM_COUNTER_BYTES = 64;

export type Simd = 'relaxed' | 'plain';

export const BUILD_FILES: Record<Simd, string> = { relaxed: 'aae.browser.relaxed.wasm', plain: 'aae.browser.simd.wasm' };

type Export = (...args: number[]) => number;

export class Kernels {
  readonly #exports: Record<string, Export>;
  readonly #memory: WebAssembly.Memory;
  #next = STATIC_BYTES;
  /** The gemm's scratch (packed panels), one thread's worth. */
  readonly #work: number;

  /** Instantiates `module` (a browser build) over a fresh memory. */
  constructor(
    module: WebAssembly.Module,
    readonly simd: Simd,
  ) {
    this.#memory = new WebAssembly.Memory({ initial: MIN_PAGES, maximum: MAX_PAGES });
    const instance = new WebAssembly.Instance(module, {
      env: { memory: this.#memory, abort: () => { throw new Error('wasm abort'); } },
    });
    this.#exports = instance.exports as unknown as Record<string, Export>;
    // The work area is preceded by the 64-byte block counter of multi-threaded calls (asm/gemm.ts), as in the Node
    // backend's layout; this single-threaded runner never uses it, but the kernels' contract is kept.
    this.#work = this.alloc(GEMM_COUNTER_BYTES + this.#exports['gemmWorkBytes']!()) + GEMM_COUNTER_BYTES;
  }

  /** A block of `bytes` bytes, 64-byte aligned, zero-filled (fresh memory). */
  alloc(bytes: number): number {
    const ptr = this.#next;
    const end = ptr + Math.ceil(Math.max(bytes, 1) / ALIGN) * ALIGN;
    const have = this.#memory.buffer.byteLength;
    if (end > have) {
      const pages = Math.ceil((end - have) / PAGE);
      if (have / PAGE + pages > MAX_PAGES) throw new RangeError(`explorer: the model needs more than Wasm's 4 GiB (asked for ${bytes} bytes at ${ptr})`);
      this.#memory.grow(pages);
    }
    this.#next = end;
    return ptr;
  }

  /** A view of `n` floats at byte address `ptr` (take a new one after an alloc: growing replaces the buffer). */
  f32(ptr: number, n: number): Float32Array {
    return new Float32Array(this.#memory.buffer, ptr, n);
  }

  /**
   * a: (M, K), w: (N, K), bias: (N) or 0, out: (M, N) = act(a w^T + bias [+ out]); act 0 none, 1 relu, 2 sigmoid.
   * The Node backend's matmul with transB, on one thread.
   */
  linear(o: { a: number; w: number; bias: number; out: number; M: number; N: number; K: number; act: 0 | 1 | 2; accumulate?: boolean }): void {
    this.#exports['gemm']!(o.a, o.w, o.out, o.bias, o.M, o.N, o.K, 0, 1, o.accumulate ? 1 : 0, o.act, this.#work, 0, 1);
  }

  // x, out: (rows, cols); row-wise softmax.
  softmax(x: number, out: number, rows: number, cols: number): void {
    this.#exports['softmax']!(x, out, rows, cols, 0, 1);
  }
}

/**
 * Picks the build: relaxed SIMD where the engine validates it (f32x4.relaxed_madd), plain SIMD otherwise.
 * `load(file)` returns a build's bytes (fetch in a page, readFile in Node).
 */
export async function loadKernelModule(load: (file: string) => Promise<ArrayBuffer>): Promise<{ module: WebAssembly.Module; simd: Simd }> {
  const relaxed = await load(BUILD_FILES.relaxed);
  if (WebAssembly.validate(relaxed)) return { module: await WebAssembly.compile(relaxed), simd: 'relaxed' };
  const plain = await load(BUILD_FILES.plain);
  if (!WebAssembly.validate(plain)) throw new Error('explorer: this browser has no WebAssembly SIMD (needed by both kernel builds)');
  return { module: await WebAssembly.compile(plain), simd: 'plain' };
}
