// Reads are bounded by the header: a .npy or idx file whose header declares a small shape but which is hundreds of
// megabytes long (here a sparse file) is refused from its first bytes, without reading or allocating the rest.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import t from 'tap';
import { npyBytes } from '../helpers/npy.js';

const LENGTH = 600_000_000;
/** The peak resident memory the child may reach: a quarter of the file (node with tsx alone takes about 90 MB). */
const MAX_RSS_KB = LENGTH / 4 / 1024;

t.test('a file far longer than its header declares: one error, memory far below its size', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'aae-bounded-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const npy = join(dir, 'train-images.npy');
  writeFileSync(npy, npyBytes('|u1', [2, 784], new Uint8Array(2 * 784)));
  const idx = join(dir, 'train-images-idx3-ubyte');
  const header = new Uint8Array(16);
  new DataView(header.buffer).setUint32(0, 0x00000803);
  new DataView(header.buffer).setUint32(4, 2);
  new DataView(header.buffer).setUint32(8, 28);
  new DataView(header.buffer).setUint32(12, 28);
  writeFileSync(idx, header);
  for (const file of [npy, idx]) truncateSync(file, LENGTH);
  const cases: [string, string, RegExp][] = [
    ['npy.ts', `readNpy(${JSON.stringify(npy)})`, /train-images\.npy: not a valid \.npy file: shape \(2, 784\) of uint8 needs 1568 bytes of data, but the file has \d+ trailing bytes/],
    ['idx.ts', `readIdx(${JSON.stringify(idx)})`, /train-images-idx3-ubyte: not a valid idx file: dimensions \[2, 28, 28\] need 1568 bytes of data, but the file has \d+ trailing bytes/],
  ];
  for (const [module, call, message] of cases) {
    const script = `const m = await import(${JSON.stringify(resolve('ts/data', module))});
      try { m.${call}; console.log('read'); } catch (e) { console.log(e.message); }
      console.log(process.resourceUsage().maxRSS);`;
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 120_000 });
    const [line, rss] = r.stdout.trim().split('\n');
    t.match(line, message, module);
    t.ok(Number(rss) < MAX_RSS_KB, `${module}: peak memory ${rss} kB, below ${Math.round(MAX_RSS_KB)} kB`);
  }
});
