// The README's TypeScript example runs as written (with 'aae-ts' resolved to this checkout's ts/index.ts).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import t from 'tap';

t.test('the README example trains, encodes and decodes', async (t) => {
  const readme = readFileSync('README.md', 'utf8');
  const block = /<!-- example:start -->\s*```ts\n([\s\S]*?)```\s*<!-- example:end -->/.exec(readme);
  t.ok(block, 'README has a marked example');
  const code = block![1]!.replace("from 'aae-ts'", `from '${resolve('ts/index.ts')}'`);
  const file = join(mkdtempSync(join(tmpdir(), 'aae-readme-')), 'example.mts');
  writeFileSync(file, code);
  const r = spawnSync(process.execPath, ['--import', 'tsx', file], { encoding: 'utf8', timeout: 300_000 });
  t.equal(r.status, 0, `exit code (stderr: ${r.stderr.slice(-500)})`);
  t.match(r.stdout, /test error after 50 iterations: \d+\.\d%/);
  t.match(r.stdout, /decoded 10 images; first code z = \(-?\d+\.\d\d, -?\d+\.\d\d\)/);
});
