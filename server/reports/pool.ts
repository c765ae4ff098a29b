// Renders reports off the event loop: a small pool of worker threads with a bounded queue. When every
// worker is busy and the queue is full, a new request is refused at once (503 with Retry-After)
// instead of piling up; batch jobs may wait in line instead (they are already throttled by the queue
// consumer). A crashed or stuck worker is replaced.
//
// Workers are started on the first render, not at boot. With `idleMs`, a worker that has rendered
// nothing for that long is stopped (its fonts, templates and render garbage are 50-300 MB of the
// process's memory) and started again on the next report. node-canvas must also be loaded in the main
// thread before any worker loads it: when only a worker holds the native module, the process crashes
// with a segfault as that worker exits (observed with canvas 3 on Node 20).

import type { Worker } from 'node:worker_threads';
import { ServiceUnavailableError } from '../lib/errors.js';
import { spawnWorker } from '../lib/spawn-worker.js';
import type { AnyRenderInput as RenderInput } from './department-render.js';
import type { WorkerRequest, WorkerResponse } from './worker.js';

export interface ReportPoolOptions {
  /** Worker threads; 0 renders in this thread (CLI, scripts). */
  workers: number;
  /** Reports that may wait for a free worker before new requests are refused. */
  queueLimit: number;
  /** A render taking longer than this is abandoned and its worker replaced. */
  timeoutMs?: number;
  /** A worker idle this long is stopped (started again on the next report); 0 or absent: never. */
  idleMs?: number;
}

interface Task {
  input: RenderInput;
  resolve(pdf: Buffer): void;
  reject(err: Error): void;
}

interface Slot {
  worker: Worker;
  task: (Task & { id: number; timer: NodeJS.Timeout; startedAt: number }) | null;
  /** Set while the worker is idle and `idleMs` applies: stops it when it fires. */
  idle: NodeJS.Timeout | null;
}

/**
 * Heap limits of a worker. A render leaves ~60 MB live but allocates fast; without a cap V8 lets
 * garbage grow the heap past 200 MB before collecting (~400 MB RSS). With the old-generation cap a
 * worker stays under 300 MB RSS; the larger young generation wins back part of the extra collection
 * time (measured: ~15-20% less CPU than the cap alone). The bench runs its in-thread modes with the
 * same limits (--max-old-space-size, --max-semi-space-size).
 */
export const WORKER_OLD_GENERATION_MB = 256;
export const WORKER_YOUNG_GENERATION_MB = 96;
/** Node's flag for the young generation takes one semi-space: a third of the young generation. */
export const WORKER_SEMI_SPACE_MB = WORKER_YOUNG_GENERATION_MB / 3;

function spawnRenderWorker(): Worker {
  return spawnWorker(import.meta.url, './worker', {
    name: 'report',
    resourceLimits: { maxOldGenerationSizeMb: WORKER_OLD_GENERATION_MB, maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB },
  });
}

export class ReportPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Task[] = [];
  private nextId = 1;
  private closed = false;
  /** Workers stopped for idleness since the pool was made (stats, tests). */
  private retired = 0;
  private started: Promise<void> | null = null;
  /** Set once `started` has resolved: canvas is loaded in this thread, workers may be spawned. */
  private ready = false;
  /** Smoothed render duration, for Retry-After. */
  private avgMs = 1000;
  private inline: Promise<{ render(input: import('./render.js').RenderInput): Promise<Buffer> }> | null = null;
  private inlineBusy = false;

  constructor(private readonly opts: ReportPoolOptions) {}

  get stats(): { workers: number; busy: number; queued: number; retired: number } {
    return {
      workers: this.slots.length,
      retired: this.retired,
      busy: this.slots.filter((s) => s.task !== null).length + (this.inlineBusy ? 1 : 0),
      queued: this.queue.length,
    };
  }

  private get capacity(): number {
    return Math.max(1, this.opts.workers);
  }

  /** Seconds a refused client should wait: the queue ahead of it, at the recent render speed. */
  retryAfterSeconds(): number {
    return Math.max(1, Math.ceil(((this.queue.length + 1) * this.avgMs) / this.capacity / 1000));
  }

  /** Throws the 503 when a new report could not even wait in line now. */
  assertCapacity(): void {
    if (this.closed) throw new ServiceUnavailableError('reports_unavailable', 'The report service is shutting down', 5);
    // Reports accepted but not finished: being rendered, or waiting (also while workers start).
    const accepted = this.stats.busy + this.queue.length;
    if (accepted >= this.capacity + this.opts.queueLimit) {
      throw new ServiceUnavailableError('report_queue_full', 'Too many reports are being rendered right now; try again shortly', this.retryAfterSeconds());
    }
  }

  /**
   * Renders a report. With `wait`, the report queues even beyond the limit (batch jobs); otherwise a
   * full queue answers ServiceUnavailableError.
   */
  render(input: RenderInput, opts: { wait?: boolean } = {}): Promise<Buffer> {
    if (!opts.wait) this.assertCapacity();
    else if (this.closed) return Promise.reject(new ServiceUnavailableError('reports_unavailable', 'The report service is shutting down', 5));
    return new Promise<Buffer>((resolve, reject) => {
      this.queue.push({ input, resolve, reject });
      this.pump();
    });
  }

  /** Starts the workers now instead of on the first report (server start-up). */
  warm(): Promise<void> {
    return this.closed ? Promise.resolve() : this.start();
  }

  private start(): Promise<void> {
    this.started ??= (async () => {
      if (this.opts.workers === 0) {
        this.ready = true;
        return;
      }
      await import('canvas'); // see the module comment: keep the native module loaded in the main thread
      if (this.closed) return;
      while (this.slots.length < this.opts.workers) this.slots.push(this.newSlot());
      this.ready = true;
    })();
    return this.started;
  }

  private newSlot(): Slot {
    const worker = spawnRenderWorker();
    const slot: Slot = { worker, task: null, idle: null };
    worker.on('message', (msg: WorkerResponse) => {
      const task = slot.task;
      if (!task || task.id !== msg.id) return;
      clearTimeout(task.timer);
      slot.task = null;
      this.avgMs = this.avgMs * 0.7 + (Date.now() - task.startedAt) * 0.3;
      if (msg.ok) task.resolve(Buffer.from(msg.pdf.buffer, msg.pdf.byteOffset, msg.pdf.byteLength));
      else task.reject(new Error(msg.error));
      this.pump();
      this.armIdle(slot);
    });
    const fail = (err: Error) => {
      const task = slot.task;
      slot.task = null;
      if (task) {
        clearTimeout(task.timer);
        task.reject(err);
      }
      this.replace(slot);
    };
    worker.on('error', (err) => fail(new Error(`report worker failed: ${err.message}`)));
    worker.on('exit', (code) => {
      if (!this.closed) fail(new Error(`report worker exited (code ${code})`));
    });
    this.armIdle(slot); // started without work (warm) or to replace one: idle until pump gives it some
    return slot;
  }

  /** An idle worker is stopped after `idleMs` without work. */
  private armIdle(slot: Slot): void {
    if (!this.opts.idleMs || slot.task || slot.idle || this.closed) return;
    slot.idle = setTimeout(() => {
      slot.idle = null;
      const i = this.slots.indexOf(slot);
      if (slot.task || i < 0 || this.closed) return;
      this.slots.splice(i, 1);
      this.retired++;
      slot.worker.removeAllListeners();
      slot.worker.on('error', () => {}); // an error while it stops has no task to fail
      void slot.worker.terminate();
    }, this.opts.idleMs);
    slot.idle.unref();
  }

  private replace(slot: Slot): void {
    const i = this.slots.indexOf(slot);
    if (i < 0) return;
    if (slot.idle) clearTimeout(slot.idle);
    slot.idle = null;
    slot.worker.removeAllListeners();
    void slot.worker.terminate();
    if (this.closed) {
      this.slots.splice(i, 1);
      return;
    }
    this.slots[i] = this.newSlot();
    this.pump();
  }

  private pump(): void {
    if (this.closed || this.queue.length === 0) return;
    if (!this.ready) {
      // Starting (or about to): the start's continuation pumps.
      if (!this.started) void this.start().then(() => this.pump(), (err: Error) => this.failAll(err));
      return;
    }
    if (this.opts.workers === 0) {
      void this.pumpInline();
      return;
    }
    // Workers stopped for idleness come back when there is work for them.
    const free = this.slots.filter((s) => !s.task).length;
    for (let n = free; n < this.queue.length && this.slots.length < this.opts.workers; n++) this.slots.push(this.newSlot());
    for (const slot of this.slots) {
      if (slot.task || this.queue.length === 0) continue;
      if (slot.idle) clearTimeout(slot.idle);
      slot.idle = null;
      const next = this.queue.shift()!;
      const id = this.nextId++;
      const timer = setTimeout(() => {
        if (slot.task?.id === id) {
          const task = slot.task;
          slot.task = null;
          task.reject(new Error(`report rendering took longer than ${this.opts.timeoutMs ?? 60_000} ms`));
          this.replace(slot);
        }
      }, this.opts.timeoutMs ?? 60_000);
      timer.unref();
      slot.task = { ...next, id, timer, startedAt: Date.now() };
      slot.worker.postMessage({ id, input: next.input } satisfies WorkerRequest);
    }
  }

  private async pumpInline(): Promise<void> {
    if (this.inlineBusy) return;
    const next = this.queue.shift();
    if (!next) return;
    this.inlineBusy = true;
    const started = Date.now();
    try {
      this.inline ??= import('./render.js').then((m) => new m.ReportRenderer());
      const renderer = await this.inline;
      const { renderAny } = await import('./department-render.js');
      next.resolve(await renderAny(renderer, next.input));
    } catch (err) {
      next.reject(err instanceof Error ? err : new Error(String(err)));
    } finally {
      this.avgMs = this.avgMs * 0.7 + (Date.now() - started) * 0.3;
      this.inlineBusy = false;
      if (this.queue.length > 0) void this.pumpInline();
    }
  }

  private failAll(err: Error): void {
    for (const task of this.queue.splice(0)) task.reject(err);
  }

  /** Refuses new work, fails what is waiting and stops the workers. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.failAll(new ServiceUnavailableError('reports_unavailable', 'The report service is shutting down', 5));
    const slots = this.slots.splice(0);
    await Promise.all(
      slots.map(async (slot) => {
        if (slot.idle) clearTimeout(slot.idle);
        if (slot.task) {
          clearTimeout(slot.task.timer);
          slot.task.reject(new ServiceUnavailableError('reports_unavailable', 'The report service is shutting down', 5));
        }
        slot.worker.removeAllListeners();
        await slot.worker.terminate();
      }),
    );
  }
}
