// Starts a worker thread on a module next to the caller: its compiled .js under dist/, or, when the
// caller runs as TypeScript (development, tests, bench through tsx), its .ts source with tsx
// registered in the worker first (a worker does not inherit the parent's loader).
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

const require = createRequire(import.meta.url);

/** The worker threads started here and still running, each with its name (options.name) or module (what bench:scale samples the heaps of). */
const live = new Map<Worker, string>();

/** The running worker threads spawnWorker started, each with its name (options.name) or else its module. */
export function liveWorkers(): ReadonlyMap<Worker, string> {
  return live;
}

function tracked(worker: Worker, label: string): Worker {
  live.set(worker, label);
  worker.once('exit', () => live.delete(worker));
  return worker;
}

/**
 * `spawnWorker(import.meta.url, './worker', options)`: the module `./worker.js` (or `./worker.ts`)
 * relative to the caller's file.
 */
export function spawnWorker(callerUrl: string, relative: string, options: WorkerOptions = {}): Worker {
  if (callerUrl.endsWith('.ts')) {
    const target = new URL(`${relative}.ts`, callerUrl).href;
    const tsxPackage = require.resolve('tsx/package.json');
    const tsxApi = (require(tsxPackage) as { exports: Record<string, { import: { default: string } }> }).exports['./esm/api']!.import.default;
    const tsx = pathToFileURL(join(dirname(tsxPackage), tsxApi)).href;
    return tracked(new Worker(`import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(target)}); })`, { ...options, eval: true }), options.name ?? relative);
  }
  return tracked(new Worker(new URL(`${relative}.js`, callerUrl), options), options.name ?? relative);
}
