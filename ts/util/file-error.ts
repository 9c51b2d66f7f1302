// File-system failures as one line for the user: the path, what went wrong in words, and what to do about it.
// A FileError is the user's to fix (exit code 2) unless the disk itself failed or filled up (exit code 1).

/** Error codes that are the machine's trouble rather than a wrong path or permission. */
const RUNTIME_CODES = new Set(['ENOSPC', 'EDQUOT', 'EIO', 'EMFILE', 'ENFILE', 'ENOMEM']);

const ADVICE: Record<string, string> = {
  EACCES: 'permission denied; check its permissions or choose another path',
  EPERM: 'operation not permitted; check its permissions or choose another path',
  EROFS: 'read-only file system; choose a path on a writable file system',
  ENOSPC: 'no space left on the device; free some space or choose another path',
  EDQUOT: 'disk quota exceeded; free some space or choose another path',
  EISDIR: 'is a directory; expected a file',
  ENOTDIR: 'a component of the path is not a directory',
  ENOENT: 'no such file or directory',
  EEXIST: 'already exists',
  ENAMETOOLONG: 'the name is too long; choose a shorter path',
  ELOOP: 'too many levels of symbolic links',
  EIO: 'input/output error from the device; check the disk',
  EMFILE: 'too many open files; raise the limit (ulimit -n) or close other programs',
  ENFILE: 'too many open files on the system',
};

export class FileError extends Error {
  override name = 'FileError';
  readonly file: string;
  readonly code: string | undefined;

  constructor(message: string, options: { file: string; code?: string; cause?: unknown }) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.file = options.file;
    this.code = options.code;
  }

  /** The exit code: 2 for a path or permission the user can change, 1 for a full or failing disk. */
  get exitCode(): 1 | 2 {
    return this.code !== undefined && RUNTIME_CODES.has(this.code) ? 1 : 2;
  }
}

/** A Node.js system error (errno, syscall, path) or undefined for any other value. */
export function systemError(e: unknown): NodeJS.ErrnoException | undefined {
  const err = e as NodeJS.ErrnoException | undefined;
  return err instanceof Error && typeof err.code === 'string' && typeof err.syscall === 'string' ? err : undefined;
}

/**
 * Wraps a system error from an operation on `file` as a FileError: "<file>: cannot <action>: <advice> (<CODE>)".
 * Anything else is returned as it is.
 */
export function fileError(e: unknown, options: { file: string; action: string }): unknown {
  const err = systemError(e);
  if (!err) return e;
  const code = err.code!;
  const words = ADVICE[code] ?? err.message.replace(/^[A-Z]+: /, '').replace(/, \w+ '.*'$/, '');
  return new FileError(`${options.file}: cannot ${options.action}: ${words} (${code})`, { file: options.file, code, cause: err });
}

/** A system error from anywhere (its own path, or its syscall when it has none) as one FileError line. */
export function describeSystemError(err: NodeJS.ErrnoException): FileError {
  const file = err.path ?? '(no path)';
  return fileError(err, { file, action: err.syscall ?? 'access it' }) as FileError;
}
