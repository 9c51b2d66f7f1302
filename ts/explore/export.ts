// `--export DIR`: the page as a self-contained static folder (index.html, explorer.js, the two .wasm builds,
// manifest.json, weights.bin) that any static web server can host. Each file is written atomically; other files
// already in DIR are left alone.
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DataError } from '../data/idx.js';
import { writeFileAtomic } from '../util/atomic.js';
import { makeDirectory } from '../util/make-dir.js';
import { type Site } from './site.js';

/** Writes every file of `site` into `dir` (created if missing); returns the paths written. */
export function exportSite(site: Site, dir: string): string[] {
  if (existsSync(dir) && !statSync(dir).isDirectory()) throw new DataError(`--export ${dir}: exists and is not a directory`);
  makeDirectory(dir, '--export');
  const written: string[] = [];
  for (const [name, file] of site) {
    const path = join(dir, name);
    writeFileAtomic(path, file.body);
    written.push(path);
  }
  return written;
}
