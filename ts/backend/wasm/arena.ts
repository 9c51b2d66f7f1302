// Arena: a first-fit free-list allocator over the Wasm backend's WebAssembly.Memory (shared or not). Blocks are
// 64-byte aligned (cache lines, and every v128 load is aligned); freeing coalesces neighbours; when no block fits,
// memory grows up to its maximum, and beyond that allocation throws a clear error without touching any live tensor.

const ALIGN = 64;
const PAGE = 65536;
const MiB = 1024 * 1024;

interface Block {
  start: number;
  size: number;
}

export class OutOfMemoryError extends Error {
  override name = 'OutOfMemoryError';
}

export class Arena {
  /** Free blocks, sorted by start address, never adjacent (coalesced). */
  readonly #free: Block[] = [];
  /** Live allocations: start address -> size in bytes. */
  readonly #live = new Map<number, number>();
  #end: number;

  /**
   * @param memory the backend's memory; bytes [0, base) are reserved for the module's static data and control blocks.
   * @param maxBytes the most the memory may grow to.
   */
  constructor(
    readonly memory: WebAssembly.Memory,
    base: number,
    readonly maxBytes: number,
  ) {
    this.#end = align(base);
  }

  /** Bytes currently allocated to live blocks. */
  get usedBytes(): number {
    let used = 0;
    for (const size of this.#live.values()) used += size;
    return used;
  }

  /** Returns the byte address of a new block of at least `bytes` bytes, 64-byte aligned. */
  alloc(bytes: number): number {
    const size = Math.max(ALIGN, align(bytes));
    for (let i = 0; i < this.#free.length; i++) {
      const block = this.#free[i]!;
      if (block.size < size) continue;
      const start = block.start;
      if (block.size === size) this.#free.splice(i, 1);
      else {
        block.start += size;
        block.size -= size;
      }
      this.#live.set(start, size);
      return start;
    }
    // Nothing fits: take from the end, merging a free block that touches the end.
    const last = this.#free[this.#free.length - 1];
    const start = last && last.start + last.size === this.#end ? last.start : this.#end;
    const newEnd = start + size;
    if (newEnd > this.maxBytes) {
      const free = this.maxBytes - this.#end + this.#free.reduce((s, b) => s + b.size, 0);
      throw new OutOfMemoryError(
        `wasm: out of memory: asked for ${fmtBytes(bytes)}, ${fmtBytes(free)} free of the ${fmtBytes(this.maxBytes)} maximum ` +
          `(largest free block ${fmtBytes(Math.max(this.maxBytes - start, ...this.#free.map((b) => b.size)))}); ` +
          'free unused tensors or raise the memoryMB option',
      );
    }
    const have = this.memory.buffer.byteLength;
    if (newEnd > have) this.memory.grow(Math.ceil((newEnd - have) / PAGE));
    if (start !== this.#end) this.#free.pop();
    this.#end = newEnd;
    this.#live.set(start, size);
    return start;
  }

  free(start: number): void {
    const size = this.#live.get(start);
    if (size === undefined) throw new Error(`wasm: free of address ${start}, which is not a live block`);
    this.#live.delete(start);
    // Insert keeping order, then coalesce with the neighbours.
    let i = 0;
    while (i < this.#free.length && this.#free[i]!.start < start) i++;
    this.#free.splice(i, 0, { start, size });
    const next = this.#free[i + 1];
    if (next && start + size === next.start) {
      this.#free[i]!.size += next.size;
      this.#free.splice(i + 1, 1);
    }
    const prev = this.#free[i - 1];
    if (prev && prev.start + prev.size === start) {
      prev.size += this.#free[i]!.size;
      this.#free.splice(i, 1);
    }
  }
}

function align(n: number): number {
  return Math.ceil(n / ALIGN) * ALIGN;
}

function fmtBytes(n: number): string {
  return n >= MiB ? `${(n / MiB).toFixed(1)} MiB` : `${n} bytes`;
}
