// The result model as an Excel workbook: one sheet per part of the model (response, mechanisms, items,
// perspectives, segments, checklist, dialogue, factors, priorities, trend), plus a first sheet that
// explains the anonymity rules. Built from the rows of the tidy CSV (resultRows), i.e. from the served
// (stored, disclosed) result model and nothing else: a figure the CSV does not carry cannot appear.
import ExcelJS from 'exceljs';
import type { ResultModel } from '../../scans/result-model.js';
import { neutraliseFormula, type CsvValue } from '../lib/csv.js';
import { RESULTS_CSV_COLUMNS, resultRows, type ResultRow } from './export.js';

type Lang = 'nl' | 'en';
type Column = (typeof RESULTS_CSV_COLUMNS)[number];

/** Sheets in order; each takes the rows whose section is listed. */
export const WORKBOOK_SHEETS: ReadonlyArray<{ id: string; sections: readonly string[]; title: Record<Lang, string> }> = [
  { id: 'meta', sections: ['meta'], title: { nl: 'Ronde', en: 'Round' } },
  { id: 'response', sections: ['response'], title: { nl: 'Respons', en: 'Response' } },
  { id: 'mechanisms', sections: ['mechanism'], title: { nl: 'Mechanismen', en: 'Mechanisms' } },
  { id: 'items', sections: ['item'], title: { nl: 'Stellingen', en: 'Statements' } },
  { id: 'perspectives', sections: ['perspective', 'perspective_item'], title: { nl: 'Perspectieven', en: 'Perspectives' } },
  { id: 'segments', sections: ['segment'], title: { nl: 'Groepen', en: 'Groups' } },
  { id: 'checklist', sections: ['checklist'], title: { nl: 'Checklist', en: 'Checklist' } },
  { id: 'dialogue', sections: ['dialogue', 'dialogue_move', 'dialogue_placement', 'dialogue_disagreement'], title: { nl: 'Dialoogmodel', en: 'Dialogue model' } },
  { id: 'factors', sections: ['factor'], title: { nl: 'Factoren', en: 'Factors' } },
  { id: 'priorities', sections: ['priority', 'priority_reason', 'priority_intervention'], title: { nl: 'Prioriteiten', en: 'Priorities' } },
  { id: 'trend', sections: ['trend', 'trend_item'], title: { nl: 'Trend', en: 'Trend' } },
];

const HEADERS: Record<Column, Record<Lang, string>> = {
  section: { nl: 'Onderdeel', en: 'Section' },
  mechanism: { nl: 'Mechanisme', en: 'Mechanism' },
  item: { nl: 'Stelling', en: 'Item' },
  dimension: { nl: 'Kenmerk', en: 'Dimension' },
  group: { nl: 'Groep', en: 'Group' },
  form: { nl: 'Vragenlijst', en: 'Form' },
  frame: { nl: 'Kader', en: 'Frame' },
  metric: { nl: 'Maat', en: 'Metric' },
  value: { nl: 'Waarde', en: 'Value' },
  n: { nl: 'n', en: 'n' },
  label: { nl: 'Omschrijving', en: 'Label' },
  benchmark_kind: { nl: 'Soort vergelijking', en: 'Benchmark kind' },
  benchmark: { nl: 'Vergelijking', en: 'Benchmark' },
  benchmark_value: { nl: 'Vergelijkingswaarde', en: 'Benchmark value' },
  delta: { nl: 'Verschil', en: 'Difference' },
  source: { nl: 'Bron', en: 'Source' },
  year: { nl: 'Jaar', en: 'Year' },
  population: { nl: 'Populatie', en: 'Population' },
};

const ABOUT: Record<Lang, { title: string; lines: (model: ResultModel) => string[] }> = {
  nl: {
    title: 'Toelichting',
    lines: (m) => [
      `Ronde: ${m.meta.round.name}`,
      `Organisatie: ${m.meta.organisation.name}`,
      `Aangemaakt: ${m.meta.generatedAt}`,
      `Anonimiteit: cijfers worden alleen getoond over groepen van ten minste ${m.anonymity.threshold} mensen. ` +
        'Een rij met maat "hidden" of "suppressed" staat voor een groep of cijfer dat om die reden niet wordt getoond.',
      'Elk tabblad is een onderdeel van de resultaten; de kolommen zijn dezelfde als in de CSV-export.',
      ...m.anonymity.notes.map((n) => `- ${n.text.nl}`),
    ],
  },
  en: {
    title: 'About',
    lines: (m) => [
      `Round: ${m.meta.round.name}`,
      `Organisation: ${m.meta.organisation.name}`,
      `Generated: ${m.meta.generatedAt}`,
      `Anonymity: figures are shown only about groups of at least ${m.anonymity.threshold} people. ` +
        'A row with metric "hidden" or "suppressed" stands for a group or figure that is not shown for that reason.',
      'Each sheet is one part of the results; the columns are those of the CSV export.',
      ...m.anonymity.notes.map((n) => `- ${n.text.en}`),
    ],
  },
};

function cellValue(v: CsvValue): string | number | boolean | null {
  if (v === undefined || v === null) return null;
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'boolean') return v;
  // exceljs writes strings as text, never as formulas; neutralised anyway for copies pasted elsewhere.
  return neutraliseFormula(v);
}

/** The workbook as an exceljs object (tests read it back); `resultsWorkbookBuffer` for the route. */
export function resultsWorkbook(model: ResultModel, lang: Lang = 'nl'): ExcelJS.Workbook {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Leercultuurscan';
  wb.created = new Date(model.meta.generatedAt);
  const about = wb.addWorksheet(ABOUT[lang].title);
  about.getColumn(1).width = 120;
  for (const line of ABOUT[lang].lines(model)) about.addRow([line]).getCell(1).alignment = { wrapText: true, vertical: 'top' };
  about.getRow(1).font = { bold: true };

  const rows = resultRows(model, lang);
  const bySection = new Map<string, ResultRow[]>();
  for (const r of rows) {
    const key = String(r.section);
    const list = bySection.get(key) ?? [];
    list.push(r);
    bySection.set(key, list);
  }
  const known = new Set(WORKBOOK_SHEETS.flatMap((s) => s.sections));
  const unknown = [...bySection.keys()].filter((s) => !known.has(s));
  const sheets = [...WORKBOOK_SHEETS, ...unknown.map((s) => ({ id: s, sections: [s], title: { nl: s, en: s } }))];
  for (const sheet of sheets) {
    const part = sheet.sections.flatMap((s) => bySection.get(s) ?? []);
    // Only the columns this part uses (the section column only when the sheet mixes sections).
    const columns = RESULTS_CSV_COLUMNS.filter((c) => (c === 'section' ? sheet.sections.length > 1 : part.some((r) => r[c] !== undefined && r[c] !== null)));
    const ws = wb.addWorksheet(sheet.title[lang].slice(0, 31), { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.columns = (columns.length > 0 ? columns : (['metric', 'value'] as Column[])).map((c) => ({
      header: HEADERS[c][lang],
      key: c,
      width: c === 'label' || c === 'benchmark' || c === 'population' ? 48 : c === 'value' || c === 'n' ? 12 : 18,
    }));
    ws.getRow(1).font = { bold: true };
    for (const r of part) ws.addRow(Object.fromEntries(columns.map((c) => [c, cellValue(r[c])])));
    if (part.length > 0) ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: columns.length } };
  }
  return wb;
}

export async function resultsWorkbookBuffer(model: ResultModel, lang: Lang = 'nl'): Promise<Buffer> {
  const out = await resultsWorkbook(model, lang).xlsx.writeBuffer();
  return Buffer.from(out as ArrayBuffer);
}
