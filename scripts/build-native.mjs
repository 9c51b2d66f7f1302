// Builds the native addons (native/) with cmake-js, printing one line for each:
// - the CPU backend (aae_cpu.node) wherever cmake and a C++ compiler exist;
// - the CUDA backend (aae_cuda.node) too where nvcc exists (if only its build fails, the CPU addon is rebuilt alone).
// It is the package's `install` script, so it runs both in this repository (`npm install`, `npm ci`) and in a project
// that installs the published package (its dist/ and build/wasm come prebuilt; only the addons are built there).
// - Called plainly, a missing toolchain or a failed build never fails the install (the Wasm backend is used).
// - `npm run build:native` passes --required, and CI (CI=true) implies it in this repository: then a failed build
//   exits non-zero, so compile errors cannot land. Installed as a dependency (under node_modules/) CI=true does not
//   make it required: a consumer's CI without a compiler still installs the package.
// cmake-js, node-addon-api and node-api-headers are optionalDependencies: only this build needs them, never the
// library at run time, so `npm install --omit=optional` gives a Wasm-only install without them (or their failure to
// install), and this script then says so in one line instead of failing.
// AAE_CUDA=off builds the CPU addon alone even where nvcc exists (no GPU there, or a faster install).
// AAE_CUDA_ARCH overrides the CUDA architectures (e.g. AAE_CUDA_ARCH=90 for a quick Hopper-only build).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const asDependency = root.split(sep).includes('node_modules');
const required = process.argv.includes('--required') || (process.env.CI === 'true' && !asDependency);
const retry = asDependency ? `node ${join(root, 'scripts', 'build-native.mjs')} --required` : 'npm run build:native';

function findOnPath(name, extra = []) {
  for (const dir of [...(process.env.PATH ?? '').split(delimiter), ...extra]) {
    if (dir && existsSync(join(dir, name))) return join(dir, name);
  }
  return undefined;
}

function fail(message, log = '') {
  if (required) {
    if (log) console.error(log.slice(-8000));
    console.error(message);
    process.exit(1);
  }
  console.log(`${message}; the Wasm backend is used (run \`${retry}\` to see why)`);
  process.exit(0);
}

if (!findOnPath('cmake')) fail('native: cmake not found, so neither the CPU nor the CUDA addon is built (install cmake and a C++ compiler)');

const cudaOff = process.env.AAE_CUDA === 'off';
const nvcc = cudaOff ? undefined : findOnPath('nvcc', ['/usr/local/cuda/bin']);
const require = createRequire(import.meta.url);
const buildTools = ['cmake-js', 'node-addon-api', 'node-api-headers'];
const missing = buildTools.filter((name) => {
  try {
    require.resolve(`${name}/package.json`);
    return false;
  } catch {
    return true;
  }
});
if (missing.length > 0) {
  const what = missing.length > 1 ? `${missing.join(', ')} are not installed (optional dependencies` : `${missing[0]} is not installed (an optional dependency`;
  fail(`native: ${what}, left out by --omit=optional), so neither addon is built`);
}
const cmakeJs = join(dirname(require.resolve('cmake-js/package.json')), 'bin', 'cmake-js');

// Configures (always: a build directory configured before with other options, e.g. without CUDA, takes the new
// ones) and builds; ok only when every addon asked for exists afterwards.
function build(withCuda) {
  const options = ['--directory', '.', '--out', join('build', 'native'), `--CDAAE_CUDA=${withCuda ? 'ON' : 'OFF'}`];
  if (withCuda) options.push(`--CDCMAKE_CUDA_COMPILER=${nvcc}`);
  if (withCuda && process.env.AAE_CUDA_ARCH) options.push(`--CDCMAKE_CUDA_ARCHITECTURES=${process.env.AAE_CUDA_ARCH}`);
  const started = Date.now();
  const env = withCuda ? { ...process.env, PATH: `${dirname(nvcc)}${delimiter}${process.env.PATH ?? ''}` } : process.env;
  let log = '';
  for (const step of ['configure', 'build']) {
    const r = spawnSync(process.execPath, [cmakeJs, step, ...options], { cwd: root, encoding: 'utf8', env });
    log += `${r.stdout ?? ''}${r.stderr ?? ''}`;
    if (r.status !== 0) return { ok: false, seconds: ((Date.now() - started) / 1000).toFixed(0), log };
  }
  const missing = ['aae_cpu', ...(withCuda ? ['aae_cuda'] : [])].filter((name) => !existsSync(join(root, 'build', 'native', 'Release', `${name}.node`)));
  if (missing.length) log += `\nnative: the build ended without ${missing.map((m) => `${m}.node`).join(' and ')}`;
  return { ok: missing.length === 0, seconds: ((Date.now() - started) / 1000).toFixed(0), log };
}

const out = 'build/native/Release';
if (nvcc) {
  const both = build(true);
  if (both.ok) {
    console.log(`native: built the CPU addon and, with ${nvcc}, the CUDA addon in ${both.seconds} s (${out}/aae_cpu.node, aae_cuda.node)`);
    process.exit(0);
  }
  if (required) fail(`native: the addons failed to build with ${nvcc} (log above)`, both.log);
  console.log(`native: the CUDA addon failed to build with ${nvcc} (run \`${retry}\` to see the errors); building the CPU addon alone`);
}
const cpu = build(false);
if (!cpu.ok) fail('native: the CPU addon failed to build', cpu.log);
console.log(`native: built the CPU addon in ${cpu.seconds} s (${out}/aae_cpu.node)${nvcc ? '' : cudaOff ? '; AAE_CUDA=off, so the CUDA backend is not built' : `; nvcc not found, so the CUDA backend is not built (install the CUDA toolkit and run \`${retry}\` for GPUs)`}`);
