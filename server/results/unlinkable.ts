// Row-level exports (raw answers, the organisation data export) share two rules: the background
// fields in the file are k-anonymous over their crossing (scans/k-anonymity.ts), and rows come in an
// order that links them to nothing a reader can see (not submission, not an invitation, not an id).
import { createHash } from 'node:crypto';
import { BACKGROUND_GENERALISATIONS, type QuasiIdentifier } from '../../scans/k-anonymity.js';
import { SEGMENT_DIMENSIONS } from '../../scans/result-model.js';

/** The background fields of a raw-answers file, with the coarser bands age and education allow. */
export function rawQuasiIdentifiers(extra: readonly string[] = []): QuasiIdentifier[] {
  return [...SEGMENT_DIMENSIONS, ...extra].map((key) => ({ key, levels: BACKGROUND_GENERALISATIONS[key] }));
}

/**
 * The rows sorted by a hash of their (random, never exported) response id within a scope: the same
 * file twice in the same order, so two downloads differ only where the data differ, but an order
 * nobody without the ids can predict or relate to when a response came in.
 */
export function unlinkableOrder<T>(rows: readonly T[], idOf: (row: T) => string, scope: string): T[] {
  const keyed = rows.map((row) => ({ row, key: createHash('sha256').update(`lcs-row-order:${scope}:${idOf(row)}`).digest('hex') }));
  keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return keyed.map((k) => k.row);
}
