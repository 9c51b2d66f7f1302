// Compiles asm/index.ts with AssemblyScript: a relaxed-SIMD build (f32x4.relaxed_madd micro-kernels) and a
// plain-SIMD build for engines without relaxed SIMD, each twice:
// - aae.{relaxed,simd}.wasm import one *shared* memory, so every worker thread of the Node backend instantiates the
//   same module over the same linear memory;
// - aae.browser.{relaxed,simd}.wasm import an ordinary (non-shared) memory, for the latent-space explorer page.
//   Browsers only allow a shared WebAssembly.Memory in cross-origin-isolated pages (COOP/COEP headers), which a
//   static host or a user's own web server may not send; the explorer decodes one small batch at a time on a
//   single thread, so it needs no shared memory, and these builds run on any host. Same sources, same kernels.
// And asm/probe.ts alone into probe.{relaxed,simd}.wasm: the benchmark's roofline probes (bench/roofline.ts).
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const asc = join(dirname(createRequire(import.meta.url).resolve('assemblyscript/package.json')), 'bin', 'asc.js');
const outDir = join(root, 'build', 'wasm');
mkdirSync(outDir, { recursive: true });

const options = [
  '-O3', '--noAssert', '--runtime', 'stub', '--importMemory',
  '--initialMemory', '16', '--maximumMemory', '65536', '--use', 'abort=',
];
const shared = ['--sharedMemory'];
const kernels = join(root, 'asm', 'index.ts');
const probe = join(root, 'asm', 'probe.ts');
const builds = [
  { file: 'aae.relaxed.wasm', source: kernels, features: 'simd,threads,relaxed-simd', memory: shared },
  { file: 'aae.simd.wasm', source: kernels, features: 'simd,threads', memory: shared },
  { file: 'aae.browser.relaxed.wasm', source: kernels, features: 'simd,relaxed-simd', memory: [] },
  { file: 'aae.browser.simd.wasm', source: kernels, features: 'simd', memory: [] },
  { file: 'probe.relaxed.wasm', source: probe, features: 'simd,relaxed-simd', memory: [] },
  { file: 'probe.simd.wasm', source: probe, features: 'simd', memory: [] },
];
for (const { file, source, features, memory } of builds) {
  const args = [asc, source, ...options, ...memory, '--enable', features, '-o', join(outDir, file)];
  const r = spawnSync(process.execPath, args, { stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`build-wasm: asc failed for ${file} (exit ${r.status})`);
    process.exit(1);
  }
  console.log(`build-wasm: wrote build/wasm/${file}`);
}
