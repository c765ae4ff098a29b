// Worker thread of discloseReleaseOffThread and composeResultExtrasOffThread (disclosure-thread.ts): receives a release's candidate views and
// its respondents as a contribution table (classes, scans/disclosure) in small messages, runs the disclosure layer (scans/disclosure, unchanged) and sends the
// disclosed views back one message each; or composes a release's extras (modules/compose.ts, unchanged).
// Imports nothing but pure code (no canvas).
import { parentPort } from 'node:worker_threads';
import { discloseRelease, type ContributionTableData } from '../../scans/disclosure/model.js';
import type { ResultModel } from '../../scans/result-model.js';
import { composeResultExtras, ExtraRespondentCollector, type ExtraRespondent, type ExtrasInput, type PackedExtraRespondent, type ResultExtras } from './modules/compose.js';

/** Messages to the worker, in order: views, the contribution table, earlier releases' views, then run. */
export type ToWorker =
  | { type: 'view'; view: ResultModel }
  | { type: 'table'; table: ContributionTableData }
  /** view null: only that earlier release `release` exists. */
  | { type: 'earlier-view'; release: number; view: ResultModel | null }
  | { type: 'run'; k: number }
  /** First of the extras: the input but its respondents (their scales are scored as they arrive). */
  | { type: 'extras-start'; input: Omit<ExtrasInput, 'respondents' | 'scaleScores'> }
  | { type: 'extras-respondents'; chunk: ReadonlyArray<ExtraRespondent | PackedExtraRespondent> }
  | { type: 'extras-run' };

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
  let table: ContributionTableData | undefined;
  const earlier: { views: ResultModel[] }[] = [];
  const releaseAt = (i: number) => (earlier[i] ??= { views: [] });
  let extras: { input: Omit<ExtrasInput, 'respondents' | 'scaleScores'>; collector: ExtraRespondentCollector } | undefined;
  const extrasStarted = () => {
    if (!extras) throw new Error('no extras-start before the extras respondents');
    return extras;
  };
  port.on('message', (msg: ToWorker) => {
    try {
      if (msg.type === 'view') views.push(msg.view);
      else if (msg.type === 'table') table = msg.table;
      else if (msg.type === 'earlier-view') {
        const release = releaseAt(msg.release);
        if (msg.view) release.views.push(msg.view);
      }
      else if (msg.type === 'extras-start') extras = { input: msg.input, collector: new ExtraRespondentCollector(msg.input.instrument) };
      else if (msg.type === 'extras-respondents') for (const r of msg.chunk) extrasStarted().collector.add(r);
      else if (msg.type === 'extras-run') {
        const { input, collector } = extrasStarted();
        port.postMessage({ type: 'extras', extras: composeResultExtras(collector.input(input)) } satisfies FromWorker);
      }
      else {
        if (!table) throw new Error('no contribution table before run');
        const result = discloseRelease({ k: msg.k, views, table, earlier });
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
