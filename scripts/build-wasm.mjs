// Compiles asm/index.ts twice with AssemblyScript: a relaxed-SIMD build (f32x4.relaxed_madd micro-kernels) and a
// plain-SIMD build for engines without relaxed SIMD. Both import one shared memory, so every worker thread
// instantiates the same module over the same linear memory.
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
  '-O3', '--noAssert', '--runtime', 'stub', '--importMemory', '--sharedMemory',
  '--initialMemory', '16', '--maximumMemory', '65536', '--use', 'abort=',
];
const builds = [
  { file: 'aae.relaxed.wasm', features: 'simd,threads,relaxed-simd' },
  { file: 'aae.simd.wasm', features: 'simd,threads' },
];
for (const { file, features } of builds) {
  const args = [asc, ...common, '--enable', features, '-o', join(outDir, file)];
  const r = spawnSync(process.execPath, args, { stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`build-wasm: asc failed for ${file} (exit ${r.status})`);
    process.exit(1);
  }
  console.log(`build-wasm: wrote build/wasm/${file}`);
}
