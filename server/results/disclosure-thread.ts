// discloseRelease (scans/disclosure) on a worker thread, for large releases: the decision over every
// figure of every view takes about a second at 10,000 respondents, which on the main thread would stall
// every other request (health checks, autosaves) for that long. The input goes over in small messages
// with the event loop given back between them, and the disclosed views come back one message each, so
// no single copy blocks for long either. The result is the same as discloseRelease's (same function,
// same input order); small releases are disclosed in this thread (a worker's start costs more).
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { Worker } from 'node:worker_threads';
import type { DisclosureReason } from '../../scans/disclosure/decide.js';
import { compositesOf, ContributionTable, discloseRelease, type DiscloseInput, type DiscloseResult } from '../../scans/disclosure/model.js';
import type { ResultModel } from '../../scans/result-model.js';
import { spawnWorker } from '../lib/spawn-worker.js';
import type { FromWorker, ToWorker } from './disclosure-worker.js';
import { composeResultExtras, ExtraRespondentCollector, type ExtraRespondent, type ExtrasInput, type PackedExtraRespondent, type ResultExtras } from './modules/compose.js';

/** From this many respondents on, the work runs on a worker thread (at 1,000 the disclosure held the event loop ~0.4 s under load). */
export const DISCLOSE_IN_WORKER_FROM = 500;
const RESPONDENTS_PER_MESSAGE = 1000;

/** A worker for the disclosure or for the extras (named so, for the heap figures of bench:scale). */
function spawn(name: 'disclosure' | 'extras'): Worker {
  return spawnWorker(import.meta.url, './disclosure-worker', { name });
}

/**
 * A disclosure worker started ahead of its use: a caller that knows early that a release is large
 * (the close, once it has the response ids) starts it before the answer pass, so the worker's start
 * (~100 ms, more under load: loading the disclosure modules) is not added to the close's end, where the
 * release waits for it. Hand it to discloseReleaseOffThread (which terminates it) or terminate it.
 */
export function startDisclosureWorker(): Worker {
  const worker = spawn('disclosure');
  // Until it is used, a failure is kept for its user (an 'error' event without a listener would end the process).
  const state: EarlyState = {};
  worker.on('error', (err) => (state.error ??= err));
  worker.once('exit', (code) => (state.exited = code));
  early.set(worker, state);
  return worker;
}

interface EarlyState {
  error?: unknown;
  exited?: number;
}
const early = new WeakMap<Worker, EarlyState>();

/** The input's respondents as a contribution table (numbered for its unfiltered view). */
function tableOf(input: DiscloseInput) {
  const main = input.views.find((v) => v.meta.segmentFilter === null);
  if (!main) throw new RangeError('discloseRelease needs the unfiltered view');
  return ContributionTable.ofRespondents(compositesOf(main), input.respondents ?? [], (input.earlier ?? []).map((e) => e.covered ?? [])).data();
}

/**
 * discloseRelease(input), on a worker thread when the release rests on at least `minRespondents`
 * respondents (DISCLOSE_IN_WORKER_FROM), otherwise in this thread. Same result either way. Respondents
 * given one by one are folded into a ContributionTable first. `worker`: one started ahead
 * (startDisclosureWorker), used or terminated here.
 */
export async function discloseReleaseOffThread(input: DiscloseInput, opts: { minRespondents?: number; worker?: Worker } = {}): Promise<DiscloseResult> {
  const table = input.table ?? tableOf(input);
  if (table.size < (opts.minRespondents ?? DISCLOSE_IN_WORKER_FROM)) {
    await opts.worker?.terminate();
    return discloseRelease({ ...input, table });
  }
  const worker = opts.worker ?? spawn('disclosure');
  try {
    const result = new Promise<DiscloseResult>((resolve, reject) => {
      let main: ResultModel | undefined;
      const segments = new Map<string, ResultModel>();
      worker.on('message', (msg: FromWorker) => {
        if (msg.type === 'main') main = msg.view;
        else if (msg.type === 'segment') segments.set(msg.key, msg.view);
        else if (msg.type === 'done') {
          if (!main) reject(new Error('disclosure worker sent no unfiltered view'));
          else resolve({ main, segments, suppressed: new Map(msg.suppressed as [string, DisclosureReason][]) });
        } else if (msg.type === 'extras') reject(new Error('disclosure worker: unexpected extras'));
        else {
          const err = new Error(`disclosure worker: ${msg.message}`);
          if (msg.stack) err.stack = msg.stack;
          reject(err);
        }
      });
      worker.on('error', reject);
      worker.on('exit', (code) => reject(new Error(`disclosure worker exited (code ${code}) before it answered`)));
      // A worker started ahead that failed or ended before this use.
      const before = early.get(worker);
      if (before?.error !== undefined) reject(before.error instanceof Error ? before.error : new Error(`disclosure worker: ${String(before.error)}`));
      else if (before?.exited !== undefined) reject(new Error(`disclosure worker exited (code ${before.exited}) before it was used`));
    });
    // A rejection while the input is still being sent is awaited below, not left unhandled.
    result.catch(() => undefined);
    const send = async (msg: ToWorker) => {
      worker.postMessage(msg);
      await yieldToLoop();
    };
    for (const view of input.views) await send({ type: 'view', view });
    // The respondents as classes (ContributionTable): one message whose size does not grow with the round.
    await send({ type: 'table', table });
    for (const [release, earlier] of (input.earlier ?? []).entries()) {
      // Every earlier release sends at least its place, so the worker knows it even without views.
      await send({ type: 'earlier-view', release, view: null });
      for (const view of earlier.views) await send({ type: 'earlier-view', release, view });
    }
    worker.postMessage({ type: 'run', k: input.k } satisfies ToWorker);
    return await result;
  } finally {
    await worker.terminate();
  }
}

/**
 * composeResultExtras(input) (the extras of a release, with their own disclosure decision), on a worker
 * thread from `minRespondents` respondents on (DISCLOSE_IN_WORKER_FROM), otherwise in this thread.
 * Same result either way.
 */
export function composeResultExtrasOffThread(input: ExtrasInput, opts: { minRespondents?: number } = {}): Promise<ResultExtras> {
  const { respondents, scaleScores: _scored, ...rest } = input;
  return composeResultExtrasStreamed(rest, respondents.length, async (sink) => sink(respondents), opts);
}

/**
 * composeResultExtrasOffThread with the respondents loaded as it goes: `load` hands them to its sink
 * in chunks (in the release's order, `count` in all), and on the worker thread each chunk is sent on
 * as it arrives, so this thread never holds them all (at 100,000 respondents they were most of the
 * close's peak memory, each one copied once more to the worker). Each respondent's scales are scored as
 * it arrives where the extras are composed (ExtraRespondentCollector); a packed one's answers are then
 * not kept.
 */
export async function composeResultExtrasStreamed(
  input: Omit<ExtrasInput, 'respondents' | 'scaleScores'>,
  count: number,
  load: (sink: (chunk: ReadonlyArray<ExtraRespondent | PackedExtraRespondent>) => Promise<void>) => Promise<void>,
  opts: { minRespondents?: number } = {},
): Promise<ResultExtras> {
  if (count < (opts.minRespondents ?? DISCLOSE_IN_WORKER_FROM)) {
    const collector = new ExtraRespondentCollector(input.instrument);
    await load(async (chunk) => {
      for (const r of chunk) collector.add(r);
    });
    return composeResultExtras(collector.input(input));
  }
  const worker = spawn('extras');
  try {
    const result = new Promise<ResultExtras>((resolve, reject) => {
      worker.on('message', (msg: FromWorker) => {
        if (msg.type === 'extras') resolve(msg.extras);
        else if (msg.type === 'error') {
          const err = new Error(`disclosure worker: ${msg.message}`);
          if (msg.stack) err.stack = msg.stack;
          reject(err);
        } else reject(new Error(`disclosure worker: unexpected ${msg.type}`));
      });
      worker.on('error', reject);
      worker.on('exit', (code) => reject(new Error(`disclosure worker exited (code ${code}) before it answered`)));
    });
    result.catch(() => undefined);
    worker.postMessage({ type: 'extras-start', input } satisfies ToWorker);
    await load(async (chunk) => {
      for (let i = 0; i < chunk.length; i += RESPONDENTS_PER_MESSAGE) {
        worker.postMessage({ type: 'extras-respondents', chunk: chunk.slice(i, i + RESPONDENTS_PER_MESSAGE) } satisfies ToWorker);
        await yieldToLoop();
      }
    });
    worker.postMessage({ type: 'extras-run' } satisfies ToWorker);
    return await result;
  } finally {
    await worker.terminate();
  }
}
