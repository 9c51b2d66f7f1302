// The Wasm backend starts whatever flags the host process runs with: its workers get their own execArgv, so an ES
// module host (--input-type=module) or a loader (--import) does not reach the workers' CommonJS source.
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import t from 'tap';

/** Creates a 2-thread Wasm backend through the public API (`entry`) and checks a matmul split over both threads. */
const script = (entry: string) => `
const { createBackend } = await import(${JSON.stringify(entry)});
const be = await createBackend('wasm', { threads: 2 });
const n = 64;
const a = Float32Array.from({ length: n * n }, (_, i) => (i % 7) - 3);
const b = Float32Array.from({ length: n * n }, (_, i) => (i % 5) - 2);
const out = be.tensor([n, n]);
be.matmul(be.tensor([n, n], a), be.tensor([n, n], b), out, {});
const got = be.download(out);
let bad = 0;
for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
  let s = 0;
  for (let k = 0; k < n; k++) s += a[i * n + k] * b[k * n + j];
  if (got[i * n + j] !== s) bad++;
}
console.log(\`threads \${be.info().threads}, wrong \${bad}\`);
be.dispose();
`;

t.test('createBackend("wasm") with 2 threads under node --input-type=module and other host flags', async (t) => {
  const hosts: [string[], string][] = [
    [['--input-type=module', '--import', 'tsx'], resolve('ts/index.ts')],
    [['--input-type=module', '--import=tsx', '--no-warnings', '--max-old-space-size=2048', '--experimental-wasm-relaxed-simd'], resolve('ts/index.ts')],
    // The built package as users import it (npm run build:ts refreshes dist/).
    [['--input-type=module'], resolve('dist/index.js')],
  ];
  for (const [flags, entry] of hosts) {
    const r = spawnSync(process.execPath, [...flags, '-e', script(entry)], { encoding: 'utf8', timeout: 120_000 });
    t.equal(r.status, 0, `${flags.join(' ')}: exit 0 (${r.stderr.trim().split('\n')[0] ?? ''})`);
    t.equal(r.stdout.trim(), 'threads 2, wrong 0', `${flags.join(' ')}: both threads computed the product`);
  }
});
