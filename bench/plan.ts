// What one `npm run bench` run measures and how hard: built from the command line flags.
//   (none)    every suite at full size (~10-15 min on a 2-core machine)
//   --quick   the relaxed-SIMD 2-thread configuration only, fewer samples (~4 min)
//   --dry     tiny models and one or two samples per case: checks that every suite runs (seconds; the bench test)
//   --soak    adds the 10 000-iteration memory soak of the semi-supervised model on Wasm (not run by default);
//             --soak=N runs N iterations instead; Ctrl-C stops the soak early and the bench reports what it ran
//   --out=DIR writes the results to DIR instead of bench/results/<date>-<machine>/
import { type AaeConfig, defaultConfig, type ModelKind } from '../ts/models/config.js';

export interface Sampling {
  minSamples: number;
  /** Seconds benny keeps sampling after minSamples (0: stop at minSamples). */
  maxTime: number;
}

export interface WasmConfig {
  simd: 'relaxed' | 'plain';
  threads: number;
}

export interface BenchPlan {
  quick: boolean;
  dry: boolean;
  soak: boolean;
  out: string | undefined;
  command: string;
  wasmConfigs: WasmConfig[];
  /** The configuration the iteration, phase, memory and scaling suites run on. */
  main: WasmConfig;
  kernels: Sampling;
  iterations: Sampling;
  tfjsWasm: Sampling;
  tfjsCpu: Sampling;
  /** tfjs's own GEMM rates (one case takes up to ~0.3 s on its cpu backend). */
  tfjsGemm: Sampling;
  /** Rounds of the interleaved ours / tfjs-wasm comparison (bench/paired.ts). */
  pairedRounds: number;
  scalingSamples: Sampling;
  /** The roofline probes (bench/roofline.ts): multiply-add iterations per worker run, best of how many runs per worker, and fastest of how many concurrent rounds. */
  roofline: { fmaIters: number; reps: number; rounds: number };
  /** A model of `kind` at the benchmark's size (batch 100, 1000-unit nets; tiny in a dry run). */
  model: (kind: ModelKind) => AaeConfig;
  /** The small model the float64 reference backend trains (and Wasm beside it). */
  tinyModel: AaeConfig;
  memoryIterations: number;
  soakIterations: number;
  soakSampleEvery: number;
  scaling: { hidden: number[]; batch: number[] };
}

const USAGE = 'usage: npm run bench -- [--quick] [--dry] [--soak[=ITERATIONS]] [--out=DIR]';

export function parsePlan(argv: string[]): BenchPlan {
  let out: string | undefined;
  let soakIterations: number | undefined;
  const flags = new Set<string>();
  for (const arg of argv) {
    if (arg.startsWith('--out=')) out = arg.slice('--out='.length);
    else if (arg.startsWith('--soak=')) {
      soakIterations = Number(arg.slice('--soak='.length));
      if (!Number.isInteger(soakIterations) || soakIterations < 10) throw new PlanError(`bench: --soak=N needs an integer N >= 10, got ${JSON.stringify(arg.slice(7))}; ${USAGE}`);
      flags.add('--soak');
    }
    else if (['--quick', '--dry', '--soak'].includes(arg)) flags.add(arg);
    else throw new PlanError(`bench: unknown argument ${JSON.stringify(arg)}; ${USAGE}`);
  }
  if (out === '') throw new PlanError(`bench: --out needs a directory; ${USAGE}`);
  const quick = flags.has('--quick');
  const dry = flags.has('--dry');
  const size = (kind: ModelKind): AaeConfig => (dry ? { ...defaultConfig(kind), hidden: 32, batch: 8 } : defaultConfig(kind));
  const main: WasmConfig = { simd: 'relaxed', threads: 2 };
  const few = (minSamples: number, maxTime: number): Sampling => (dry ? { minSamples: 1, maxTime: 0 } : { minSamples, maxTime });
  return {
    quick,
    dry,
    soak: flags.has('--soak'),
    out,
    command: ['npm run bench', ...(argv.length ? ['--', ...argv] : [])].join(' '),
    wasmConfigs: quick || dry
      ? [main]
      : [{ simd: 'relaxed', threads: 1 }, main, { simd: 'plain', threads: 1 }, { simd: 'plain', threads: 2 }],
    main,
    kernels: quick ? few(10, 0.5) : few(20, 1.5),
    iterations: quick ? few(10, 1.5) : few(15, 4),
    tfjsWasm: quick ? few(5, 0) : few(10, 2),
    tfjsCpu: quick ? few(1, 0) : few(2, 0),
    tfjsGemm: few(3, 0),
    pairedRounds: dry ? 2 : quick ? 5 : 10,
    scalingSamples: quick ? few(3, 0) : few(5, 1),
    roofline: dry ? { fmaIters: 1000, reps: 1, rounds: 1 } : { fmaIters: 20_000_000, reps: 5, rounds: 3 },
    model: size,
    tinyModel: { ...defaultConfig('semi'), hidden: dry ? 8 : 64, batch: dry ? 4 : 16 },
    memoryIterations: dry ? 3 : quick ? 50 : 200,
    soakIterations: soakIterations ?? (dry ? 20 : 10_000),
    soakSampleEvery: Math.max(1, Math.floor((soakIterations ?? (dry ? 20 : 10_000)) / 100)),
    scaling: dry ? { hidden: [16, 32], batch: [4, 8] } : { hidden: [256, 512, 1000, 2000], batch: [32, 100, 256, 1024] },
  };
}

/** A bad flag: printed as one line by run.ts, exit code 2. */
export class PlanError extends Error {
  override name = 'PlanError';
}
