// summary.md: every suite's numbers in one markdown file, self-describing (machine, load, command, backends).
import { type BackendInfo } from '../ts/backend/backend.js';
import { type IterationRow } from './iteration.js';
import { type KernelRow } from './kernels.js';
import { machineMarkdown, type MachineInfo } from './machine.js';
import { type MemoryReport } from './memory-child.js';
import { type SoakVerdict, soakVerdict } from './memory.js';
import { type PairedResult } from './paired.js';
import { type PhaseRow } from './phases.js';
import { type BenchPlan } from './plan.js';
import { type PytorchResult } from './pytorch.js';
import { type Roofline } from './roofline.js';
import { type ScalingRow } from './scaling.js';
import { range } from './stats.js';
import { type TfjsRow } from './tfjs.js';

export interface SummaryInput {
  plan: BenchPlan;
  machine: MachineInfo;
  end: { load: number[]; date: string };
  backends: BackendInfo[];
  cuda: string;
  kernels: KernelRow[];
  /** The (B, H) x (H, H) GEMM rate of the main configuration in this run, and its case name. */
  gemm: { rate: number; name: string };
  roofline: Roofline;
  iterations: IterationRow[];
  tiny: IterationRow[];
  phases: PhaseRow[];
  tfjs: (TfjsRow | { backend: string; skipped: string })[];
  paired: PairedResult;
  pytorch: PytorchResult | { skipped: string };
  /** bench/pytorch_step.py on the GPU, run when the CUDA backend is there. */
  pytorchCuda: PytorchResult | { skipped: string } | undefined;
  memory: MemoryReport[];
  scaling: ScalingRow[];
  charts: string[];
  soak: { report: MemoryReport; verdict: SoakVerdict; chart: string } | { failed: string } | undefined;
}

/** "4.2x faster" or, below 1, "1.96x slower": how much faster ours is, from peer ms / our ms. */
const faster = (ratio: number, digits = 1): string => (ratio >= 1 ? `${ratio.toFixed(digits)}x faster` : `${(1 / ratio).toFixed(digits)}x slower`);

const table = (head: string[], rows: (string | number)[][], right = 1): string[] => [
  `| ${head.join(' | ')} |`,
  `| ${head.map((_, i) => (i >= right ? '---:' : '---')).join(' | ')} |`,
  ...rows.map((r) => `| ${r.join(' | ')} |`),
];

interface Ceiling {
  /** Peak and bandwidth at the main configuration's thread count. */
  fmaGflops: number;
  streamGBs: number;
  gemmMs: number;
  adamMs: number;
  floorMs: number;
}

/** The floor of the semi-supervised iteration: its GEMM FLOPs at the multiply-add peak plus its Adam traffic at the bandwidth. */
function ceilingOf(s: SummaryInput, ours: IterationRow): Ceiling | undefined {
  const row = s.roofline.rows.find((r) => r.threads === s.plan.main.threads);
  if (!row) return undefined;
  const gemmMs = (ours.gemmGflop / row.fmaGflops) * 1e3;
  const adamMs = ((ours.adamElements * 28) / (row.streamGBs * 1e9)) * 1e3;
  return { fmaGflops: row.fmaGflops, streamGBs: row.streamGBs, gemmMs, adamMs, floorMs: gemmMs + adamMs };
}

function rooflineLines(s: SummaryInput, ours: IterationRow, c: Ceiling | undefined): string[] {
  const main = `wasm ${s.plan.main.simd} ${s.plan.main.threads}t`;
  const adam = s.kernels.find((k) => k.config === main && k.case.startsWith('adam '));
  return [
    `## Roofline: this machine's ceilings (${s.roofline.simd} SIMD), measured in this run`,
    '',
    ...table(['threads', 'f32x4 multiply-add peak GFLOP/s', 'Adam-shaped stream GB/s'],
      s.roofline.rows.map((r) => [r.threads, r.fmaGflops.toFixed(1), r.streamGBs.toFixed(1)]), 1),
    '',
    'Peak: 12 independent multiply-add chains per thread, no memory traffic (asm/probe.ts), every thread at once: the most any GEMM written in 128-bit Wasm SIMD can reach on these cores. ' +
      `Stream: Adam's traffic without its arithmetic (read param, grad, m, v; write param, m, v: 28 bytes per element) over ${(s.roofline.streamElements / 1e6).toFixed(2)} M elements, the semi-supervised iteration's optimiser state, split over the threads.`,
    ...(c ? [
      '',
      `- GEMM: the ${s.gemm.name} GEMM runs at ${s.gemm.rate.toFixed(1)} GFLOP/s, **${(100 * s.gemm.rate / c.fmaGflops).toFixed(0)} %** of the ${s.plan.main.threads}-thread peak.`,
      ...(adam ? [`- Adam: the kernel moves ${adam.rate.toFixed(1)} GB/s (${adam.case}), **${(100 * adam.rate / c.streamGBs).toFixed(0)} %** of the stream bandwidth.`] : []),
      `- Floor of the semi-supervised iteration: ${ours.gemmGflop.toFixed(2)} GFLOP at the peak (${c.gemmMs.toFixed(1)} ms) + ${(ours.adamElements * 28 / 1e6).toFixed(0)} MB of Adam traffic at the stream bandwidth (${c.adamMs.toFixed(1)} ms) = **${c.floorMs.toFixed(1)} ms**, ` +
        `before any elementwise op, loss or random draw; measured ${ours.medianMs.toFixed(1)} ms (${(100 * c.floorMs / ours.medianMs).toFixed(0)} % of the floor's speed).`,
    ] : []),
    '',
  ];
}

export function renderSummary(s: SummaryInput): string {
  const ours = s.iterations.find((r) => r.backend.startsWith('wasm') && r.config.kind === 'semi')!;
  const oursCuda = s.iterations.find((r) => r.backend === 'cuda' && r.config.kind === 'semi');
  const size = `batch ${ours.config.batch}, ${ours.config.hidden}-unit nets`;
  const peers = s.tfjs.filter((t): t is TfjsRow => 'medianMs' in t);
  const p = s.paired;
  const ceiling = ceilingOf(s, ours);
  const headline = [
    `- interleaved A/B in one process (${p.rounds} rounds, each: ${p.oursPerRound} of our iterations on each configuration, then one tfjs-wasm iteration; median of the rounds' ratios, min-max beside it):`,
    ...p.ours.map((o) => `  - ours (${o.name}) **${faster(o.ratioMedian)}** than tfjs-wasm (${o.ratioMin.toFixed(1)}-${o.ratioMax.toFixed(1)}x; ` +
      `${o.medianMs.toFixed(1)} ms vs ${p.tfjsMedianMs.toFixed(0)} ms)${o === p.ours[0] ? `; target >= 25x: ${o.ratioMedian >= 25 ? 'met' : 'NOT met'}` : ''}`),
    ...(ceiling ? [`  - the ceiling on this machine (see Roofline): the iteration's GEMM FLOPs at the multiply-add peak plus its Adam traffic at the stream bandwidth take ${ceiling.floorMs.toFixed(1)} ms, ` +
      `**${(p.tfjsMedianMs / ceiling.floorMs).toFixed(1)}x** faster than tfjs-wasm with nothing else in the iteration; ours (${p.ours[0]!.medianMs.toFixed(1)} ms) runs at ${(100 * ceiling.floorMs / p.ours[0]!.medianMs).toFixed(0)} % of that floor's speed`] : []),
    ...peers.map((t) => `- benny suites, each side on its own: ours (${ours.backend}) vs ${t.backend}: **${faster(t.medianMs / ours.medianMs)}** per semi-supervised iteration (${ours.medianMs.toFixed(1)} ms vs ${t.medianMs.toFixed(0)} ms)`),
    ...('skipped' in s.pytorch ? [] : [`- benny suite vs one timed loop: ours (${ours.backend}) vs ${s.pytorch.framework} (${s.pytorch.device}): **${faster(s.pytorch.ms_median / ours.medianMs, 2)}** (${ours.medianMs.toFixed(1)} ms vs ${s.pytorch.ms_median.toFixed(1)} ms)`]),
    ...(oursCuda && s.pytorchCuda && !('skipped' in s.pytorchCuda) ? [`- ours (cuda) vs ${s.pytorchCuda.framework} (${s.pytorchCuda.device}): **${faster(s.pytorchCuda.ms_median / oursCuda.medianMs, 2)}** (${oursCuda.medianMs.toFixed(2)} ms vs ${s.pytorchCuda.ms_median.toFixed(2)} ms)`] : []),
  ];
  const boundMs = (r: IterationRow) => (r.gemmGflop / s.gemm.rate) * 1e3;
  const lines = [
    '# Benchmark summary',
    '',
    machineMarkdown(s.machine, s.end),
    `- command: ${s.plan.command}${s.plan.dry ? ' (dry run: tiny models, one sample per case; the numbers mean nothing)' : ''}`,
    ...s.backends.map((b) => `- backend ${b.name}: ${b.device}; ${b.reason}`),
    `- cuda: ${s.cuda}`,
    '- every number below is from this one run on this one machine; medians of benny samples, p10-p90 beside them.',
    '',
    '## Headline',
    '',
    ...headline,
    '',
    `## One training iteration (${size}, all phases)`,
    '',
    ...table(['backend', 'model', 'median ms', 'p10-p90 ms', 'samples', 'GEMM GFLOP', 'GFLOP/s achieved', 'GEMM-bound ms', 'non-GEMM share'],
      s.iterations.map((r) => {
        const wasm = r.backend.startsWith('wasm');
        return [r.backend, r.model, r.medianMs.toFixed(1), range(r), r.samples, r.gemmGflop.toFixed(2), (r.gemmGflop / (r.medianMs / 1e3)).toFixed(1),
          wasm ? boundMs(r).toFixed(1) : '-', wasm ? `${(100 * (1 - boundMs(r) / r.medianMs)).toFixed(0)}%` : '-'];
      }), 2),
    '',
    `Efficiency line: GEMM-bound ms = the iteration's GEMM FLOPs at this run's ${s.gemm.name} GEMM rate (${s.gemm.rate.toFixed(1)} GFLOP/s, ${s.plan.main.simd} SIMD, ${s.plan.main.threads} threads);`,
    'the non-GEMM share is the rest of the measured iteration (elementwise ops, losses, Adam, Philox, small GEMMs). Target on Wasm: <= 15 %.',
    '',
    ...rooflineLines(s, ours, ceiling),
    '## Peers: the same semi-supervised iteration in other frameworks, same machine, same run',
    '',
    ...table(['framework', 'setup', 'median ms', 'p10-p90 ms', 'samples', `ours (${ours.backend})`], [
      ...s.tfjs.map((t) => ('skipped' in t ? [t.backend, `skipped: ${t.skipped}`, '-', '-', '-', '-'] :
        [t.backend, `${t.setup}; tensors leaked per run: ${t.leakedTensors}`, t.medianMs.toFixed(0), range(t, 0), t.samples, faster(t.medianMs / ours.medianMs)])),
      'skipped' in s.pytorch ? ['pytorch (bench/pytorch_step.py)', `skipped: ${s.pytorch.skipped}`, '-', '-', '-', '-'] :
        [s.pytorch.framework, `${s.pytorch.device}, BLAS ${s.pytorch.blas}`, s.pytorch.ms_median.toFixed(1), `${s.pytorch.ms_p10.toFixed(1)}-${s.pytorch.ms_p90.toFixed(1)}`, 30, faster(s.pytorch.ms_median / ours.medianMs, 2)],
      ...(oursCuda && s.pytorchCuda ? ['skipped' in s.pytorchCuda ? ['pytorch cuda', `skipped: ${s.pytorchCuda.skipped}`, '-', '-', '-', '-'] :
        [s.pytorchCuda.framework, s.pytorchCuda.device, s.pytorchCuda.ms_median.toFixed(2), `${s.pytorchCuda.ms_p10.toFixed(2)}-${s.pytorchCuda.ms_p90.toFixed(2)}`, 50, `ours (cuda, ${oursCuda.medianMs.toFixed(2)} ms): ${faster(s.pytorchCuda.ms_median / oursCuda.medianMs, 2)}`]] : []),
    ], 2),
    '',
    'tfjs: bench/tfjs.ts, the same nets, dropout, BCE (eps 1e-15), adversarial losses and six Adam optimisers as ts/models/semisupervised.ts, hidden layers as fused matMul + bias + relu.',
    `GEMM rates in this run: ours (${s.plan.main.simd} SIMD, ${s.plan.main.threads} threads) ${s.gemm.name} ${s.gemm.rate.toFixed(1)} GFLOP/s; ` +
      peers.map((t) => `${t.backend} ${t.gemm.map((g) => `${g.case} ${g.gflops.toFixed(1)}`).join(', ')} GFLOP/s`).join('; ') + '.',
    `Samples are fewer for tfjs (minSamples ${s.plan.tfjsWasm.minSamples} on wasm, ${s.plan.tfjsCpu.minSamples} on cpu) because one of its iterations takes seconds.`,
    '',
    '## Semi-supervised iteration by phase',
    '',
    ...table(['backend', 'phase', 'median ms', 'p10-p90 ms', 'share of the phases\' sum'], s.phases.map((p) => {
      const sum = s.phases.filter((q) => q.backend === p.backend && q.phase !== 'whole iteration').reduce((a, q) => a + q.medianMs, 0);
      return [p.backend, p.phase, p.medianMs.toFixed(2), range(p, 2), p.phase === 'whole iteration' ? `(sum of phases ${sum.toFixed(1)} ms)` : `${((100 * p.medianMs) / sum).toFixed(0)}%`];
    }), 2),
    '',
    'Each phase is its own benny case through the model\'s phase methods (reconstructionGradients + P_decoder/Q_encoder, the discriminator steps, generatorGradients + Q_generator, classifierGradients + Q_semi_supervised).',
    '',
    `## Reference backend (float64, naive on purpose) on a tiny model`,
    '',
    ...table(['backend', 'model', 'median ms', 'p10-p90 ms', 'samples'], s.tiny.map((r) => [r.backend, r.model, r.medianMs.toFixed(2), range(r, 2), r.samples]), 2),
    ...(s.tiny.length === 2 ? ['', `Wasm is ${(s.tiny[0]!.medianMs / s.tiny[1]!.medianMs).toFixed(0)}x faster than the reference on this model.`] : []),
    '',
    `## Memory: each model's training on Wasm (${s.plan.main.simd} SIMD, ${s.plan.main.threads} threads), one process per model`,
    '',
    ...table(['model', 'iterations', 'peak RSS MB', 'Wasm arena MB', 'over the run'], s.memory.map((m) => [m.model, m.iterations, m.peakRssMB, m.wasmMB, soakVerdict(m).line]), 1),
    '',
    ...(s.soak && 'failed' in s.soak ? [`Soak: failed: ${s.soak.failed}`] : s.soak
      ? [`Soak (${s.soak.report.iterations} iterations of the ${s.soak.report.model} model): **${s.soak.verdict.line}**.`, '', `![soak](${s.soak.chart})`]
      : ['Soak: not run (`npm run bench -- --soak` runs 10 000 iterations of the semi-supervised model and says whether RSS and the Wasm arena stay flat).']),
    '',
    `## Scaling on Wasm (${s.plan.main.simd} SIMD, ${s.plan.main.threads} threads): the semi-supervised iteration`,
    '',
    ...table(['hidden', 'batch', 'median ms', 'p10-p90 ms', 'GEMM GFLOP', '(B,H)x(H,H) GEMM GFLOP/s', 'GEMM-bound ms', 'measured / bound'],
      s.scaling.map((r) => [r.hidden, r.batch, r.medianMs.toFixed(1), range(r), r.gemmGflop.toFixed(2), r.gemmRate.toFixed(1), r.boundMs.toFixed(1), `${(r.medianMs / r.boundMs).toFixed(2)}x`]), 0),
    '',
    'GEMM-bound ms: the iteration\'s GEMM FLOPs at the rate of the (B, H) x (H, H) GEMM measured at the same point in the same suite.',
    '',
    ...s.charts.map((c) => `![${c}](${c})`),
    '',
    '## Kernels (Wasm backend)',
    '',
    ...table(['config', 'case', 'median ms', 'p10-p90 ms', 'rate'], s.kernels.map((r) => [r.config, r.case, r.medianMs.toFixed(3), range(r, 3), `${r.rate.toFixed(r.unit === 'Melem/s' ? 0 : 1)} ${r.unit}`]), 2),
    '',
    'Files: the run wrote benny JSON/CSV (and charts for the Wasm suites) per suite and results.json (every row above) beside this summary; git keeps the summaries only, and the command above writes them again.',
    '',
  ];
  return lines.join('\n');
}
