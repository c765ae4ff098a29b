// A preload for finding what holds the event loop (issue 13 item 5): run a bench's server with
//   BENCH_NODE_FLAGS="--liftoff-only --max-semi-space-size=8 --import ./bench/trace.mjs" npm run bench:scale -- --sizes 10000 --drivers embedded --no-chromium
// It records every event-loop stall longer than TRACE_GAP_MS (default 60) and, inside it, the time the
// embedded database spent in its synchronous calls (PGlite execProtocolRawSync) with the statement
// that took longest. At exit it prints the stalls to stderr, and writes them as JSON to TRACE_OUT when
// set; a traced process started by a traced one writes TRACE_OUT.<pid> instead (bench:scale's seeding
// process waits for its measuring one, so a shared file ended up holding the seeding process's one
// stall over the whole measurement). The stall bounds are in the monotonic clock of a V8 CPU profile
// (microseconds), so with --cpu-prof added to the flags, the profile's samples between `from` and `to`
// tell which JavaScript ran there. Not part of the product; it never runs unless named on the command line.
import { writeFileSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';

const GAP_MS = Number(process.env.TRACE_GAP_MS ?? 60);
// The first traced process names itself; the processes it starts inherit the name and write files of their own.
process.env.TRACE_PARENT_PID ??= String(process.pid);
const TICK_MS = 5;
const us = () => Number(process.hrtime.bigint() / 1000n);

/** The statement of a frontend message (simple Query 'Q' or Parse 'P'), shortened. */
function statementOf(message) {
  if (!(message instanceof Uint8Array) || message.length < 6) return '';
  const kind = String.fromCharCode(message[0]);
  if (kind !== 'Q' && kind !== 'P') return '';
  let start = 5;
  if (kind === 'P') while (start < message.length && message[start] !== 0) start++; // the statement name
  if (kind === 'P') start++;
  let end = start;
  while (end < message.length && message[end] !== 0 && end - start < 160) end++;
  return new TextDecoder().decode(message.subarray(start, end)).replace(/\s+/g, ' ');
}

/** Transactions (BEGIN .. COMMIT/ROLLBACK) that held the embedded database longer than TRACE_TX_MS. */
const TX_MS = Number(process.env.TRACE_TX_MS ?? 50);
const transactions = [];
let tx = null;

let wasmUs = 0;
let wasmCalls = 0;
let longest = { us: 0, sql: '' };
let lastSql = '';
const original = PGlite.prototype.execProtocolRawSync;
PGlite.prototype.execProtocolRawSync = function traced(message, ...rest) {
  const t0 = us();
  try {
    return original.call(this, message, ...rest);
  } finally {
    const d = us() - t0;
    wasmUs += d;
    wasmCalls++;
    const sql = statementOf(message);
    // The statement is in the Parse message, its time mostly in the Execute/Sync after it: a call is named by the last statement seen.
    if (sql) lastSql = sql;
    if (d > longest.us) longest = { us: d, sql: lastSql };
    if (/^begin/i.test(sql)) tx = { from: t0, wasmUs: 0, calls: 0, first: '', top: [] };
    else if (tx && /^(commit|rollback)/i.test(sql)) {
      const ms = (us() - tx.from) / 1000;
      if (ms > TX_MS) transactions.push({ from: tx.from, ms: Math.round(ms), wasmMs: Math.round(tx.wasmUs / 1000), calls: tx.calls, first: tx.first, slowest: tx.top.map((x) => `${x.ms.toFixed(0)} ms ${x.sql.slice(0, 80)}`) });
      tx = null;
    } else if (tx) {
      tx.wasmUs += d;
      tx.calls++;
      if (!tx.first && sql && !/^(set|select set_config)/i.test(sql)) tx.first = sql;
      tx.top.push({ ms: d / 1000, sql: lastSql });
      tx.top = tx.top.sort((a, b) => b.ms - a.ms).slice(0, 3);
    }
  }
};

const stalls = [];
let last = us();
const timer = setInterval(() => {
  const now = us();
  const gapMs = (now - last) / 1000 - TICK_MS;
  if (gapMs > GAP_MS) stalls.push({ from: last + TICK_MS * 1000, to: now, ms: Math.round(gapMs), wasmMs: Math.round(wasmUs / 1000), wasmCalls, longestMs: Math.round(longest.us / 1000), longestSql: longest.sql });
  last = now;
  wasmUs = 0;
  wasmCalls = 0;
  longest = { us: 0, sql: '' };
}, TICK_MS);
timer.unref();

process.on('exit', () => {
  if (process.env.TRACE_OUT) {
    const traced = process.env.TRACE_PARENT_PID;
    writeFileSync(traced && traced !== String(process.pid) ? `${process.env.TRACE_OUT}.${process.pid}` : process.env.TRACE_OUT, JSON.stringify({ stalls, transactions }));
  }
  const held = transactions.map((t) => `  ${String(t.ms).padStart(5)} ms transaction: database ${t.wasmMs} ms in ${t.calls} calls, first ${t.first.slice(0, 70)} \n      slowest: ${t.slowest.join('\n               ')}`);
  process.stderr.write(`trace: ${transactions.length} transactions held the database over ${TX_MS} ms\n${held.join('\n')}\n`);
  const lines = stalls.map((s) => `  ${String(s.ms).padStart(5)} ms stall: database ${s.wasmMs} ms in ${s.wasmCalls} calls (longest ${s.longestMs} ms: ${s.longestSql.slice(0, 100)})`);
  process.stderr.write(`trace: ${stalls.length} event-loop stalls over ${GAP_MS} ms\n${lines.join('\n')}\n`);
});
