// Worker thread of discloseReleaseOffThread and composeResultExtrasOffThread (disclosure-thread.ts): receives a release's candidate views and
// respondents in small messages, runs the disclosure layer (scans/disclosure, unchanged) and sends the
// disclosed views back one message each; or composes a release's extras (modules/compose.ts, unchanged).
// Imports nothing but pure code (no canvas).
import { parentPort } from 'node:worker_threads';
import { discloseRelease, type PublishedEarlier, type RespondentContribution } from '../../scans/disclosure/model.js';
import type { ResultModel } from '../../scans/result-model.js';
import { composeResultExtras, type ExtraRespondent, type ExtrasInput, type ResultExtras } from './modules/compose.js';

/** Messages to the worker, in order: views, respondents, earlier releases, then run. */
export type ToWorker =
  | { type: 'view'; view: ResultModel }
  | { type: 'respondents'; chunk: RespondentContribution[] }
  | { type: 'earlier-view'; release: number; view: ResultModel }
  | { type: 'earlier-covered'; release: number; covered: number[] }
  | { type: 'run'; k: number }
  | { type: 'extras-respondents'; chunk: ExtraRespondent[] }
  | { type: 'extras-run'; input: Omit<ExtrasInput, 'respondents'> };

/** Messages from the worker: the unfiltered view, each segment view in the release's order, then done. */
export type FromWorker =
  | { type: 'main'; view: ResultModel }
  | { type: 'segment'; key: string; view: ResultModel }
  | { type: 'done'; suppressed: [string, string][] }
  | { type: 'extras'; extras: ResultExtras }
  | { type: 'error'; message: string; stack?: string };

const port = parentPort;
if (port) {
  const views: ResultModel[] = [];
  const respondents: RespondentContribution[] = [];
  const earlier: { views: ResultModel[]; covered: number[] }[] = [];
  const releaseAt = (i: number) => (earlier[i] ??= { views: [], covered: [] });
  const extraRespondents: ExtraRespondent[] = [];
  port.on('message', (msg: ToWorker) => {
    try {
      if (msg.type === 'view') views.push(msg.view);
      else if (msg.type === 'respondents') for (const r of msg.chunk) respondents.push(r);
      else if (msg.type === 'earlier-view') releaseAt(msg.release).views.push(msg.view);
      else if (msg.type === 'earlier-covered') releaseAt(msg.release).covered.push(...msg.covered);
      else if (msg.type === 'extras-respondents') for (const r of msg.chunk) extraRespondents.push(r);
      else if (msg.type === 'extras-run') port.postMessage({ type: 'extras', extras: composeResultExtras({ ...msg.input, respondents: extraRespondents }) } satisfies FromWorker);
      else {
        const result = discloseRelease({ k: msg.k, views, respondents, earlier: earlier as PublishedEarlier[] });
        port.postMessage({ type: 'main', view: result.main } satisfies FromWorker);
        for (const [key, view] of result.segments) port.postMessage({ type: 'segment', key, view } satisfies FromWorker);
        port.postMessage({ type: 'done', suppressed: [...result.suppressed] } satisfies FromWorker);
      }
    } catch (err) {
      const e = err as Error;
      port.postMessage({ type: 'error', message: e.message, ...(e.stack ? { stack: e.stack } : {}) } satisfies FromWorker);
    }
  });
}
