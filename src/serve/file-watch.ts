import { stat, watch, type FSWatcher } from "node:fs";

/** What a watched file is now: null while it does not exist. `ino` tells a replaced file from a grown one. */
export interface FileState {
  size: number;
  ino: number;
}

/** How often the poll fallback stats the file: catches what fs.watch misses (network file systems, a replaced file). */
export const POLL_MS = 500;
/** fs.watch fires once per write; a writer logging every step would stat the file thousands of times a second. */
const COALESCE_MS = 5;

type Listener = (state: FileState | null) => void;

/**
 * One watcher per file, shared by every client tailing it: fs.watch (inotify on Linux) wakes the clients
 * within milliseconds of a write, and a slow poll catches what it misses. Each change is one stat, passed to
 * every listener, so 20 clients on one file cost one watcher and one stat, not 20.
 */
class SharedWatch {
  readonly listeners = new Set<Listener>();
  private watcher: FSWatcher | null = null;
  private readonly poll: NodeJS.Timeout;
  private pending: NodeJS.Timeout | null = null;
  private statting = false;
  private again = false;
  private closed = false;
  /** The inode the watch was set on (-1: not known yet, so the first stat sets it again). */
  private watchedIno = -1;

  constructor(readonly path: string) {
    this.poll = setInterval(() => this.check(), POLL_MS);
    this.poll.unref();
    this.check(); // sets the watch on the inode it finds
  }

  /** Stats the file soon, once for a burst of events. */
  changed(): void {
    if (this.pending === null && !this.closed) this.pending = setTimeout(() => { this.pending = null; this.check(); }, COALESCE_MS);
  }

  /** Stats the file and tells every listener (also when nothing changed: the poll is the safety net). */
  private check(): void {
    if (this.statting) { this.again = true; return; }
    this.statting = true;
    stat(this.path, (error, s) => {
      this.statting = false;
      if (this.closed) return;
      const next = error ? null : { size: s.size, ino: s.ino };
      // A watch follows the inode: a file replaced by rename, or deleted and written again, needs a new one.
      if (next !== null && (next.ino !== this.watchedIno || this.watcher === null)) {
        this.watchedIno = next.ino;
        this.rewatch();
      }
      for (const listener of [...this.listeners]) listener(next);
      if (this.again) { this.again = false; this.check(); }
    });
  }

  private rewatch(): void {
    this.watcher?.close();
    this.watcher = null;
    try {
      this.watcher = watch(this.path, { persistent: false }, () => this.changed());
      this.watcher.on("error", () => { this.watcher?.close(); this.watcher = null; });
    } catch {
      // No such file yet, or no inotify: the poll carries on alone.
    }
  }

  close(): void {
    this.closed = true;
    clearInterval(this.poll);
    if (this.pending !== null) clearTimeout(this.pending);
    this.watcher?.close();
  }
}

const watches = new Map<string, SharedWatch>();

/**
 * Calls `listener` with the file's state after each change of `path`, and at least every POLL_MS, until the
 * returned function is called. Clients of the same path share one watcher.
 */
export function watchFile(path: string, listener: Listener): () => void {
  let owner = watches.get(path);
  if (owner === undefined) {
    owner = new SharedWatch(path);
    watches.set(path, owner);
  }
  owner.listeners.add(listener);
  return () => {
    owner.listeners.delete(listener);
    if (owner.listeners.size === 0 && watches.get(path) === owner) {
      owner.close();
      watches.delete(path);
    }
  };
}

/** How many files are watched now (for tests: a watcher per file, not per client, and none left behind). */
export function watchedFileCount(): number {
  return watches.size;
}
