// ThreadPool: the main thread plus (threads - 1) worker_threads, each with its own instance of the same compiled
// module over the same shared memory. A parallel op is one call of a kernel export on every thread with the same
// arguments and its own tid; the kernel picks its slice from (tid, nth). Synchronised through a control block of
// Int32 words in the shared memory: the main thread writes the job and bumps GEN; workers spin briefly, then
// Atomics.wait on GEN; each finished worker decrements PENDING; the main thread does slice 0, then waits for 0.
import { MessageChannel, type MessagePort, Worker, receiveMessageOnPort } from 'node:worker_threads';

/** Control block layout (Int32 word indices) and argument area (Float64 index from ARGS_BYTE). */
const GEN = 0;
const PENDING = 1;
const OP = 2;
const NTH = 3;
const NARGS = 4;
const STOP = 5;
const FAILED = 6;
const ARGS_BYTE = 64;
const MAX_ARGS = 24;
/** Bytes the control block occupies in the shared memory. */
export const CONTROL_BYTES = ARGS_BYTE + 8 * MAX_ARGS;

/** Busy-wait iterations before sleeping: long enough to span the gap between back-to-back ops in a step. */
const SPIN = 20000;

// The worker's whole program. Plain JS evaluated in the worker, so it runs the same from ts/ (tsx) and dist/.
const WORKER_SOURCE = `
const { workerData, parentPort } = require('node:worker_threads');
const { module, memory, control, ops, tid, spin, errors } = workerData;
const instance = new WebAssembly.Instance(module, { env: { memory, abort() { throw new Error('wasm abort'); } } });
const fns = ops.map((name) => instance.exports[name]);
const ctrl = new Int32Array(memory.buffer, control, 16);
const args = new Float64Array(memory.buffer, control + ${ARGS_BYTE}, ${MAX_ARGS});
const call = [];
let seen = 0;
parentPort.postMessage('ready');
for (;;) {
  let gen = Atomics.load(ctrl, ${GEN});
  for (let i = 0; i < spin && gen === seen; i++) gen = Atomics.load(ctrl, ${GEN});
  if (gen === seen) { Atomics.wait(ctrl, ${GEN}, seen); continue; }
  seen = gen;
  if (Atomics.load(ctrl, ${STOP}) !== 0) break;
  const nth = ctrl[${NTH}];
  if (tid >= nth) continue;
  const n = ctrl[${NARGS}];
  call.length = n + 2;
  for (let i = 0; i < n; i++) call[i] = args[i];
  call[n] = tid;
  call[n + 1] = nth;
  try { fns[ctrl[${OP}]].apply(null, call); }
  catch (e) { errors.postMessage(String(e && e.stack || e)); Atomics.store(ctrl, ${FAILED}, 1); }
  if (Atomics.sub(ctrl, ${PENDING}, 1) === 1) Atomics.notify(ctrl, ${PENDING});
}
`;

export interface PoolOptions {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  /** Byte address of the control block (CONTROL_BYTES long) in the shared memory. */
  control: number;
  /** Total threads including the main one. */
  threads: number;
  /** Kernel export names workers may be asked to run. */
  ops: readonly string[];
}

export class ThreadPool {
  readonly threads: number;
  readonly #workers: Worker[] = [];
  /** Per worker, the port its kernel errors arrive on (read synchronously after a failed op). */
  readonly #errorPorts: MessagePort[] = [];
  readonly #opIndex = new Map<string, number>();
  /**
   * Views of the control block and the argument area, made once: growing a shared memory gives memory.buffer a
   * new, larger SharedArrayBuffer, but the old one stays valid over the same first bytes, where the block lives.
   */
  readonly #ctrlView: Int32Array;
  readonly #argsView: Float64Array;

  private constructor(options: PoolOptions) {
    this.threads = options.threads;
    this.#ctrlView = new Int32Array(options.memory.buffer, options.control, 16);
    this.#argsView = new Float64Array(options.memory.buffer, options.control + ARGS_BYTE, MAX_ARGS);
    options.ops.forEach((name, i) => this.#opIndex.set(name, i));
  }

  /** Starts threads - 1 workers and resolves once every one has instantiated the module. */
  static async start(options: PoolOptions): Promise<ThreadPool> {
    const pool = new ThreadPool(options);
    const ready: Promise<void>[] = [];
    for (let tid = 1; tid < options.threads; tid++) {
      const errors = new MessageChannel();
      const worker = new Worker(WORKER_SOURCE, {
        eval: true,
        // None of the host's flags: --input-type=module would make this CommonJS source an ES module (no require),
        // and a loader's --import is for the host's code. V8 flags (relaxed SIMD) are process-wide and apply anyway.
        execArgv: [],
        workerData: { module: options.module, memory: options.memory, control: options.control, ops: options.ops, tid, spin: SPIN, errors: errors.port2 },
        transferList: [errors.port2],
      });
      worker.unref();
      errors.port1.unref();
      pool.#workers.push(worker);
      pool.#errorPorts.push(errors.port1);
      ready.push(
        new Promise((resolve, reject) => {
          worker.once('message', () => resolve());
          worker.once('error', (e) => reject(new Error(`wasm: worker ${tid} failed to start: ${e.message}`)));
        }),
      );
    }
    try {
      await Promise.all(ready);
    } catch (e) {
      pool.stop();
      throw e;
    }
    return pool;
  }

  /**
   * Runs `fn(...args, tid, nth)` on nth threads (main thread is tid 0) and returns when all are done.
   * `fn` is the main thread's export of `name`.
   */
  run(name: string, fn: (...a: number[]) => void, args: number[], nth: number): void {
    const n = Math.min(nth, this.threads);
    if (n <= 1) {
      fn(...args, 0, 1);
      return;
    }
    const op = this.#opIndex.get(name);
    if (op === undefined) throw new Error(`wasm: ${name} is not a parallel kernel`);
    if (args.length > MAX_ARGS) throw new Error(`wasm: ${name} has ${args.length} arguments, more than ${MAX_ARGS}`);
    const ctrl = this.#ctrlView;
    this.#argsView.set(args);
    ctrl[OP] = op;
    ctrl[NTH] = n;
    ctrl[NARGS] = args.length;
    Atomics.store(ctrl, FAILED, 0);
    Atomics.store(ctrl, PENDING, n - 1);
    Atomics.add(ctrl, GEN, 1);
    Atomics.notify(ctrl, GEN);
    let mainError: unknown;
    try {
      fn(...args, 0, n);
    } catch (e) {
      mainError = e;
    }
    let pending = Atomics.load(ctrl, PENDING);
    for (let i = 0; i < SPIN && pending !== 0; i++) pending = Atomics.load(ctrl, PENDING);
    while (pending !== 0) {
      Atomics.wait(ctrl, PENDING, pending);
      pending = Atomics.load(ctrl, PENDING);
    }
    if (mainError !== undefined) throw mainError;
    if (Atomics.load(ctrl, FAILED) !== 0) {
      const messages = this.#errorPorts.map((p) => receiveMessageOnPort(p)?.message).filter((m) => m !== undefined);
      throw new Error(`wasm: ${name} failed on a worker thread: ${messages.join('; ')}`);
    }
  }

  stop(): void {
    if (this.#workers.length === 0) return;
    const ctrl = this.#ctrlView;
    Atomics.store(ctrl, STOP, 1);
    Atomics.add(ctrl, GEN, 1);
    Atomics.notify(ctrl, GEN);
    for (const w of this.#workers) void w.terminate();
    for (const p of this.#errorPorts) p.close();
    this.#workers.length = 0;
    this.#errorPorts.length = 0;
  }
}
