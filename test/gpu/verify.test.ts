// gpu:verify's harness, run here with Wasm standing in for CUDA (--self-test): every check passes and the results
// folder is written. On a machine with a GPU, `npm run gpu:verify` runs the same checks on the CUDA backend.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { tempDir } from '../helpers/temp-dir.js';

t.test('gpu:verify --self-test passes every op and model check', async (t) => {
  const dir = join(tempDir(t, 'verify'), 'out');
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'ts/gpu/verify.ts', '--self-test', '--out', dir], { encoding: 'utf8', timeout: 600_000 });
  t.equal(r.status, 0, `exit 0 (${r.stdout.split('\n').filter((l) => l.startsWith('FAIL')).join('; ')}${r.stderr.slice(-300)})`);
  const results = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8'));
  t.ok(results.checks.length > 60, `${results.checks.length} checks`);
  t.ok(results.checks.some((c: { name: string }) => c.name.startsWith('model semi')), 'includes model parity');
  t.match(readFileSync(join(dir, 'summary.md'), 'utf8'), /checks passed/);
});

t.test('without a usable GPU, gpu:verify says why in one line and exits 1', async (t) => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'ts/gpu/verify.ts'], { encoding: 'utf8', timeout: 60_000 });
  if (r.status === 0) {
    t.pass('a GPU is present here: gpu:verify passed');
    return;
  }
  t.equal(r.status, 1);
  t.match(r.stderr, /^gpu:verify: .+; .+\n$/);
});
