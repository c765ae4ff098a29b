// Set-up shared by the bench scripts: a throw-away PostgreSQL database (created from
// BENCH_DATABASE_URL, dropped afterwards) or embedded data directory, the machine's load, peak memory,
// and the statistics the scripts print.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export const BENCH_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** Runs fn with a client on the maintenance database of BENCH_URL. */
export async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: BENCH_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export interface BenchDatabase {
  name: string;
  /** Connection string of the new database. */
  url: string;
  drop: () => Promise<void>;
}

/** Creates an empty database `<prefix>_<random>` next to BENCH_URL's. */
export async function createBenchDatabase(prefix: string, template?: string): Promise<BenchDatabase> {
  const name = `${prefix}_${randomBytes(4).toString('hex')}`;
  await admin((c) => c.query(`create database ${name}${template ? ` template ${template}` : ''}`));
  const url = new URL(BENCH_URL);
  url.pathname = `/${name}`;
  return { name, url: url.toString(), drop: () => admin((c) => c.query(`drop database if exists ${name} with (force)`)).then(() => undefined) };
}

/** A temporary directory (an embedded database's DATA_DIR), removed by `remove`. */
export function tempDataDir(prefix: string): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `${prefix}-`));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** The q-quantile (nearest rank) of xs. */
export function quantile(xs: readonly number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))]!;
}

/**
 * Peak resident memory of this process (MB). On Linux getrusage's maxrss survives fork + exec (a child
 * would report its parent's peak), so read the high-water mark of this process image.
 */
export function peakRssMb(): number {
  try {
    const m = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (m) return Number(m[1]) / 1024;
  } catch {
    // not Linux
  }
  return process.resourceUsage().maxRSS / 1024;
}

/**
 * Resets this process's peak resident memory to its current size (Linux: 5 into /proc/self/clear_refs),
 * so the next peakRssMb() is the peak of what ran since. False where that cannot be done.
 */
export function resetPeakRss(): boolean {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
    return true;
  } catch {
    return false;
  }
}

/** "load average 1.2 0.8 0.5 (2 cores)". */
export function loadLine(): string {
  return `load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} (${cpus().length} cores)`;
}
