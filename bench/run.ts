// `npm run bench`: runs the benny suites and writes bench/results/<date>-<machine>/ with benny's JSON/CSV/charts
// and one summary.md. `npm run bench -- --quick` runs the relaxed 2-thread configuration only.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { WasmBackend } from '../ts/backend/wasm/wasm-backend.js';
import { type ModelKind } from '../ts/models/config.js';
import { runIterationSuite } from './iteration.js';
import { runPytorchStep } from './pytorch.js';
import { runKernelSuites, shapeName, GEMM_SHAPES } from './kernels.js';
import { machineInfo, machineMarkdown, resultsDir } from './machine.js';

const quick = process.argv.includes('--quick');
const info = machineInfo();
const folder = resultsDir(info);
const configs = quick
  ? [{ simd: 'relaxed' as const, threads: 2 }]
  : [
      { simd: 'relaxed' as const, threads: 1 },
      { simd: 'relaxed' as const, threads: 2 },
      { simd: 'plain' as const, threads: 1 },
      { simd: 'plain' as const, threads: 2 },
    ];
const kernels = await runKernelSuites(folder, configs);

const kinds: ModelKind[] = ['semi', 'unsupervised', 'supervised', 'cluster'];
const wasm = await WasmBackend.create({ threads: 2 });
const iterations = await runIterationSuite(folder, [{ name: `wasm ${wasm.info().simd} 2t`, be: wasm }], kinds);
wasm.dispose();
const pytorch = runPytorchStep({ device: 'cpu', threads: 2, iters: 30 });
writeFileSync(join(folder, 'pytorch-cpu.json'), `${JSON.stringify(pytorch, null, 2)}\n`);

// Efficiency: the iteration's GEMM FLOPs at the GEMM rate measured in this run, against the measured iteration.
const gemmRate = kernels.find((r) => r.config === `wasm ${iterations[0]!.config.split(' ')[1]} 2t` && r.case === `gemm ${shapeName(GEMM_SHAPES[1]!)}`)!.rate;

const lines = [
  '# Benchmark summary',
  '',
  machineMarkdown(info),
  `- command: npm run bench${quick ? ' -- --quick' : ''}`,
  '',
  '## Kernels (Wasm backend)',
  '',
  '| config | case | median ms | rate |',
  '| --- | --- | ---: | ---: |',
  ...kernels.map((r) => `| ${r.config} | ${r.case} | ${r.medianMs.toFixed(3)} | ${r.rate.toFixed(1)} ${r.unit} |`),
  '',
  '## One training iteration (batch 100, 1000-unit nets, all phases)',
  '',
  '| backend | model | median ms | p10-p90 ms | GEMM GFLOP | GEMM-bound ms | non-GEMM share |',
  '| --- | --- | ---: | ---: | ---: | ---: | ---: |',
  ...iterations.map((r) => {
    const bound = (r.gemmGflop / gemmRate) * 1e3;
    return `| ${r.config} | ${r.model} | ${r.medianMs.toFixed(1)} | ${r.p10Ms.toFixed(1)}-${r.p90Ms.toFixed(1)} | ${r.gemmGflop.toFixed(2)} | ${bound.toFixed(1)} | ${(100 * (1 - bound / r.medianMs)).toFixed(0)}% |`;
  }),
  '',
  `GEMM-bound ms = the iteration's GEMM FLOPs at this run's (100,1000,1000) GEMM rate (${gemmRate.toFixed(1)} GFLOP/s);`,
  'the non-GEMM share is the rest of the measured iteration (elementwise ops, losses, Adam, Philox, small GEMMs).',
  '',
  '## Peer: PyTorch eager on the same CPU (bench/pytorch_step.py, the same semi-supervised iteration, 2 threads)',
  '',
  ...('skipped' in pytorch
    ? [`skipped: ${pytorch.skipped}`]
    : [
        '| framework | BLAS | device | median ms | p10-p90 ms | ours (wasm semi) ms | ours faster by |',
        '| --- | --- | --- | ---: | ---: | ---: | ---: |',
        `| ${pytorch.framework} | ${pytorch.blas} | ${pytorch.device} | ${pytorch.ms_median.toFixed(1)} | ${pytorch.ms_p10.toFixed(1)}-${pytorch.ms_p90.toFixed(1)} | ${iterations[0]!.medianMs.toFixed(1)} | ${(pytorch.ms_median / iterations[0]!.medianMs).toFixed(2)}x |`,
      ]),
  '',
];
const summary = lines.join('\n');
writeFileSync(join(folder, 'summary.md'), summary);
console.log(`\n${summary}\nwritten to ${folder}/`);
