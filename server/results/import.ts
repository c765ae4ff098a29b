// Import of a round's responses from another survey tool, as CSV: one row per respondent, the round's
// item ids as columns, optional background columns. Strict: every bad cell is reported with its line
// and column, and nothing is stored unless every row is good (one transaction).
//
//   respondent_id,department,role,sd1,sd2,...,ext6
//   r-001,Zorg,employee,4,5,dk,...
//
// Item cells: 1..5, "dk" / "na" / "x" for don't know / not applicable, empty for not answered.
// Background columns: department (one of the round's departments, when it lists any), role, education,
// contract, age_band (the questionnaire's option values); empty = not stated. Optional columns:
// respondent_id (ignored, never stored), form (employee | management; otherwise the request's form).
import type { Kysely, Transaction } from 'kysely';
import { AGE_BAND_VALUES, CONTRACT_VALUES, EDUCATION_VALUES, ROLE_VALUES } from '../../scans/instruments/background.js';
import { getCultureScan } from '../../scans/instruments/registry.js';
import type { DB, FormKind } from '../db/schema.js';
import { AppError, ConflictError, NotFoundError, ValidationFailedError, type FieldError } from '../lib/errors.js';
import { CsvSyntaxError, parseCsv } from '../lib/csv.js';
import { insertSubmittedResponses } from '../rounds/bulk-insert.js';

export const MAX_IMPORT_ROWS = 20_000;
const MAX_ERRORS = 200;
const DONT_KNOW = new Set(['dk', 'na', 'x', 'n/a']);
const BACKGROUND = ['department', 'role', 'education', 'contract', 'age_band'] as const;
type BackgroundColumn = (typeof BACKGROUND)[number];
const FIXED_OPTIONS: Record<Exclude<BackgroundColumn, 'department'>, readonly string[]> = {
  role: ROLE_VALUES,
  education: EDUCATION_VALUES,
  contract: CONTRACT_VALUES,
  age_band: AGE_BAND_VALUES,
};

interface ParsedRow {
  form: FormKind;
  background: Record<BackgroundColumn, string | null>;
  answers: Array<{ item_id: string; value: number | null }>;
}

export interface ImportResult {
  imported: number;
  byForm: Record<FormKind, number>;
}

export async function importResponses(
  db: Kysely<DB>,
  roundId: string,
  csv: string,
  options: { form?: FormKind; now?: Date } = {},
): Promise<ImportResult> {
  const round = await db
    .selectFrom('rounds')
    .select(['id', 'status', 'instrument_id', 'modules', 'departments', 'languages'])
    .where('id', '=', roundId)
    .executeTakeFirst();
  if (!round) throw new NotFoundError('Round');
  if (round.status === 'closed') throw new ConflictError('round_closed', 'Responses cannot be imported into a closed round');
  const instrument = round.modules.includes('culture_scan') ? getCultureScan(round.instrument_id) : undefined;
  if (!instrument) throw new AppError(409, 'no_culture_scan', 'This round has no culture scan to import answers for');
  const rows = parseImportCsv(csv, {
    itemIds: instrument.scales.flatMap((s) => s.items.map((i) => i.id)),
    departments: round.departments,
    defaultForm: options.form ?? 'employee',
  });
  const day = new Date(options.now ?? new Date());
  day.setUTCHours(0, 0, 0, 0);
  const language = (round.languages[0] ?? 'nl') as 'nl' | 'en';
  // Inside a caller's transaction (the tenant scope of the imports route) or in one of its own.
  if (db.isTransaction) await insertRows(db as Transaction<DB>, roundId, rows, day, language);
  else await (db as Kysely<DB>).transaction().execute(async (tx) => insertRows(tx, roundId, rows, day, language));
  return {
    imported: rows.length,
    byForm: { employee: rows.filter((r) => r.form === 'employee').length, management: rows.filter((r) => r.form === 'management').length },
  };
}

function insertRows(tx: Transaction<DB>, roundId: string, rows: ParsedRow[], day: Date, language: 'nl' | 'en'): Promise<void> {
  return insertSubmittedResponses(
    tx,
    roundId,
    'import',
    day,
    rows.map((r) => ({
      form: r.form,
      language,
      background: {
        ...r.background,
        role: r.background.role as 'employee' | 'manager' | null,
        contract: r.background.contract as 'permanent' | 'flexible' | null,
      },
      answers: r.answers,
    })),
  );
}

/** Validates the whole CSV; throws ValidationFailedError with `line N, column X` paths. */
export function parseImportCsv(
  text: string,
  ctx: { itemIds: readonly string[]; departments: readonly string[]; defaultForm: FormKind },
): ParsedRow[] {
  let records;
  try {
    records = parseCsv(text);
  } catch (e) {
    if (e instanceof CsvSyntaxError) throw new ValidationFailedError('The CSV cannot be read; nothing was imported', [{ path: e.path, message: e.reason }]);
    throw e;
  }
  const errors: FieldError[] = [];
  if (records.length === 0) throw new ValidationFailedError('The CSV is empty; nothing was imported', [{ path: 'line 1', message: 'expected a header row' }]);
  const header = records[0]!;
  const columns = header.cells.map((c) => c.trim());
  const known = new Set<string>([...ctx.itemIds, ...BACKGROUND, 'form', 'respondent_id']);
  columns.forEach((c, i) => {
    if (!known.has(c)) errors.push({ path: `line ${header.line}, column ${i + 1}`, message: `unknown column "${c}": not an item of this round's instrument or a background column` });
    else if (columns.indexOf(c) !== i) errors.push({ path: `line ${header.line}, column ${c}`, message: 'duplicate column' });
  });
  const itemColumns = columns.map((c, i) => [c, i] as const).filter(([c]) => ctx.itemIds.includes(c));
  if (itemColumns.length === 0) errors.push({ path: `line ${header.line}`, message: 'no item columns: use the item ids of the instrument (e.g. sd1) as column names' });
  if (errors.length) throw new ValidationFailedError('The CSV header is not valid; nothing was imported', errors);
  const body = records.slice(1);
  if (body.length === 0) throw new ValidationFailedError('The CSV has no rows; nothing was imported', [{ path: `line ${header.line + 1}`, message: 'expected at least one respondent' }]);
  if (body.length > MAX_IMPORT_ROWS) {
    throw new ValidationFailedError('Too many rows; nothing was imported', [{ path: `line ${body[MAX_IMPORT_ROWS]!.line}`, message: `at most ${MAX_IMPORT_ROWS} respondents per import` }]);
  }
  const idx = (c: string) => columns.indexOf(c);
  const rows: ParsedRow[] = [];
  for (const rec of body) {
    if (errors.length >= MAX_ERRORS) break;
    const at = (c: string) => `line ${rec.line}, column ${c}`;
    if (rec.cells.length !== columns.length) {
      errors.push({ path: `line ${rec.line}`, message: `expected ${columns.length} fields, found ${rec.cells.length}` });
      continue;
    }
    const before = errors.length;
    const cell = (c: string) => (idx(c) < 0 ? '' : rec.cells[idx(c)]!.trim());
    let form = ctx.defaultForm;
    if (idx('form') >= 0 && cell('form') !== '') {
      const f = cell('form').toLowerCase();
      if (f === 'employee' || f === 'management') form = f;
      else errors.push({ path: at('form'), message: 'must be employee or management' });
    }
    const background = {} as Record<BackgroundColumn, string | null>;
    for (const b of BACKGROUND) {
      const v = cell(b);
      background[b] = null;
      if (v === '') continue;
      if (b === 'department') {
        if (v.length > 200) errors.push({ path: at(b), message: 'at most 200 characters' });
        else if (ctx.departments.length > 0 && !ctx.departments.includes(v)) {
          errors.push({ path: at(b), message: `"${v}" is not one of the round's departments (${ctx.departments.join(', ')})` });
        } else background[b] = v;
      } else {
        const options = FIXED_OPTIONS[b];
        if (!options.includes(v)) errors.push({ path: at(b), message: `must be one of ${options.join(', ')} or empty` });
        else background[b] = v;
      }
    }
    const answers: ParsedRow['answers'] = [];
    for (const [itemId, i] of itemColumns) {
      const raw = rec.cells[i]!.trim();
      if (raw === '') continue;
      if (DONT_KNOW.has(raw.toLowerCase())) {
        answers.push({ item_id: itemId, value: null });
        continue;
      }
      if (!/^[1-5]$/.test(raw)) {
        errors.push({ path: at(itemId), message: `"${raw.slice(0, 20)}" is not an answer: use 1-5, dk for don't know, or leave empty` });
        continue;
      }
      answers.push({ item_id: itemId, value: Number(raw) });
    }
    if (answers.length === 0 && errors.length === before) errors.push({ path: `line ${rec.line}`, message: 'the respondent answered no item' });
    if (errors.length === before) rows.push({ form, background, answers });
  }
  if (errors.length) {
    throw new ValidationFailedError(
      `${errors.length >= MAX_ERRORS ? `${MAX_ERRORS}+` : errors.length} problem(s) in the CSV; nothing was imported`,
      errors.slice(0, MAX_ERRORS),
    );
  }
  return rows;
}
