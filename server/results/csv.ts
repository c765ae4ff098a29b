// RFC 4180 CSV: a strict parser that keeps line numbers (for error messages) and a writer that
// neutralises spreadsheet formulas. Separator: comma; a semicolon header (Dutch Excel) is accepted too.

export interface CsvRecord {
  /** 1-based physical line on which the record starts. */
  line: number;
  cells: string[];
}

export class CsvSyntaxError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
  }
}

/** Separator of a CSV text: ';' when the first line has more semicolons than commas outside quotes. */
export function detectSeparator(text: string): ',' | ';' {
  const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
  const unquoted = firstLine.replace(/"[^"]*"/g, '');
  const commas = (unquoted.match(/,/g) ?? []).length;
  const semicolons = (unquoted.match(/;/g) ?? []).length;
  return semicolons > commas ? ';' : ',';
}

/** Parses CSV text into records; blank lines are skipped. Throws CsvSyntaxError on a broken quote. */
export function parseCsv(input: string, separator: ',' | ';' = detectSeparator(input)): CsvRecord[] {
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const records: CsvRecord[] = [];
  let line = 1;
  let recordLine = 1;
  let cells: string[] = [];
  let cell = '';
  let inQuotes = false;
  let quotedCell = false;
  const endRecord = () => {
    cells.push(cell);
    if (!(cells.length === 1 && cells[0] === '' && !quotedCell)) records.push({ line: recordLine, cells });
    cells = [];
    cell = '';
    quotedCell = false;
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (inQuotes) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i++;
        } else inQuotes = false;
      } else {
        if (ch === '\n') line++;
        cell += ch;
      }
      continue;
    }
    if (ch === '"') {
      if (cell !== '') throw new CsvSyntaxError(line, 'a quote may only open a field');
      inQuotes = true;
      quotedCell = true;
    } else if (ch === separator) {
      cells.push(cell);
      cell = '';
      quotedCell = false;
    } else if (ch === '\r') {
      if (text[i + 1] !== '\n') throw new CsvSyntaxError(line, 'bare carriage return');
    } else if (ch === '\n') {
      endRecord();
      line++;
      recordLine = line;
    } else {
      if (quotedCell) throw new CsvSyntaxError(line, 'text after a closing quote');
      cell += ch;
    }
  }
  if (inQuotes) throw new CsvSyntaxError(recordLine, 'unterminated quoted field');
  if (cell !== '' || cells.length > 0 || quotedCell) endRecord();
  return records;
}

/** Spreadsheet programs run cells starting with = + - @ as formulas; prefix those that are not numbers. */
function neutralise(value: string): string {
  if (/^[=+\-@\t\r]/.test(value) && !/^[-+]?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(value)) return `'${value}`;
  return value;
}

export type CsvValue = string | number | boolean | null | undefined;

export function csvCell(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  const s = neutralise(typeof value === 'number' ? (Number.isFinite(value) ? String(value) : '') : String(value));
  return /[",\r\n;]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(header: readonly string[], rows: Iterable<readonly CsvValue[]>): string {
  const out = [header.map(csvCell).join(',')];
  for (const row of rows) out.push(row.map(csvCell).join(','));
  return out.join('\r\n') + '\r\n';
}
