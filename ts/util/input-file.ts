// Reading an input file (data, checkpoint, run configuration) safely: it must be a regular file, or a symbolic link
// to one, no larger than a limit, and it is read with exactly the size it had when opened. A directory, FIFO,
// device or socket is refused before it is opened, so nothing blocks on a pipe or reads /dev/zero without end;
// the file is opened non-blocking and checked again on its descriptor, in case it was swapped in between.
import { type Stats, closeSync, constants, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { FileError, fileError, systemError } from './file-error.js';

export interface InputFileOptions {
  /** What the file should hold, for messages: "a .npy array", "a checkpoint", ... */
  what: string;
  /** Largest size accepted, in bytes. */
  maxBytes: number;
  /**
   * A format whose header declares its size: `layout` gets the first headBytes bytes (fewer in a shorter file) and
   * the file's size, and throws unless they agree, before the rest is read.
   */
  check?: { headBytes: number; layout: (head: Uint8Array, size: number) => unknown };
}

/** "a directory", "a FIFO (named pipe)", ... for anything that is not a regular file; undefined for a regular file. */
function otherKind(st: Stats): string | undefined {
  if (st.isFile()) return undefined;
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

function check(file: string, st: Stats, o: InputFileOptions): void {
  const kind = otherKind(st);
  if (kind) throw new FileError(`${file}: is ${kind}; expected a regular file holding ${o.what}`, { file });
  if (st.size > o.maxBytes) throw new FileError(`${file}: ${st.size} bytes is larger than the ${o.maxBytes}-byte limit for ${o.what}`, { file });
}

/** The stats of `file` (symlinks followed) when it is a regular file within o.maxBytes; else a FileError saying why. */
function statInput(file: string, o: InputFileOptions): Stats {
  try {
    const st = statSync(file);
    check(file, st, o);
    return st;
  } catch (e) {
    if (e instanceof FileError) throw e;
    if (systemError(e)?.code === 'ENOENT') throw new FileError(`${file}: not found; expected a regular file holding ${o.what}`, { file, code: 'ENOENT' });
    throw fileError(e, { file, action: 'read it' });
  }
}

/** The whole of a regular file, bounded by o.maxBytes; every problem is a FileError naming the file. */
export function readInputFile(file: string, o: InputFileOptions): Uint8Array {
  statInput(file, o);
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    throw fileError(e, { file, action: 'open it' });
  }
  try {
    const st = fstatSync(fd);
    check(file, st, o);
    if (!o.check) {
      const bytes = new Uint8Array(st.size);
      readFully(file, fd, bytes, 0);
      return bytes;
    }
    const head = new Uint8Array(Math.min(st.size, o.check.headBytes));
    readFully(file, fd, head, 0);
    o.check.layout(head, st.size); // the rest is read, and allocated, only for a header that fits the size
    const bytes = new Uint8Array(st.size);
    bytes.set(head);
    readFully(file, fd, bytes, head.length);
    return bytes;
  } catch (e) {
    throw fileError(e, { file, action: 'read it' });
  } finally {
    closeSync(fd);
  }
}

/** Fills bytes[from..] from the same offsets of the file. */
function readFully(file: string, fd: number, bytes: Uint8Array, from: number): void {
  for (let filled = from; filled < bytes.length; ) {
    const n = readSync(fd, bytes, filled, bytes.length - filled, filled);
    if (n === 0) throw new FileError(`${file}: shrank while being read (${filled} of ${bytes.length} bytes); is another program writing it?`, { file });
    filled += n;
  }
}

/** readInputFile as UTF-8 text. */
export function readInputText(file: string, o: InputFileOptions): string {
  return new TextDecoder().decode(readInputFile(file, o));
}
