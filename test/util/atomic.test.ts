// Atomic writes (ts/util/atomic.ts): the target holds the old bytes or the new ones, never a part; a chunk producer
// that fails midway leaves the old file and no temporary file; chunks are written in order as they come.
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { writeChunksAtomic, writeFileAtomic } from '../../ts/util/atomic.js';
import { tempDir } from '../helpers/temp-dir.js';

t.test('chunks are written in order and replace the file', async (t) => {
  const dir = tempDir(t, 'atomic');
  const file = join(dir, 'out.bin');
  writeFileAtomic(file, 'old');
  writeChunksAtomic(file, [Uint8Array.of(1, 2), new Uint8Array(0), Uint8Array.of(3)]);
  t.same([...readFileSync(file)], [1, 2, 3]);
  t.same(readdirSync(dir), ['out.bin']);
});

t.test('a producer that throws midway leaves the old file and no temporary file', async (t) => {
  const dir = tempDir(t, 'atomic-fail');
  const file = join(dir, 'out.bin');
  writeFileSync(file, 'previous');
  let produced = 0;
  function* chunks(): Generator<Uint8Array> {
    yield new Uint8Array(1 << 20);
    produced++;
    throw new Error('the second chunk failed');
  }
  t.throws(() => writeChunksAtomic(file, chunks()), { message: 'the second chunk failed' });
  t.equal(produced, 1, 'the first chunk was written before the failure');
  t.equal(readFileSync(file, 'utf8'), 'previous');
  t.same(readdirSync(dir), ['out.bin']);
});
