// The native CPU backend against its peers, same machine, same run (`npm run bench:cpu`, and a section of
// `npm run bench`): the FMA peak of each instruction set (registers only: the roof), GEMM GFLOP/s on the AAE's
// shapes for cpu (each instruction set) and Wasm, one iteration of every model on cpu and Wasm, the semi-supervised
// iteration against PyTorch at its best CPU settings (bench/pytorch_step.py via ts/gpu/pytorch-peer.ts), and the
// share of the cpu iteration spent outside the GEMM (every op timed: the CPU backend's ops are synchronous).
// Iterations are interleaved in rounds (a few of each side per round; PyTorch one process per round), so a load
// change on a shared machine hits every side of a round alike; ratios are per round.
import { join } from 'node:path';
import { type Backend } from '../ts/backend/backend.js';
import { CPU_ISAS, type CpuBackend, cpuStatus, createCpuBackend } from '../ts/backend/cpu/index.js';
import { createBackend } from '../ts/backend/select.js';
import { type AaeConfig, defaultConfig, type ModelKind } from '../ts/models/config.js';
import { writeFileAtomic } from '../ts/util/atomic.js';
import { type PytorchResult, runPytorchStep } from './pytorch.js';
import { iterationCase } from './iteration.js';
import { loadAverage, machineInfo, machineMarkdown, resultsDir } from './machine.js';

export interface CpuPeersOptions {
  folder: string;
  threads: number;
  /** Interleaved rounds per comparison. */
  rounds: number;
  /** Iterations of each side per round. */
  perRound: number;
  models: ModelKind[];
  /** Tiny sizes and one round: checks that the suite runs. */
  dry: boolean;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/** Median over 5 samples of `reps` calls, each sample synchronised once at its end (a download). */
function timeMs(fn: () => void, sync: () => void, reps: number): number {
  const samples: number[] = [];
  fn();
  sync();
  for (let r = 0; r < 5; r++) {
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) fn();
    sync();
    samples.push((performance.now() - t0) / reps);
  }
  return median(samples);
}

/** GEMM GFLOP/s for the AAE's shapes: forward x W^T, input gradient dy W, weight gradient dy^T x. */
function gemmRates(be: Backend, dry: boolean): Record<string, number> {
  const out: Record<string, number> = {};
  const shapes: [string, number, number, number, boolean, boolean][] = dry
    ? [['(16,64,64) x W^T', 16, 64, 64, false, true]]
    : [
        ['(100,1000,1000) x W^T', 100, 1000, 1000, false, true],
        ['(100,784,1000) x W^T', 100, 784, 1000, false, true],
        ['(100,1000,1000) dy W', 100, 1000, 1000, false, false],
        ['(1000,100,1000) dy^T x', 1000, 100, 1000, true, false],
      ];
  for (const [name, M, K, N, transA, transB] of shapes) {
    const a = be.tensor(transA ? [K, M] : [M, K]);
    const b = be.tensor(transB ? [N, K] : [K, N]);
    const c = be.tensor([M, N]);
    be.randomUniform(a, { seed: 1, offset: 0 });
    be.randomUniform(b, { seed: 2, offset: 0 });
    const ms = timeMs(() => be.matmul(a, b, c, { transA, transB }), () => be.download(c), dry ? 1 : 40);
    out[name] = (2 * M * N * K) / ms / 1e6;
    [a, b, c].forEach((t) => be.free(t));
  }
  return out;
}

/** Share of one iteration's op time spent in matmul, from every op of `iterations` iterations timed one by one. */
function gemmShare(be: Backend, config: AaeConfig, iterations: number): { gemmMs: number; otherMs: number } {
  const spent = { gemm: 0, other: 0 };
  const timed = new Proxy(be, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver) as unknown;
      if (typeof v !== 'function') return v;
      return (...args: unknown[]) => {
        const t0 = performance.now();
        const r = (v as (...a: unknown[]) => unknown).apply(target, args);
        spent[prop === 'matmul' ? 'gemm' : 'other'] += performance.now() - t0;
        return r;
      };
    },
  });
  const { run } = iterationCase(timed, config);
  run();
  spent.gemm = spent.other = 0;
  for (let i = 0; i < iterations; i++) run();
  return { gemmMs: spent.gemm / iterations, otherMs: spent.other / iterations };
}

export async function runCpuPeers(o: CpuPeersOptions) {
  const status = cpuStatus();
  if (!status.ok) return { skipped: `native CPU backend unavailable: ${status.reason}`, markdown: `native CPU backend: not measured (${status.reason})\n` };
  const sized = (kind: ModelKind): AaeConfig => (o.dry ? { ...defaultConfig(kind), hidden: 64, batch: 16 } : defaultConfig(kind));
  const cpus = CPU_ISAS.flatMap((isa) => {
    try {
      return [createCpuBackend({ threads: o.threads, isa })];
    } catch {
      return [];
    }
  });
  const cpu = cpus.find((b) => b.info().simd === status.isa)!;
  const wasm = await createBackend('wasm', { threads: o.threads });
  const wasmName = wasm.info().device;

  const peaks = cpus.filter((b) => b.info().simd !== 'portable').map((b) => {
    const one = createCpuBackend({ threads: 1, isa: b.info().simd as 'avx512' });
    const row = { isa: String(b.info().simd), oneThread: one.fmaPeakGflops(o.dry ? 0.05 : 1), threads: (b as CpuBackend).fmaPeakGflops(o.dry ? 0.05 : 1) };
    one.dispose();
    return row;
  });
  const gemm = [...cpus.map((b) => ({ name: b.info().device, rates: gemmRates(b, o.dry) })), { name: wasmName, rates: gemmRates(wasm, o.dry) }];

  // Every model, cpu against Wasm, interleaved.
  const models = o.models.map((kind) => {
    const sides = [{ name: 'cpu', run: iterationCase(cpu, sized(kind)).run, ms: [] as number[] }, { name: 'wasm', run: iterationCase(wasm, sized(kind)).run, ms: [] as number[] }];
    for (const s of sides) for (let i = 0; i < 2; i++) s.run();
    for (let r = 0; r < o.rounds; r++) {
      for (const s of sides) {
        const t0 = performance.now();
        for (let i = 0; i < o.perRound; i++) s.run();
        s.ms.push((performance.now() - t0) / o.perRound);
      }
    }
    const ratios = sides[1]!.ms.map((w, i) => w / sides[0]!.ms[i]!);
    return { kind, cpuMs: median(sides[0]!.ms), wasmMs: median(sides[1]!.ms), wasmOverCpu: median(ratios) };
  });

  // The semi-supervised iteration against PyTorch at its best settings, interleaved (one PyTorch process per round).
  let pytorch: { best: PytorchResult; rounds: { cpuMs: number; wasmMs: number; torchMs: number }[] } | { skipped: string };
  if (o.dry) pytorch = { skipped: 'dry run' };
  else {
    const first = runPytorchStep({ device: 'cpu', threads: o.threads, iters: 3 * o.perRound });
    if ('skipped' in first) pytorch = first;
    else {
      const coretype = first.openblas_coretype_env ?? '';
      const semi = [cpu, wasm].map((be) => iterationCase(be, sized('semi')).run);
      const rounds: { cpuMs: number; wasmMs: number; torchMs: number }[] = [];
      for (let r = 0; r < o.rounds; r++) {
        const [cpuMs, wasmMs] = semi.map((run) => {
          const t0 = performance.now();
          for (let i = 0; i < o.perRound; i++) run();
          return (performance.now() - t0) / o.perRound;
        }) as [number, number];
        const torch = runPytorchStep({ device: 'cpu', threads: o.threads, iters: 3 * o.perRound, coretype });
        if ('skipped' in torch) break;
        rounds.push({ cpuMs, wasmMs, torchMs: torch.ms_median });
      }
      pytorch = { best: first, rounds };
    }
  }
  const share = gemmShare(cpu, sized('semi'), o.dry ? 1 : 20);
  for (const b of [...cpus, wasm]) b.dispose();

  const lines = [
    `## Native CPU backend vs Wasm vs PyTorch (${o.threads} threads)`, '',
    `FMA peak (independent FMAs in registers): ${peaks.map((p) => `${p.isa} ${p.oneThread.toFixed(1)} GFLOP/s on 1 thread, ${p.threads.toFixed(1)} on ${o.threads}`).join('; ')}.`, '',
    `| GEMM GFLOP/s | ${Object.keys(gemm[0]!.rates).join(' | ')} |`, `| --- | ${Object.keys(gemm[0]!.rates).map(() => '---:').join(' | ')} |`,
    ...gemm.map((g) => `| ${g.name} | ${Object.values(g.rates).map((v) => v.toFixed(1)).join(' | ')} |`), '',
    `One iteration per model (median of ${o.rounds} interleaved rounds of ${o.perRound}):`, '',
    '| model | cpu ms | wasm ms | wasm / cpu (per round, median) |', '| --- | ---: | ---: | ---: |',
    ...models.map((m) => `| ${m.kind} | ${m.cpuMs.toFixed(1)} | ${m.wasmMs.toFixed(1)} | ${m.wasmOverCpu.toFixed(2)} |`), '',
    `Semi-supervised iteration on cpu: matmul ${share.gemmMs.toFixed(1)} ms, every other op ${share.otherMs.toFixed(1)} ms (non-GEMM share ${((100 * share.otherMs) / (share.gemmMs + share.otherMs)).toFixed(0)} %, ops timed one by one).`, '',
  ];
  if ('skipped' in pytorch) lines.push(`PyTorch: not measured (${pytorch.skipped}).`, '');
  else {
    const b = pytorch.best;
    const r = pytorch.rounds;
    const ratio = (f: (x: (typeof r)[number]) => number) => median(r.map(f));
    lines.push(
      `PyTorch: ${b.framework}, ${b.blas}; BLAS loaded: ${(b.blas_libraries ?? []).join(', ')}; OpenBLAS kernel ${b.openblas_core ?? 'n/a'} (OPENBLAS_CORETYPE=${b.openblas_coretype_env || '(its own detection)'}), GEMM (100x1000x1000) ${b.gemm_100x1000x1000_gflops ?? '?'} GFLOP/s.`,
      `Core types probed: ${(b.coretype_probe ?? []).map((p) => `${p.coretype || 'auto'} -> ${p.core} ${p.gflops} GFLOP/s`).join('; ')}.`, '',
      '| semi-supervised iteration | ms (median of rounds) |', '| --- | ---: |',
      `| ours, cpu | ${ratio((x) => x.cpuMs).toFixed(1)} |`, `| ours, wasm | ${ratio((x) => x.wasmMs).toFixed(1)} |`, `| PyTorch (best settings) | ${ratio((x) => x.torchMs).toFixed(1)} |`, '',
      `cpu / PyTorch per round: median ${ratio((x) => x.cpuMs / x.torchMs).toFixed(2)} (min ${Math.min(...r.map((x) => x.cpuMs / x.torchMs)).toFixed(2)}, max ${Math.max(...r.map((x) => x.cpuMs / x.torchMs)).toFixed(2)}); wasm / PyTorch ${ratio((x) => x.wasmMs / x.torchMs).toFixed(2)}; ${r.length} rounds.`, '',
    );
  }
  const result = { threads: o.threads, peaks, gemm, models, share, pytorch };
  writeFileAtomic(join(o.folder, 'cpu-peers.json'), `${JSON.stringify(result, null, 2)}\n`);
  return { ...result, markdown: `${lines.join('\n')}\n` };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const flag = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  const dry = process.argv.includes('--dry');
  const machine = machineInfo();
  const folder = resultsDir(machine, flag('out') ?? (dry ? undefined : join('bench', 'results', `${machine.date.slice(0, 10)}-cpu-peers`)));
  const r = await runCpuPeers({
    folder, dry, threads: Number(flag('threads') ?? 2), rounds: dry ? 1 : Number(flag('rounds') ?? 8), perRound: dry ? 1 : Number(flag('per-round') ?? 5),
    models: ['semi', 'unsupervised', 'supervised', 'cluster'],
  });
  const summary = `# bench:cpu\n\n${machineMarkdown(machine, { load: loadAverage(), date: new Date().toISOString() })}\n\n${r.markdown}`;
  writeFileAtomic(join(folder, 'summary.md'), summary);
  console.log(summary);
}
