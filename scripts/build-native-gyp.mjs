// `npm run build:native:gyp`: builds the native addons (CPU and CUDA) from bindings.gyp with node-gyp (the alternative to the
// cmake-js build for toolchains that use node-gyp). node-gyp only reads a file named binding.gyp, so this copies
// bindings.gyp into build/gyp/ (whose gyp variable `root`, ../.., is then the package root).
// Output: build/gyp/build/Release/aae_cpu.node and aae_cuda.node. AAE_CUDA_HOME overrides /usr/local/cuda.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dir = join(root, 'build', 'gyp');
mkdirSync(dir, { recursive: true });
copyFileSync(join(root, 'bindings.gyp'), join(dir, 'binding.gyp'));
const nodeGyp = join(dirname(createRequire(import.meta.url).resolve('node-gyp/package.json')), 'bin', 'node-gyp.js');
const cuda = process.env.AAE_CUDA_HOME ?? '/usr/local/cuda';
const r = spawnSync(process.execPath, [nodeGyp, 'rebuild', `--directory=${dir}`, '--', `-Dcuda=${cuda}`], { stdio: 'inherit' });
if (r.status !== 0) {
  console.error('native (gyp): the node-gyp build of bindings.gyp failed (log above)');
  process.exit(1);
}
console.log('native (gyp): built build/gyp/build/Release/aae_cpu.node and aae_cuda.node');
