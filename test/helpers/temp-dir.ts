// Temporary directories for tests: made under the system's temp folder, removed with everything in them when the
// test (or the file, for the top-level tap object) that made them ends.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A new directory named aae-<prefix>-XXXXXX under `base` (default: the temp folder), removed at t's teardown. */
export function tempDir(t: { teardown(fn: () => void): void }, prefix: string, base = tmpdir()): string {
  const dir = mkdtempSync(join(base, `aae-${prefix}-`));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}
