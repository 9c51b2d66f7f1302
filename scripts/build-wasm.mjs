// Compiles asm/index.ts with AssemblyScript: a relaxed-SIMD build (f32x4.relaxed_madd micro-kernels) and a
// plain-SIMD build for engines without relaxed SIMD, each twice:
// - aae.{relaxed,simd}.wasm import one *shared* memory, so every worker thread of the Node backend instantiates the
//   same module over the same linear memory;
// - aae.browser.{relaxed,simd}.wasm import an ordinary (non-shared) memory, for the latent-space explorer page.
//   Browsers only allow a shared WebAssembly.Memory in cross-origin-isolated pages (COOP/COEP headers), which a
//   static host or a user's own web server may not send; the explorer decodes one small batch at a time on a
//   single thread, so it needs no shared memory, and these builds run on any host. Same sources, same kernels.
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const asc = join(dirname(createRequire(import.meta.url).resolve('assemblyscript/package.json')), 'bin', 'asc.js');
const outDir = join(root, 'build', 'wasm');
mkdirSync(outDir, { recursive: true });

const common = [
  join(root, 'asm', 'index.ts'),
  '-O3', '--noAssert', '--runtime', 'stub', '--importMemory',
  '--initialMemory', '16', '--maximumMemory', '65536', '--use', 'abort=',
];
const shared = ['--sharedMemory'];
const builds = [
  { file: 'aae.relaxed.wasm', features: 'simd,threads,relaxed-simd', memory: shared },
  { file: 'aae.simd.wasm', features: 'simd,threads', memory: shared },
  { file: 'aae.browser.relaxed.wasm', features: 'simd,relaxed-simd', memory: [] },
  { file: 'aae.browser.simd.wasm', features: 'simd', memory: [] },
];
for (const { file, features, memory } of builds) {
  const args = [asc, ...common, ...memory, '--enable', features, '-o', join(outDir, file)];
  const r = spawnSync(process.execPath, args, { stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`build-wasm: asc failed for ${file} (exit ${r.status})`);
    process.exit(1);
  }
  console.log(`build-wasm: wrote build/wasm/${file}`);
}
