// Atomic file writes: write a temporary file beside the target, fsync it, rename it over the target, fsync the
// directory. A crash at any point leaves either the old file or the new one, never a half-written file. A failure
// (permissions, a full disk) is a FileError naming the target file, not the temporary one.
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileError } from './file-error.js';

export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  writeChunksAtomic(file, [typeof data === 'string' ? Buffer.from(data) : data]);
}

/**
 * writeFileAtomic of the concatenated chunks, each written as it is produced: a large file (a checkpoint) is never
 * held whole in memory. A chunk producer that throws leaves the target as it was (the temporary file is removed).
 */
export function writeChunksAtomic(file: string, chunks: Iterable<Uint8Array>): void {
  const tmp = join(dirname(file), `.${basename(file)}.${process.pid}.tmp`);
  let fd: number | undefined;
  try {
    fd = openSync(tmp, 'w');
    for (const bytes of chunks) {
      let written = 0;
      while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written);
    }
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, file);
  } catch (e) {
    if (fd !== undefined) closeSync(fd);
    rmSync(tmp, { force: true });
    throw fileError(e, { file, action: 'write it' });
  }
  const dir = openSync(dirname(file), 'r');
  try {
    fsyncSync(dir);
  } finally {
    closeSync(dir);
  }
}
