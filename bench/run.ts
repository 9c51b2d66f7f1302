// `npm run bench`: runs the benny suites and writes bench/results/<date>-<machine>/ with benny's JSON/CSV/charts
// and one summary.md. `npm run bench -- --quick` runs the relaxed 2-thread configuration only.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runKernelSuites } from './kernels.js';
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
const rows = await runKernelSuites(folder, configs);

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
  ...rows.map((r) => `| ${r.config} | ${r.case} | ${r.medianMs.toFixed(3)} | ${r.rate.toFixed(1)} ${r.unit} |`),
  '',
];
const summary = lines.join('\n');
writeFileSync(join(folder, 'summary.md'), summary);
console.log(`\n${summary}\nwritten to ${folder}/`);
