// An exclusive lock on the embedded database's DATA_DIR. PGlite has no lock of its own: two processes
// on one directory both start and corrupt it. The lock is a file holding the owner's pid (and, on
// Linux, that process's start time, so a pid reused after a crash is not mistaken for the owner).
// A lock whose owner is gone (kill -9, power loss) is taken over; a live owner makes the second
// process refuse with one line naming the directory and the pid.
import { hostname } from 'node:os';
import { join } from 'node:path';
import { closeSync, linkSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';

export const LOCK_FILE_NAME = 'leercultuurscan.lock';

export interface LockOwner {
  pid: number;
  host: string;
  /** Process start time in clock ticks since boot (Linux /proc); null elsewhere. */
  startTicks: number | null;
  since: string;
  command: string;
}

export class DataDirLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly owner: LockOwner,
  ) {
    super(`DATA_DIR ${dataDir} is in use by process ${owner.pid} (since ${owner.since}); stop that process or use another DATA_DIR`);
    this.name = 'DataDirLockedError';
  }
}

export interface DataDirLock {
  readonly path: string;
  /** Removes the lock file if it is still ours. Safe to call twice. */
  release(): void;
}

/** The start time of a process (field 22 of /proc/<pid>/stat), or null when it cannot be read. */
function processStartTicks(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may contain spaces; count from after it.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[19]);
    return Number.isFinite(ticks) ? ticks : null;
  } catch {
    return null;
  }
}

function isAlive(owner: LockOwner): boolean {
  if (owner.host !== hostname()) return true; // another machine on a shared disk: cannot tell, assume alive
  if (owner.pid === process.pid) return true;
  try {
    process.kill(owner.pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false; // ESRCH: no such process
  }
  if (owner.startTicks === null) return true;
  const now = processStartTicks(owner.pid);
  return now === null || now === owner.startTicks; // a different start time: the pid was reused
}

function readOwner(path: string): LockOwner | null {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<LockOwner>;
    if (typeof parsed.pid !== 'number' || typeof parsed.host !== 'string') return null;
    return { pid: parsed.pid, host: parsed.host, startTicks: parsed.startTicks ?? null, since: parsed.since ?? '?', command: parsed.command ?? '' };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw err;
    return null; // unreadable or half-written: treated as stale
  }
}

const sameOwner = (a: LockOwner | null, b: LockOwner | null) => a !== null && b !== null && a.pid === b.pid && a.host === b.host && a.startTicks === b.startTicks && a.since === b.since;

/**
 * Takes the lock on dataDir (which must exist) or throws DataDirLockedError. The lock file is
 * written complete under a temporary name and linked into place, so no other process ever reads a
 * half-written lock, and the link fails when a lock exists (atomic on POSIX file systems).
 */
export function lockDataDir(dataDir: string): DataDirLock {
  const path = join(dataDir, LOCK_FILE_NAME);
  const me: LockOwner = {
    pid: process.pid,
    host: hostname(),
    startTicks: processStartTicks(process.pid),
    since: new Date().toISOString(),
    command: process.argv.slice(1, 3).join(' ').slice(0, 200),
  };
  const tmp = `${path}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w', 0o644);
  try {
    writeSync(fd, `${JSON.stringify(me)}\n`);
  } finally {
    closeSync(fd);
  }
  try {
    for (let attempt = 0; attempt < 10; attempt++) {
      try {
        linkSync(tmp, path);
        return ownLock(path, me);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
      let owner: LockOwner | null;
      try {
        owner = readOwner(path);
      } catch {
        continue; // removed meanwhile: try again
      }
      if (owner && isAlive(owner)) throw new DataDirLockedError(dataDir, owner);
      // Stale: move it aside (only one process can move a given file), then check that what was
      // moved is the stale lock read above and not a fresh one another process linked meanwhile.
      const aside = `${path}.stale.${process.pid}`;
      try {
        renameSync(path, aside);
      } catch {
        continue;
      }
      const moved = (() => {
        try {
          return readOwner(aside);
        } catch {
          return null;
        }
      })();
      if (moved && !sameOwner(moved, owner) && isAlive(moved)) {
        // We took a live process's fresh lock: put it back (fails only if yet another lock appeared).
        try {
          linkSync(aside, path);
        } catch {
          // keep going: the next round reads whatever lock is in place now
        }
      }
      try {
        unlinkSync(aside);
      } catch {
        // already gone
      }
    }
    throw new Error(`could not take the lock on DATA_DIR ${dataDir} (${path})`);
  } finally {
    try {
      unlinkSync(tmp);
    } catch {
      // already gone
    }
  }
}

function ownLock(path: string, me: LockOwner): DataDirLock {
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    process.off('exit', release);
    try {
      if (sameOwner(readOwner(path), me)) unlinkSync(path);
    } catch {
      // gone already
    }
  };
  // A normal exit without close() (process.exit in a CLI) leaves no lock behind either.
  process.on('exit', release);
  return { path, release };
}
