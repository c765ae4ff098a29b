// Small CSV reader and writer for invitation lists: RFC 4180 quoting, comma or semicolon (Dutch
// spreadsheet exports use ";"), CRLF or LF, a UTF-8 byte-order mark tolerated.

export interface CsvRow {
  /** 1-based line number where the record starts, for error messages. */
  line: number;
  cells: string[];
}

export class CsvSyntaxError extends Error {
  constructor(readonly line: number, message: string) {
    super(message);
  }
}

/** The delimiter of the first line: ";" when it has more semicolons than commas outside quotes. */
export function detectDelimiter(text: string): ',' | ';' {
  const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
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

/** Parses records; blank lines are skipped. Throws CsvSyntaxError for an unterminated quote. */
export function parseCsv(input: string, delimiter: ',' | ';' = detectDelimiter(input.replace(/^\uFEFF/, ''))): CsvRow[] {
  const text = input.replace(/^\uFEFF/, '');
  const rows: CsvRow[] = [];
  let line = 1;
  let i = 0;
  while (i < text.length) {
    const start = line;
    const cells: string[] = [];
    let cell = '';
    let quoted = false;
    let wasQuoted = false;
    for (;;) {
      if (i >= text.length) {
        if (quoted) throw new CsvSyntaxError(start, 'Unterminated quoted field');
        cells.push(cell);
        break;
      }
      const ch = text[i]!;
      if (quoted) {
        if (ch === '"') {
          if (text[i + 1] === '"') {
            cell += '"';
            i += 2;
          } else {
            quoted = false;
            i++;
          }
        } else {
          if (ch === '\n') line++;
          cell += ch;
          i++;
        }
        continue;
      }
      if (ch === '"' && cell.trim() === '' && !wasQuoted) {
        quoted = true;
        wasQuoted = true;
        cell = '';
        i++;
      } else if (ch === delimiter) {
        cells.push(cell);
        cell = '';
        wasQuoted = false;
        i++;
      } else if (ch === '\r' || ch === '\n') {
        cells.push(cell);
        i += ch === '\r' && text[i + 1] === '\n' ? 2 : 1;
        line++;
        break;
      } else {
        cell += ch;
        i++;
      }
    }
    if (cells.some((c) => c.trim() !== '')) rows.push({ line: start, cells });
  }
  return rows;
}

/** One CSV field: quoted when needed; a leading = + - @ is neutralised so spreadsheets do not run it. */
export function csvField(value: string | null | undefined): string {
  let v = value ?? '';
  if (/^[=+\-@\t\r]/.test(v)) v = `'${v}`;
  return /[",;\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

export function toCsv(header: string[], rows: Array<Array<string | null>>): string {
  return [header, ...rows].map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}
