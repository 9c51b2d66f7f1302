// One model's training on Wasm in a process of its own, so that its peak RSS is its own: runs N iterations and
// prints one JSON line with the peak RSS, the Wasm arena in use, and RSS / arena samples every `every` iterations.
// SIGINT / SIGTERM (Ctrl-C in a soak) stop it at the next sample, and it reports the iterations it ran.
// usage: node --import tsx bench/memory-child.ts --model=semi --hidden=1000 --batch=100 --iterations=200 --every=10
import { createBackend } from '../ts/backend/select.js';
import { defaultConfig, MODEL_KINDS, type ModelKind } from '../ts/models/config.js';
import { iterationCase } from './iteration.js';

export interface MemorySample {
  iteration: number;
  rssMB: number;
  wasmMB: number;
}

export interface MemoryReport {
  model: ModelKind;
  /** Iterations run: the requested count, or fewer when stopped by a signal. */
  iterations: number;
  /** The signal that stopped the run early, if one did. */
  stoppedBy?: string;
  /** Peak resident set of the whole process (Node, V8 heap, the Wasm memory, the worker threads). */
  peakRssMB: number;
  /** The Wasm arena's live allocations after training (the model's tensors: params, grads, moments, activations). */
  wasmMB: number;
  samples: MemorySample[];
}

const arg = (name: string): string => {
  const a = process.argv.find((x) => x.startsWith(`--${name}=`));
  if (!a) throw new Error(`memory-child: missing --${name}=...`);
  return a.slice(name.length + 3);
};

const model = arg('model') as ModelKind;
if (!MODEL_KINDS.includes(model)) throw new Error(`memory-child: --model must be one of ${MODEL_KINDS.join(', ')}, got ${model}`);
const iterations = Number(arg('iterations'));
const every = Number(arg('every'));
const config = { ...defaultConfig(model), hidden: Number(arg('hidden')), batch: Number(arg('batch')) };
const be = await createBackend('wasm', { threads: Number(arg('threads')) });
const { run } = iterationCase(be, config);
const mb = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10;
const wasmMB = () => Number(be.info()['usedMB']);
const samples: MemorySample[] = [];
let stoppedBy: string | undefined;
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => (stoppedBy = signal));
let done = 0;
while (done < iterations && !stoppedBy) {
  run();
  done++;
  if (done % every === 0 || done === iterations) {
    samples.push({ iteration: done, rssMB: mb(process.memoryUsage().rss), wasmMB: wasmMB() });
    await new Promise((resolve) => setImmediate(resolve)); // lets a signal handler run
  }
  if (iterations >= 1000 && done % Math.floor(iterations / 10) === 0) process.stderr.write(`memory-child: ${model} ${done}/${iterations} iterations, RSS ${samples.at(-1)!.rssMB} MB\n`);
}
const report: MemoryReport = { model, iterations: done, ...(stoppedBy ? { stoppedBy } : {}), peakRssMB: mb(process.resourceUsage().maxRSS * 1024), wasmMB: wasmMB(), samples };
be.dispose();
console.log(JSON.stringify(report));
