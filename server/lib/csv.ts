// The one CSV reader and writer, on csv-parse / csv-stringify, for every import (responses, benchmark
// sets, invitation lists) and export. Reading: RFC 4180 quoting, a UTF-8 byte-order mark, "," or ";"
// (Dutch Excel writes ";"), CRLF, LF or a bare CR (old Mac Excel) as line breaks, blank rows skipped,
// and every error with its line and column. Writing: CRLF, and cells a spreadsheet would run as a
// formula are neutralised (numbers are not: -5 stays a number).
import { CsvError, parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';

export interface CsvRecord {
  /** 1-based physical line on which the record starts. */
  line: number;
  cells: string[];
}

export class CsvSyntaxError extends Error {
  constructor(
    /** 1-based line of the fault. */
    readonly line: number,
    /** 1-based field number of the fault within its record. */
    readonly column: number,
    /** What is wrong, without the position. */
    readonly reason: string,
  ) {
    super(`line ${line}, column ${column}: ${reason}`);
  }

  /** Where, in the form import errors name fields ("line 3, column 2"). */
  get path(): string {
    return `line ${this.line}, column ${this.column}`;
  }
}

export type CsvDelimiter = ',' | ';';

/**
 * ";" when the first line has more semicolons than commas outside quotes, else ",". csv-parse has no
 * delimiter detection; this is the rule Dutch spreadsheets need (a ";" file may hold "3,5" decimals).
 */
export function detectDelimiter(text: string): CsvDelimiter {
  const firstLine = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/, 1)[0] ?? '';
  let commas = 0;
  let semicolons = 0;
  let quoted = false;
  for (const ch of firstLine) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && ch === ',') commas++;
    else if (!quoted && ch === ';') semicolons++;
  }
  return semicolons > commas ? ';' : ',';
}

const REASONS: Record<string, string> = {
  CSV_QUOTE_NOT_CLOSED: 'unterminated quoted field',
  CSV_INVALID_CLOSING_QUOTE: 'text after a closing quote',
  INVALID_OPENING_QUOTE: 'a quote may only open a field',
};

const LINE_BREAKS = /\r\n|\n|\r/g;

/** Parses CSV text into records; rows of only blank cells are skipped. Throws CsvSyntaxError. */
export function parseCsv(text: string, delimiter: CsvDelimiter = detectDelimiter(text)): CsvRecord[] {
  const records: CsvRecord[] = [];
  let line = 1; // where the next record starts
  try {
    parse(text, {
      bom: true,
      delimiter,
      // No record_delimiter: csv-parse takes the first of CRLF, LF or CR it meets.
      relax_column_count: true, // callers report a wrong field count with the record's line
      skip_empty_lines: false, // kept, so that counting records and their inner line breaks gives lines
      trim: true, // blanks around a quoted field, as spreadsheets and people type them
      on_record: (cells: string[]) => {
        const start = line;
        line += 1 + cells.reduce((n, c) => n + (c.match(LINE_BREAKS)?.length ?? 0), 0);
        if (!cells.every((c) => c.trim() === '')) records.push({ line: start, cells });
        return null; // collected here; csv-parse keeps nothing
      },
    });
  } catch (err) {
    if (err instanceof CsvError) {
      const e = err as CsvError & { lines?: number; column?: number | string };
      const column = typeof e.column === 'number' ? e.column + 1 : 1;
      // An unterminated quote is only noticed at the end of the text: name the record it opens in.
      const at = e.code === 'CSV_QUOTE_NOT_CLOSED' ? line : (e.lines ?? line);
      throw new CsvSyntaxError(at, column, REASONS[e.code] ?? e.message.split(':')[0]!.toLowerCase());
    }
    throw err;
  }
  return records;
}

export type CsvValue = string | number | boolean | null | undefined;

const NUMBER = /^[-+]?\d+([.,]\d+)?([eE][-+]?\d+)?$/;

/** Spreadsheets run cells starting with = + - @ (or a tab/CR) as formulas; prefix those that are not numbers. */
export function neutraliseFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) && !NUMBER.test(value) ? `'${value}` : value;
}

function cell(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  return neutraliseFormula(String(value));
}

/** A CSV text with CRLF line ends; ";" and line breaks are quoted too, so Dutch Excel reads it either way. */
export function toCsv(header: readonly string[], rows: Iterable<readonly CsvValue[]>): string {
  const records = [header.map(cell), ...Array.from(rows, (row) => row.map(cell))];
  return stringify(records, { record_delimiter: '\r\n', quoted_match: /[;\r\n]/ });
}
