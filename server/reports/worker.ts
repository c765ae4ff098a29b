// A report worker thread: keeps one ReportRenderer (fonts registered, pdfmake configured, chart
// renderers created once per size) and renders the reports the pool sends it, one at a time.
import { parentPort } from 'node:worker_threads';
import { renderAny, type AnyRenderInput } from './department-render.js';
import { ReportRenderer } from './render.js';

export interface WorkerRequest {
  id: number;
  /** A round report, or a department report (server/reports/department-render.ts). */
  input: AnyRenderInput;
}

export type WorkerResponse = { id: number; ok: true; pdf: Uint8Array } | { id: number; ok: false; error: string };

if (!parentPort) throw new Error('server/reports/worker.ts must run in a worker thread');
const port = parentPort;
const renderer = new ReportRenderer();

port.on('message', (msg: WorkerRequest) => {
  renderAny(renderer, msg.input)
    .then((pdf) => {
      // A fresh, exactly-sized buffer, so it can be transferred instead of copied.
      const bytes = pdf.byteOffset === 0 && pdf.byteLength === pdf.buffer.byteLength ? new Uint8Array(pdf.buffer) : new Uint8Array(pdf);
      port.postMessage({ id: msg.id, ok: true, pdf: bytes } satisfies WorkerResponse, [bytes.buffer as ArrayBuffer]);
    })
    .catch((err: unknown) => {
      port.postMessage({ id: msg.id, ok: false, error: err instanceof Error ? err.message : String(err) } satisfies WorkerResponse);
    });
});
