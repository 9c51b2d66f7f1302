// One writer per run directory: train holds <run>/train.lock, a JSON file naming its process and host, from the
// moment it takes the directory until it exits (normally, by Ctrl-C or SIGTERM, or with an error). A second train
// on the same directory is refused with one line naming the holder. A lock left by a killed process (kill -9, a
// crash) is stale when its host is this one and its process is gone, and is then taken over.
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { FileError, fileError, systemError } from '../util/file-error.js';

const LOCK_NAME = 'train.lock';

/** Tries at taking the lock when it keeps disappearing or going stale under us. */
const MAX_ATTEMPTS = 10;

export interface LockOwner {
  pid: number;
  host: string;
  started: string;
}

/** Whether a process with this id exists on this host (EPERM: it exists, owned by another user). */
function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return systemError(e)?.code === 'EPERM';
  }
}

function parseOwner(text: string): LockOwner | undefined {
  try {
    const o = JSON.parse(text) as Partial<LockOwner>;
    return Number.isSafeInteger(o.pid) && typeof o.host === 'string' ? { pid: o.pid!, host: o.host, started: String(o.started) } : undefined;
  } catch {
    return undefined;
  }
}

/** The lock file's text, or undefined when it is gone (released between our attempt and this read). */
function readLock(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    if (systemError(e)?.code === 'ENOENT') return undefined;
    throw fileError(e, { file, action: 'read the lock file' });
  }
}

/** A lock whose process is gone: on this host, with no process of its id. */
function isStale(text: string): boolean {
  const owner = parseOwner(text);
  return owner !== undefined && owner.host === hostname() && !processExists(owner.pid);
}

function heldError(dir: string, file: string, text: string): FileError {
  const owner = parseOwner(text);
  const holder = owner ? `process ${owner.pid} on ${owner.host} (since ${owner.started})` : 'another process (its lock file is unreadable)';
  return new FileError(`${dir}: in use by ${holder}; wait for that training to end, or remove ${file} if it no longer runs`, { file });
}

export class RunLock {
  #held = true;
  readonly #onExit = () => this.release();

  private constructor(
    readonly file: string,
    readonly owner: LockOwner,
  ) {
    process.on('exit', this.#onExit);
  }

  /**
   * Throws the FileError acquire would throw if another process holds the lock of `dir` now; a quick check before
   * the slow work (data, backend), which acquire repeats once that work is done.
   */
  static refuseIfHeld(dir: string): void {
    const file = join(dir, LOCK_NAME);
    const text = readLock(file);
    if (text !== undefined && !isStale(text)) throw heldError(dir, file, text);
  }

  /** Takes the lock of run directory `dir` (which exists), or throws a FileError naming the process that holds it. */
  static acquire(dir: string): RunLock {
    const file = join(dir, LOCK_NAME);
    const me: LockOwner = { pid: process.pid, host: hostname(), started: new Date().toISOString() };
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      if (RunLock.#create(file, me)) return new RunLock(file, me);
      const text = readLock(file);
      if (text === undefined) continue;
      if (!isStale(text)) throw heldError(dir, file, text);
      // Stale: remove it unless another process took it over since we read it, then try again.
      if (readLock(file) === text) rmSync(file, { force: true });
    }
    throw new FileError(`${file}: the lock file keeps changing; is another program taking and releasing it?`, { file });
  }

  /** Creates the lock file holding `me`; false when it exists already. */
  static #create(file: string, me: LockOwner): boolean {
    let fd: number;
    try {
      fd = openSync(file, 'wx');
    } catch (e) {
      if (systemError(e)?.code === 'EEXIST') return false;
      throw fileError(e, { file, action: 'create the lock file' });
    }
    try {
      writeSync(fd, `${JSON.stringify(me)}\n`);
    } catch (e) {
      closeSync(fd);
      rmSync(file, { force: true });
      throw fileError(e, { file, action: 'write the lock file' });
    }
    closeSync(fd);
    return true;
  }

  /**
   * Removes the lock file if it is still ours; safe to call more than once, and it never throws (it also runs at
   * process exit): a lock it cannot remove is stale once this process is gone, and taken over then.
   */
  release(): void {
    if (!this.#held) return;
    this.#held = false;
    process.off('exit', this.#onExit);
    try {
      if (parseOwner(readFileSync(this.file, 'utf8'))?.pid === this.owner.pid) rmSync(this.file, { force: true });
    } catch {
      // Left in place: stale once this process is gone.
    }
  }
}
