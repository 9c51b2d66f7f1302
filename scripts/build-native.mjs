// Builds the CUDA addon (native/) with cmake-js when nvcc is available, printing one line either way.
// - npm install (prepare) calls it plainly: a missing nvcc or a failed build never fails the install.
// - `npm run build:native` passes --required, and CI (CI=true) implies it: then a failed build exits non-zero,
//   so compile errors cannot land.
// AAE_CUDA_ARCH overrides the architectures (e.g. AAE_CUDA_ARCH=90 for a quick Hopper-only build).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const required = process.argv.includes('--required') || process.env.CI === 'true';

function findNvcc() {
  for (const dir of [...(process.env.PATH ?? '').split(delimiter), '/usr/local/cuda/bin']) {
    if (dir && existsSync(join(dir, 'nvcc'))) return join(dir, 'nvcc');
  }
  return undefined;
}

const nvcc = findNvcc();
if (!nvcc) {
  const msg = 'native: nvcc not found, so the CUDA backend is not built (the Wasm backend is used; install the CUDA toolkit and run `npm run build:native` for GPUs)';
  console.log(msg);
  process.exit(process.argv.includes('--required') ? 1 : 0);
}

const cmakeJs = join(dirname(createRequire(import.meta.url).resolve('cmake-js/package.json')), 'bin', 'cmake-js');
const args = [cmakeJs, 'compile', '--directory', '.', '--out', join('build', 'native'), `--CDCMAKE_CUDA_COMPILER=${nvcc}`];
if (process.env.AAE_CUDA_ARCH) args.push(`--CDCMAKE_CUDA_ARCHITECTURES=${process.env.AAE_CUDA_ARCH}`);
const started = Date.now();
const r = spawnSync(process.execPath, args, {
  cwd: root,
  encoding: 'utf8',
  env: { ...process.env, PATH: `${dirname(nvcc)}${delimiter}${process.env.PATH ?? ''}` },
});
const seconds = ((Date.now() - started) / 1000).toFixed(0);
if (r.status === 0) {
  console.log(`native: built the CUDA addon with ${nvcc} in ${seconds} s (build/native/Release/aae_cuda.node)`);
  process.exit(0);
}
const log = `${r.stdout ?? ''}${r.stderr ?? ''}`;
if (required) {
  console.error(log.slice(-8000));
  console.error(`native: the CUDA addon failed to build with ${nvcc} (log above)`);
  process.exit(1);
}
console.log(`native: the CUDA addon failed to build with ${nvcc}; the Wasm backend is used (run \`npm run build:native\` to see the errors)`);
