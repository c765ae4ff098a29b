// A consultancy's own benchmark sets, uploaded as CSV. Format (header required, columns in any order):
//
//   target_kind,target_id,metric,value,n,source,year
//   scale,leadership,favourable,64.5,1200,Eigen klantenbestand 2025,2025
//   item,wc2,mean,3.8,450,Sectoronderzoek X,2024
//
// target_kind: scale (target_id = mechanism id) or item (target_id = culture-scan item id);
// metric: favourable (0..100, % favourable) or mean (1..5); optional, default favourable;
// n: respondents behind the figure (> 0); source: text (1..500); year: 1900..2100.
// Every bad row is reported with its line number and column; nothing is stored unless all rows are good.
import { MECHANISM_IDS } from '../../scans/types.js';
import { listInstruments } from '../../scans/instruments/registry.js';
import type { FieldError } from '../lib/errors.js';
import { ValidationFailedError } from '../lib/errors.js';
import { CsvSyntaxError, parseCsv } from '../lib/csv.js';
import type { Db } from './aggregate.js';

export const BENCHMARK_CSV_COLUMNS = ['target_kind', 'target_id', 'metric', 'value', 'n', 'source', 'year'] as const;
const REQUIRED = ['target_kind', 'target_id', 'value', 'n', 'source', 'year'] as const;
export const MAX_BENCHMARK_ROWS = 5000;

export interface BenchmarkValueInput {
  target_kind: 'scale' | 'item';
  target_id: string;
  metric: 'favourable' | 'mean';
  value: number;
  n: number;
  source: string;
  year: number;
}

function knownItemIds(): Set<string> {
  const ids = new Set<string>();
  for (const i of listInstruments()) if (i.module === 'culture_scan') for (const s of i.scales) for (const item of s.items) ids.add(item.id);
  return ids;
}

const NUMBER = /^-?\d+([.,]\d+)?$/;
const INTEGER = /^\d+$/;

/** Parses and validates a benchmark CSV; throws ValidationFailedError listing every bad cell. */
export function parseBenchmarkCsv(text: string): BenchmarkValueInput[] {
  const errors: FieldError[] = [];
  let records;
  try {
    records = parseCsv(text);
  } catch (e) {
    if (e instanceof CsvSyntaxError) throw new ValidationFailedError('The CSV cannot be read', [{ path: e.path, message: e.reason }]);
    throw e;
  }
  if (records.length === 0) throw new ValidationFailedError('The CSV is empty', [{ path: 'line 1', message: 'expected a header row' }]);
  const header = records[0]!;
  const columns = header.cells.map((c) => c.trim().toLowerCase());
  columns.forEach((c, i) => {
    if (!(BENCHMARK_CSV_COLUMNS as readonly string[]).includes(c)) {
      errors.push({ path: `line ${header.line}, column ${i + 1}`, message: `unknown column "${c}"; expected ${BENCHMARK_CSV_COLUMNS.join(', ')}` });
    } else if (columns.indexOf(c) !== i) errors.push({ path: `line ${header.line}, column ${c}`, message: 'duplicate column' });
  });
  for (const r of REQUIRED) if (!columns.includes(r)) errors.push({ path: `line ${header.line}`, message: `missing column ${r}` });
  if (errors.length) throw new ValidationFailedError('The CSV header is not valid', errors);
  if (records.length === 1) throw new ValidationFailedError('The CSV has no rows', [{ path: `line ${header.line + 1}`, message: 'expected at least one row' }]);
  if (records.length - 1 > MAX_BENCHMARK_ROWS) {
    throw new ValidationFailedError('Too many rows', [{ path: `line ${records[MAX_BENCHMARK_ROWS + 1]!.line}`, message: `at most ${MAX_BENCHMARK_ROWS} rows` }]);
  }
  const items = knownItemIds();
  const mechanisms = new Set<string>(MECHANISM_IDS);
  const seen = new Map<string, number>();
  const out: BenchmarkValueInput[] = [];
  for (const rec of records.slice(1)) {
    const at = (col: string) => `line ${rec.line}, column ${col}`;
    if (rec.cells.length !== columns.length) {
      errors.push({ path: `line ${rec.line}`, message: `expected ${columns.length} fields, found ${rec.cells.length}` });
      continue;
    }
    const get = (col: string) => {
      const i = columns.indexOf(col);
      return i < 0 ? undefined : rec.cells[i]!.trim();
    };
    const before = errors.length;
    const kind = get('target_kind')!.toLowerCase();
    const id = get('target_id')!;
    const metric = (get('metric') || 'favourable').toLowerCase();
    const valueText = get('value')!;
    const nText = get('n')!;
    const source = get('source')!;
    const yearText = get('year')!;
    if (kind !== 'scale' && kind !== 'item') errors.push({ path: at('target_kind'), message: 'must be scale or item' });
    else if (kind === 'scale' && !mechanisms.has(id)) errors.push({ path: at('target_id'), message: `unknown mechanism "${id}"; expected one of ${MECHANISM_IDS.join(', ')}` });
    else if (kind === 'item' && !items.has(id)) errors.push({ path: at('target_id'), message: `unknown item "${id}"` });
    if (metric !== 'favourable' && metric !== 'mean') errors.push({ path: at('metric'), message: 'must be favourable or mean' });
    const value = NUMBER.test(valueText) ? Number(valueText.replace(',', '.')) : NaN;
    if (!Number.isFinite(value)) errors.push({ path: at('value'), message: 'must be a number' });
    else if (metric === 'favourable' && (value < 0 || value > 100)) errors.push({ path: at('value'), message: 'a favourable share must be between 0 and 100' });
    else if (metric === 'mean' && (value < 1 || value > 5)) errors.push({ path: at('value'), message: 'a mean must be between 1 and 5' });
    const n = INTEGER.test(nText) ? Number(nText) : NaN;
    if (!Number.isSafeInteger(n) || n < 1) errors.push({ path: at('n'), message: 'must be a whole number of at least 1' });
    if (source.length < 1 || source.length > 500) errors.push({ path: at('source'), message: 'must be 1 to 500 characters' });
    const year = INTEGER.test(yearText) ? Number(yearText) : NaN;
    if (!(year >= 1900 && year <= 2100)) errors.push({ path: at('year'), message: 'must be a year between 1900 and 2100' });
    if (errors.length > before) continue;
    const key = `${kind}/${id}/${metric}`;
    const first = seen.get(key);
    if (first !== undefined) {
      errors.push({ path: `line ${rec.line}`, message: `duplicate of line ${first} (${kind} ${id}, ${metric})` });
      continue;
    }
    seen.set(key, rec.line);
    out.push({ target_kind: kind as 'scale' | 'item', target_id: id, metric: metric as 'favourable' | 'mean', value, n, source, year });
  }
  if (errors.length) throw new ValidationFailedError(`${errors.length} problem(s) in the CSV; nothing was stored`, errors);
  return out;
}

export async function createBenchmarkSet(
  db: Db,
  input: { consultancyId: string; name: string; createdBy: string | null; values: BenchmarkValueInput[] },
) {
  const set = await db
    .insertInto('benchmark_sets')
    .values({ consultancy_id: input.consultancyId, name: input.name, created_by: input.createdBy })
    .returning(['id', 'name', 'consultancy_id', 'created_at'])
    .executeTakeFirstOrThrow();
  await db
    .insertInto('benchmark_values')
    .values(input.values.map((v) => ({ ...v, set_id: set.id })))
    .execute();
  return { ...set, valueCount: input.values.length };
}

export async function listBenchmarkSets(db: Db, consultancyIds: string[]) {
  if (consultancyIds.length === 0) return [];
  return db
    .selectFrom('benchmark_sets as s')
    .leftJoin('benchmark_values as v', 'v.set_id', 's.id')
    .select(['s.id', 's.name', 's.consultancy_id', 's.created_at', (eb) => eb.fn.count<number>('v.id').as('value_count')])
    .where('s.consultancy_id', 'in', consultancyIds)
    .groupBy(['s.id', 's.name', 's.consultancy_id', 's.created_at'])
    .orderBy('s.created_at', 'desc')
    .execute();
}

export async function getBenchmarkSetValues(db: Db, setId: string) {
  return db
    .selectFrom('benchmark_values')
    .select(['target_kind', 'target_id', 'metric', 'value', 'n', 'source', 'year'])
    .where('set_id', '=', setId)
    .orderBy('target_kind')
    .orderBy('target_id')
    .orderBy('metric')
    .execute();
}
