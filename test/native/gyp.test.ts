// bindings.gyp is a real build description: where nvcc exists (CI has it), `npm run build:native:gyp` builds the
// addon through node-gyp and the result loads and exposes the same API as the cmake-js build.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import t from 'tap';

const nvcc = ['/usr/local/cuda/bin/nvcc', ...(process.env['PATH'] ?? '').split(':').map((d) => `${d}/nvcc`)].find((p) => existsSync(p));

t.test('npm run build:native:gyp builds the addon from bindings.gyp', { skip: nvcc ? false : 'nvcc is not installed here' }, async (t) => {
  const r = spawnSync('npm', ['run', 'build:native:gyp'], { encoding: 'utf8', timeout: 600_000 });
  t.equal(r.status, 0, `exit 0 (${(r.stdout + r.stderr).slice(-600)})`);
  const file = resolve('build/gyp/build/Release/aae_cuda.node');
  t.ok(existsSync(file), 'aae_cuda.node written');
  const addon = createRequire(import.meta.url)(file) as Record<string, unknown>;
  t.same(Object.keys(addon).sort(), ['Device', 'deviceCount', 'deviceInfo']);
});
