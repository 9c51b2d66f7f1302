// Creating a directory and its missing parents one level at a time. Node 20's mkdirSync(..., { recursive: true })
// loops forever where mkdir fails with ENOENT under an existing parent (/proc, for one); here every failure is one
// FileError naming the level that could not be made.
import { accessSync, constants, mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { FileError, fileError, systemError } from './file-error.js';

/** The directories to create for `dir`, outermost first, after checking that the deepest existing one is a directory. */
function missingLevels(dir: string, flag: string): string[] {
  const missing: string[] = [];
  for (let p = resolve(dir); ; p = dirname(p)) {
    try {
      if (statSync(p).isDirectory()) return missing.reverse();
      throw new FileError(`${p}: exists and is not a directory; ${flag} needs a directory path`, { file: p, code: 'ENOTDIR' });
    } catch (e) {
      if (e instanceof FileError) throw e;
      const code = systemError(e)?.code;
      if ((code !== 'ENOENT' && code !== 'ENOTDIR') || dirname(p) === p) throw fileError(e, { file: p, action: 'look it up' });
      missing.push(p);
    }
  }
}

/** Creates `dir` (and its parents) unless it is already a directory; `flag` ("--out") is named in errors. */
export function makeDirectory(dir: string, flag: string): void {
  for (const level of missingLevels(dir, flag)) {
    try {
      mkdirSync(level);
    } catch (e) {
      const code = systemError(e)?.code;
      if (code === 'EEXIST' && statSync(level).isDirectory()) continue;
      if (code === 'ENOENT') {
        throw new FileError(`${level}: cannot create the directory: its file system does not allow it (a pseudo file system such as /proc?); choose another ${flag}`, { file: level, code });
      }
      throw fileError(e, { file: level, action: `create the directory for ${flag}` });
    }
  }
}

/** Throws a FileError naming `dir` unless this process may create files in it. */
export function checkWritable(dir: string): void {
  try {
    accessSync(dir, constants.W_OK | constants.X_OK);
  } catch (e) {
    throw fileError(e, { file: dir, action: 'write into it' });
  }
}
