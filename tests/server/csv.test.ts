// The one CSV module (server/lib/csv.ts): the cases on which the two former hand-written parsers and
// writers disagreed are decided here, once, for every import and export.
import { describe, expect, it } from 'vitest';
import { CsvSyntaxError, detectDelimiter, parseCsv, toCsv } from '../../server/lib/csv.js';

const cells = (text: string) => parseCsv(text).map((r) => r.cells);

function syntaxError(text: string): CsvSyntaxError {
  try {
    parseCsv(text);
  } catch (err) {
    if (err instanceof CsvSyntaxError) return err;
    throw err;
  }
  throw new Error(`parsed without error: ${JSON.stringify(text)}`);
}

describe('reading CSV', () => {
  it('reads a bare CR as a line break (old Mac Excel), as CRLF and LF', () => {
    for (const eol of ['\r', '\n', '\r\n']) {
      expect(parseCsv(`email;afdeling${eol}a@example.nl;Zorg${eol}`)).toEqual([
        { line: 1, cells: ['email', 'afdeling'] },
        { line: 2, cells: ['a@example.nl', 'Zorg'] },
      ]);
    }
  });

  it('rejects text after a closing quote ("a"x), naming line and column', () => {
    const err = syntaxError('naam,b\n1,"a"x\n');
    expect({ line: err.line, column: err.column, reason: err.reason }).toEqual({ line: 2, column: 2, reason: 'text after a closing quote' });
    expect(err.path).toBe('line 2, column 2');
  });

  it('rejects an unterminated quote and a quote inside an unquoted field, with line and column', () => {
    const unterminated = syntaxError('a,b\n1,"twee\n');
    expect(unterminated.reason).toBe('unterminated quoted field');
    expect({ line: unterminated.line, column: unterminated.column }).toEqual({ line: 2, column: 2 });
    const opening = syntaxError('a,b\nx"y,2\n');
    expect({ line: opening.line, column: opening.column, reason: opening.reason }).toEqual({ line: 2, column: 1, reason: 'a quote may only open a field' });
  });

  it('takes ";" or "," from the first line, outside quotes, and drops a byte-order mark', () => {
    expect(detectDelimiter('a;b;c\n1,5;2,5;3')).toBe(';');
    expect(detectDelimiter('"x;y;z",b\n')).toBe(',');
    expect(cells('\uFEFFsd1;sd2\n3,5;4\n')).toEqual([['sd1', 'sd2'], ['3,5', '4']]);
    expect(cells('\uFEFFsd1,sd2\n"3,5",4\n')).toEqual([['sd1', 'sd2'], ['3,5', '4']]);
  });

  it('skips blank rows, also the ";;" rows Excel writes, and counts physical lines', () => {
    const text = 'a;b\r\n;;\r\n\r\n"twee\r\nregels";x\r\nc;d\r\n';
    expect(parseCsv(text)).toEqual([
      { line: 1, cells: ['a', 'b'] },
      { line: 4, cells: ['twee\r\nregels', 'x'] },
      { line: 6, cells: ['c', 'd'] },
    ]);
  });
});

describe('writing CSV', () => {
  it('writes -5 as a number, as text or number, but neutralises formulas', () => {
    const text = toCsv(['a', 'b', 'c'], [
      ['-5', -5, '+31'],
      ['=1+2', '@SUM(A1)', '-1+2'],
    ]);
    expect(text).toBe("a,b,c\r\n-5,-5,+31\r\n'=1+2,'@SUM(A1),'-1+2\r\n");
  });

  it('quotes separators of either kind, quotes and line breaks, and round-trips them', () => {
    const row = ['x;y', 'x,y', 'Ik vind het "lastig"', 'twee\nregels', ''];
    const text = toCsv(['a', 'b', 'c', 'd', 'e'], [row, [null, undefined, Number.NaN, true, 0]]);
    expect(text.split('\r\n')[1]).toBe('"x;y","x,y","Ik vind het ""lastig""","twee\nregels",');
    expect(cells(text)).toEqual([['a', 'b', 'c', 'd', 'e'], row, ['', '', '', 'true', '0']]);
  });
});
