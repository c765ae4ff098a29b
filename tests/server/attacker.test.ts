// The attacker test: random rounds (departments and background mixes, missing answers per scale, both
// forms, placements, factors, reopen cycles) are closed, reopened, extended and closed again; after each
// close a reader with a legitimate account collects every published figure from every view (the
// unfiltered model and every `?segment=` filter, which is what the JSON API, the CSV, the dashboard
// and the PDFs read). A generic differencing attacker, who knows every respondent's true answers (the
// generator's ground truth, computed here independently of the server), then checks:
// - no published figure rests on 1..k-1 respondents, and every stated n is the true one;
// - no two published figures of one statistic (any views, any releases) whose respondents are nested
//   differ by 1..k-1 respondents;
// - no partition (a parent minus its shown groups) and no composite (a scale's distribution minus its
//   shown items) leaves 1..k-1 respondents.
// The attacker is itself tested first, on planted leaks of each class.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { getCultureScan, getFactors } from '../../scans/instruments/registry.js';
import { type ResultModel, type SegmentDimension } from '../../scans/result-model.js';
import { parse as parseCsv } from 'csv-parse/sync';
import { buildResultModel } from '../../server/results/build.js';
import { resultsWorkbook } from '../../server/results/excel.js';
import { ensureResultExtras, servedExtras } from '../../server/results/modules/store.js';
import { rawAnswersCsv, resultsToCsv } from '../../server/results/export.js';
import { loadReportInput } from '../../server/reports/input.js';
import { loadDepartmentInput, loadVisibleDepartments } from '../../server/reports/department.js';
import { ReportPool } from '../../server/reports/pool.js';
import { pdfText, squash } from '../fixtures/pdf.js';
import { closeRound, reopenRound } from '../../server/rounds/lifecycle.js';
import { insertSubmittedResponse } from '../helpers/responses.js';
import { setupTestApp, type TestApp } from '../helpers/app.js';
import { createTenant } from '../helpers/auth.js';

// --- ground truth ---------------------------------------------------------------------------------

interface Person {
  form: 'employee' | 'management';
  background: Partial<Record<SegmentDimension, string>>;
  /** Valid answers 1..5 by item id (don't know and skipped are absent). */
  answers: Record<string, number>;
  dontKnow: string[];
  frames: Array<'current' | 'desired'>;
  /** factor id -> -2..2, or null for not applicable. */
  factors: Record<string, number | null>;
}

const MIN_ITEMS = (size: number) => Math.ceil((2 / 3) * size);

/** The true respondents (indices into people) behind a statistic of a group; computed from the answers. */
function truth(people: readonly Person[], statistic: string, group: string): Set<number> {
  const scan = getCultureScan('culture-scan@1')!;
  const inGroup = (p: Person) => {
    if (group === 'all') return true;
    const [dim, value] = group.split(/:(.*)/s) as [SegmentDimension, string];
    return p.form === 'employee' && (p.background[dim] ?? '_not_stated') === value;
  };
  const [kind, id] = statistic.split(/:(.*)/s) as [string, string | undefined];
  const employee = !kind.startsWith('mgmt-') && kind !== 'managers' && kind !== 'respondents';
  const scaleItems = (m: string) => scan.scales.find((s) => s.mechanism === m)!.items.map((i) => i.id);
  const answered = (p: Person, m: string) => scaleItems(m).filter((i) => p.answers[i] !== undefined).length;
  const has = (p: Person): boolean => {
    switch (kind) {
      case 'employees':
        return true;
      case 'managers':
        return true;
      case 'respondents':
        return true;
      case 'scale':
      case 'mgmt-scale':
        return answered(p, id!) >= MIN_ITEMS(scaleItems(id!).length);
      case 'scale-answers':
      case 'mgmt-scale-answers':
        return answered(p, id!) > 0;
      case 'alpha':
        return answered(p, id!) === scaleItems(id!).length;
      case 'item':
      case 'mgmt-item':
        return p.answers[id!] !== undefined;
      case 'placement':
        return p.frames.includes(id as 'current');
      case 'factor-raters':
        return Object.values(p.factors).some((v) => v !== null);
      case 'factor':
        return p.factors[id!] !== undefined && p.factors[id!] !== null;
      default:
        throw new Error(`unknown statistic ${statistic}`);
    }
  };
  // A role group of the management form (issue 17 extras: HR, line managers, directors).
  const mgmtRole = group.startsWith('mgmt-role:') ? group.slice('mgmt-role:'.length) : null;
  const inRole = (p: Person) => p.form === 'management' && (p.background.role ?? '_not_stated') === mgmtRole;
  const out = new Set<number>();
  people.forEach((p, i) => {
    const formOk = kind === 'respondents' ? true : kind === 'managers' || kind.startsWith('mgmt-') ? p.form === 'management' : p.form === 'employee';
    if (formOk && (mgmtRole !== null ? inRole(p) : employee ? inGroup(p) : group === 'all') && has(p)) out.add(i);
  });
  return out;
}

// --- collecting what a reader sees ----------------------------------------------------------------

export interface Collected {
  statistic: string;
  group: string;
  /** The n the output states, when it states one. */
  stated: number | null;
  /** Which release (moment of reading) it was seen in. */
  release: number;
  where: string;
}

/** Every figure about respondents in one served view, walked independently of the server's code. */
function collect(model: ResultModel, release: number): Collected[] {
  const f = model.meta.segmentFilter;
  const g = f ? `${f.dimension}:${f.value}` : 'all';
  const out: Collected[] = [];
  const add = (statistic: string, group: string, stated: number | null, where: string) => out.push({ statistic, group, stated, release, where: `${g} ${where}` });
  const r = model.response;
  if (r.submitted !== null) add(f ? 'employees' : 'respondents', g, r.submitted, 'response.submitted');
  for (const pf of r.perForm) if (pf.submitted !== null) add(pf.form === 'employee' ? 'employees' : 'managers', g, pf.submitted, `perForm.${pf.form}`);
  for (const d of r.perSegment) for (const grp of d.groups) if (!grp.hidden) add('employees', `${d.dimension}:${grp.key}`, grp.submitted, 'perSegment');
  for (const m of model.mechanisms) {
    if (m.score) add(`scale:${m.mechanismId}`, g, m.score.n, `mechanism ${m.mechanismId}`);
    if (m.distribution) add(`scale-answers:${m.mechanismId}`, g, m.distribution.respondents ?? null, `distribution ${m.mechanismId}`);
    else if (m.favourable !== null) add(`scale-answers:${m.mechanismId}`, g, null, `favourable ${m.mechanismId}`);
    if (m.alpha) add(`alpha:${m.mechanismId}`, g, m.alpha.n, `alpha ${m.mechanismId}`);
    for (const it of m.items) {
      if (it.score) add(`item:${it.itemId}`, g, it.score.n, `item ${it.itemId}`);
      else if (it.distribution || it.favourable !== null) add(`item:${it.itemId}`, g, it.distribution?.valid ?? null, `item ${it.itemId}`);
    }
  }
  for (const p of model.perspectives.mechanisms) {
    if (!p.management.suppressed) {
      if (p.management.score) add(`mgmt-scale:${p.mechanismId}`, g, p.management.score.n, `management ${p.mechanismId}`);
      if (p.management.distribution || p.management.favourable !== null)
        add(`mgmt-scale-answers:${p.mechanismId}`, g, p.management.distribution?.respondents ?? null, `management answers ${p.mechanismId}`);
    }
    for (const it of p.items) if (!it.management.suppressed && it.management.score) add(`mgmt-item:${it.itemId}`, g, it.management.score.n, `management item ${it.itemId}`);
  }
  for (const d of model.segments) {
    for (const grp of d.groups) {
      if (grp.hidden) continue;
      const gid = `${d.dimension}:${grp.key}`;
      add('employees', gid, grp.n, 'segment n');
      for (const c of grp.mechanisms) {
        if (c.score) add(`scale:${c.mechanismId}`, gid, c.score.n, `segment ${c.mechanismId}`);
        if (c.favourable !== null) add(`scale-answers:${c.mechanismId}`, gid, null, `segment favourable ${c.mechanismId}`);
      }
    }
  }
  for (const row of model.heatmap.rows) {
    for (const c of row.cells) if (c.mean !== null) add(`scale:${c.mechanismId}`, `${row.dimension}:${row.key}`, null, 'heatmap');
  }
  for (const grp of model.dialogue.groups) {
    if (grp.group !== 'employee') continue;
    for (const fr of grp.frames) if (fr.summary) add(`placement:${fr.frame}`, g, fr.summary.n, `placement ${fr.frame}`);
  }
  if (model.factors.included) {
    if (model.factors.respondents !== null) add('factor-raters', g, model.factors.respondents, 'factor raters');
    for (const fg of model.factors.groups) for (const x of fg.factors) if (x.mean !== null || x.counts !== null) add(`factor:${x.factorId}`, g, x.n, `factor ${x.factorId}`);
  }
  return out;
}

/**
 * Every figure about respondents in the bytes of a results CSV (resultsToCsv), parsed back from the
 * file: what a reader who only has the download sees. `filter` is the group of the view (meta.segment_filter).
 */
export function collectCsv(csv: string, release: number): Collected[] {
  const rows = parseCsv(csv, { columns: true, skip_empty_lines: true }) as Array<Record<string, string>>;
  const filter = rows.find((r) => r.section === 'meta' && r.metric === 'segment_filter')?.value || '';
  const g = filter || 'all';
  const out: Collected[] = [];
  const num = (v: string | undefined) => (v === undefined || v === '' ? null : Number(v));
  const add = (statistic: string, group: string, stated: number | null, where: string) => out.push({ statistic, group, stated, release, where: `csv ${g} ${where}` });
  for (const r of rows) {
    const metric = r.metric ?? '';
    if (metric === 'suppressed' || metric === 'hidden' || metric === '') continue;
    const value = r.value ?? '';
    const counts = metric === 'submitted' || metric === 'respondents';
    switch (r.section) {
      case 'response': {
        if (metric !== 'submitted' || value === '') break;
        if (r.dimension) add('employees', `${r.dimension}:${r.group}`, num(value), `response ${r.dimension}:${r.group}`);
        else if (r.form) add(r.form === 'employee' ? 'employees' : 'managers', g, num(value), `response ${r.form}`);
        else add(filter ? 'employees' : 'respondents', g, num(value), 'response');
        break;
      }
      case 'mechanism':
        if (metric === 'mean') add(`scale:${r.mechanism}`, g, num(r.n), `mean ${r.mechanism}`);
        else if (metric === 'alpha') add(`alpha:${r.mechanism}`, g, num(r.n), `alpha ${r.mechanism}`);
        else if (metric.startsWith('count_') || metric === 'favourable') add(`scale-answers:${r.mechanism}`, g, null, `${metric} ${r.mechanism}`);
        break;
      case 'item':
        if (metric === 'mean') add(`item:${r.item}`, g, num(r.n), `mean ${r.item}`);
        else if (metric.startsWith('count_') || metric === 'favourable') add(`item:${r.item}`, g, null, `${metric} ${r.item}`);
        break;
      case 'perspective':
        if (r.form === 'management' && metric === 'mean') add(`mgmt-scale:${r.mechanism}`, g, num(r.n), `management ${r.mechanism}`);
        else if (r.form === 'management' && metric === 'favourable') add(`mgmt-scale-answers:${r.mechanism}`, g, null, `management favourable ${r.mechanism}`);
        break;
      case 'perspective_item':
        if (r.form === 'management' && metric === 'mean') add(`mgmt-item:${r.item}`, g, num(r.n), `management item ${r.item}`);
        break;
      case 'segment': {
        const gid = `${r.dimension}:${r.group}`;
        if (counts) add('employees', gid, num(value), `segment ${gid}`);
        else if (metric === 'mean') add(`scale:${r.mechanism}`, gid, num(r.n), `segment ${gid} ${r.mechanism}`);
        else if (metric === 'favourable') add(`scale-answers:${r.mechanism}`, gid, null, `segment ${gid} favourable ${r.mechanism}`);
        break;
      }
      case 'dialogue':
        if (r.group === 'employee' && metric === 'mean_x') add(`placement:${r.frame}`, g, num(r.n), `placement ${r.frame}`);
        break;
      case 'factor':
        if (metric === 'mean') add(`factor:${r.item}`, g, num(r.n), `factor ${r.item}`);
        break;
      default:
        break;
    }
  }
  return out;
}

// --- the Excel workbook (workspace, issue 18 item 5) ---------------------------------------------

/** The figures the workbook of a served view states, read back from its cells (not from the model). */
function collectWorkbook(model: ResultModel, release: number): Collected[] {
  const wb = resultsWorkbook(model, 'en');
  const out: Collected[] = [];
  const rows = (sheet: string) => {
    const ws = wb.getWorksheet(sheet);
    const list: Array<Record<string, unknown>> = [];
    ws?.eachRow((row, i) => {
      if (i > 1) list.push(Object.fromEntries((ws.columns ?? []).map((c) => [String(c.key), row.getCell(String(c.key)).value])));
    });
    return list;
  };
  const add = (statistic: string, group: string, n: unknown, where: string) => out.push({ statistic, group, stated: typeof n === 'number' ? n : null, release, where: `xlsx ${where}` });
  for (const r of rows('Response')) {
    if (r.metric !== 'submitted' || r.value === null || r.value === undefined || r.value === '') continue; // a withheld count is an empty cell
    if (r.dimension) add('employees', `${r.dimension}:${r.group}`, r.n, 'response segment');
    else if (r.form) add(r.form === 'employee' ? 'employees' : 'managers', 'all', r.value, `response ${r.form}`);
    else add('respondents', 'all', r.value, 'response');
  }
  for (const r of rows('Mechanisms')) if (r.metric === 'mean') add(`scale:${r.mechanism}`, 'all', r.n, `mechanism ${r.mechanism}`);
  for (const r of rows('Statements')) if (r.metric === 'mean') add(`item:${r.item}`, 'all', r.n, `item ${r.item}`);
  for (const r of rows('Perspectives')) {
    if (r.form !== 'management' || r.metric !== 'mean') continue;
    add(r.section === 'perspective' ? `mgmt-scale:${r.mechanism}` : `mgmt-item:${r.item}`, 'all', r.n, `management ${r.item ?? r.mechanism}`);
  }
  for (const r of rows('Groups')) {
    if (r.metric === 'respondents') add('employees', `${r.dimension}:${r.group}`, r.n, 'group n');
    if (r.metric === 'mean') add(`scale:${r.mechanism}`, `${r.dimension}:${r.group}`, r.n, `group ${r.mechanism}`);
  }
  return out;
}

/**
 * The figures in the bytes of raw.csv: per form, how many rows (respondents) it has, and per shown
 * background value how many rows carry it; plus every combination of shown background values, which
 * must occur at least k times. A shown value that is a group of the results is the same statistic as
 * that group's count there, so the differencing attacker compares the two (rows blanked from a group
 * would be a difference); a generalised value (a coarser band) is checked by its combinations only.
 */
export function collectRawCsv(
  csv: string,
  releases: { employee: number; management: number },
  k: number,
  groupKeys: ReadonlySet<string>,
  /** Employee rows of the raw.csv read before (answers only): the rows added since are told apart by their answers. */
  before: readonly string[] = [],
): { figures: Collected[]; leaks: Leak[]; employeeAnswers: string[] } {
  const rows = parseCsv(csv, { columns: true, skip_empty_lines: true }) as Array<Record<string, string>>;
  const figures: Collected[] = [];
  const leaks: Leak[] = [];
  const employees = rows.filter((r) => r.form === 'employee');
  const managers = rows.filter((r) => r.form === 'management');
  const release = releases.employee;
  const add = (statistic: string, group: string, stated: number, where: string, r = release) => figures.push({ statistic, group, stated, release: r, where: `raw.csv ${where}` });
  if (employees.length > 0) add('employees', 'all', employees.length, 'employee rows');
  if (managers.length > 0) add('managers', 'all', managers.length, 'management rows', releases.management);
  const background = new Set<string>(['respondent', 'form', ...DIMENSIONS, 'role', 'education']);
  const answersOf = (r: Record<string, string>) => JSON.stringify(Object.entries(r).filter(([key]) => !background.has(key)));
  const employeeAnswers = employees.map(answersOf);
  // The rows added since the file read before: matched by their answers (a multiset difference).
  const left = new Map<string, number>();
  for (const a of before) left.set(a, (left.get(a) ?? 0) + 1);
  const added = employees.filter((r) => {
    const a = answersOf(r);
    const n = left.get(a) ?? 0;
    if (n > 0) {
      left.set(a, n - 1);
      return false;
    }
    return true;
  });
  if (before.length > 0 && added.length > 0) {
    if (added.length < k) leaks.push({ kind: 'difference', detail: `raw.csv release ${release}: ${added.length} rows added since the file read before` });
    const addedCombos = new Map<string, number>();
    for (const r of added) {
      const key = DIMENSIONS.map((d) => r[d] ?? '').join('|');
      addedCombos.set(key, (addedCombos.get(key) ?? 0) + 1);
    }
    for (const [combo, n] of addedCombos) if (n < k) leaks.push({ kind: 'difference', detail: `raw.csv release ${release}: background ${combo} on ${n} of the added rows` });
  }
  const combos = new Map<string, number>();
  for (const r of employees) {
    const key = DIMENSIONS.map((d) => r[d] ?? '').join('|');
    combos.set(key, (combos.get(key) ?? 0) + 1);
  }
  for (const [combo, n] of combos) if (n < k) leaks.push({ kind: 'small_figure', detail: `raw.csv release ${release}: background ${combo} occurs ${n} times` });
  for (const d of DIMENSIONS) {
    const byValue = new Map<string, number>();
    for (const r of employees) {
      const v = r[d] ?? '';
      if (v === 'hidden') continue;
      const key = v === '' ? '_not_stated' : v;
      byValue.set(key, (byValue.get(key) ?? 0) + 1);
    }
    for (const [v, n] of byValue) {
      if (n < k) leaks.push({ kind: 'small_figure', detail: `raw.csv release ${release}: ${d}=${v} on ${n} rows` });
      if (groupKeys.has(`${d}:${v}`)) add('employees', `${d}:${v}`, n, `${d}=${v}`);
    }
  }
  return { figures, leaks, employeeAnswers };
}

/**
 * What the text of a PDF report (pdftotext) states: every "n = X" must be 0 or at least k and be the n
 * of a figure the release publishes (so the PDF shows nothing the differencing attacker has not
 * checked), and no hidden department may be named.
 */
export function attackPdfText(text: string, k: number, publishedNs: ReadonlySet<number>, hiddenDepartments: readonly string[], release: number): Leak[] {
  const leaks: Leak[] = [];
  for (const m of text.matchAll(/\bn = (\d[\d.]*)/g)) {
    const n = Number(m[1]!.replace(/\./g, ''));
    // The methodology appendix gives t quantiles for example sizes ("t = 12,706 (n = 2)"): not figures.
    if (/\d,\d{3} \($/.test(text.slice(Math.max(0, m.index! - 16), m.index!))) continue;
    const at = process.env.ATTACKER_LOG ? ` [${text.slice(Math.max(0, m.index! - 80), m.index! + 12)}]` : '';
    if (n > 0 && n < k) leaks.push({ kind: 'small_figure', detail: `PDF release ${release}: n = ${n}${at}` });
    else if (!publishedNs.has(n)) leaks.push({ kind: 'wrong_n', detail: `PDF release ${release}: n = ${n} is no published figure's n${at}` });
  }
  for (const name of hiddenDepartments) {
    if (new RegExp(`\\b${name}\\b`).test(text)) leaks.push({ kind: 'small_figure', detail: `PDF release ${release} names the hidden department ${name}` });
  }
  return leaks;
}

/**
 * The department report's two key figures ("12 28 medewerkers van de afdeling medewerkers in de
 * organisatie" in pdftotext's reading order): each must be "verborgen" or a published n of at least k.
 */
export function attackDepartmentPdfCounts(text: string, k: number, publishedNs: ReadonlySet<number>, department: string): Leak[] {
  const counts = /(\S+) (\S+) medewerkers van de afdeling/.exec(text);
  if (!counts) return [{ kind: 'wrong_n', detail: `department PDF ${department}: no key figures found to check` }];
  const leaks: Leak[] = [];
  for (const c of counts.slice(1)) {
    if (c === 'verborgen') continue;
    const n = Number(c.replace(/\./g, ''));
    if (!Number.isInteger(n) || (n > 0 && n < k)) leaks.push({ kind: 'small_figure', detail: `department PDF ${department} states ${c}` });
    else if (!publishedNs.has(n)) leaks.push({ kind: 'wrong_n', detail: `department PDF ${department} states ${c}, no published n` });
  }
  return leaks;
}

// --- the attacker ---------------------------------------------------------------------------------

export interface Leak {
  kind: 'small_figure' | 'wrong_n' | 'difference' | 'partition' | 'composite';
  detail: string;
}

/**
 * Finds every figure over 1..k-1 respondents that is published or derivable by subtracting two
 * published figures (or a parent and its shown parts). `members(c)` is the ground truth.
 */
export function attack(
  collected: readonly Collected[],
  members: (statistic: string, group: string, release: number) => Set<number>,
  k: number,
  structure: { partitions: Array<{ parent: string; children: string[] }>; composites: Array<{ statistic: string; parts: string[] }> } = { partitions: [], composites: [] },
): Leak[] {
  const leaks: Leak[] = [];
  const unique = new Map<string, Collected & { m: Set<number> }>();
  for (const c of collected) {
    const m = members(c.statistic, c.group, c.release);
    // A count of 0 describes nobody; 1..k-1 is a figure about identifiable people.
    if (m.size > 0 && m.size < k) leaks.push({ kind: 'small_figure', detail: `${c.where} (${c.statistic}@${c.group}, release ${c.release}) rests on ${m.size}` });
    if (c.stated !== null && c.stated !== m.size) leaks.push({ kind: 'wrong_n', detail: `${c.where} states n ${c.stated}, truth ${m.size}` });
    unique.set(`${c.statistic}@${c.group}#${c.release}`, { ...c, m });
  }
  const list = [...unique.values()];
  for (const a of list) {
    for (const b of list) {
      if (a === b || a.statistic !== b.statistic || a.m.size > b.m.size) continue;
      if (![...a.m].every((i) => b.m.has(i))) continue;
      const d = b.m.size - a.m.size;
      if (d > 0 && d < k) leaks.push({ kind: 'difference', detail: `${b.statistic}@${b.group}#${b.release} minus ${a.group}#${a.release} = ${d} respondents` });
    }
  }
  const byRelease = new Map<number, Map<string, Set<number>>>();
  for (const c of list) {
    let r = byRelease.get(c.release);
    if (!r) byRelease.set(c.release, (r = new Map()));
    r.set(`${c.statistic}@${c.group}`, c.m);
  }
  for (const [release, shown] of byRelease) {
    const statistics = new Set([...shown.keys()].map((key) => key.slice(0, key.lastIndexOf('@'))));
    for (const p of structure.partitions) {
      for (const s of statistics) {
        const parent = shown.get(`${s}@${p.parent}`);
        if (!parent) continue;
        const rest = new Set(parent);
        for (const c of p.children) for (const i of shown.get(`${s}@${c}`) ?? []) rest.delete(i);
        if (rest.size > 0 && rest.size < k) leaks.push({ kind: 'partition', detail: `${s}@${p.parent} minus shown groups of ${p.children[0]?.split(':')[0]} = ${rest.size} (release ${release})` });
      }
    }
    for (const c of structure.composites) {
      const groups = new Set([...shown.keys()].filter((key) => key.startsWith(`${c.statistic}@`)).map((key) => key.slice(c.statistic.length + 1)));
      for (const g of groups) {
        const hidden = new Set<number>();
        for (const part of c.parts) if (!shown.has(`${part}@${g}`)) for (const i of members(part, g, release)) hidden.add(i);
        if (hidden.size > 0 && hidden.size < k) leaks.push({ kind: 'composite', detail: `${c.statistic}@${g} minus its shown parts = ${hidden.size} respondents (release ${release})` });
      }
    }
  }
  return leaks;
}

// --- the attacker is tested -----------------------------------------------------------------------

describe('the attacker catches planted leaks', () => {
  const set = (from: number, to: number) => new Set(Array.from({ length: to - from }, (_, i) => from + i));
  const c = (statistic: string, group: string, stated: number | null, release = 1): Collected => ({ statistic, group, stated, release, where: 'planted' });

  it('a figure over 2 people', () => {
    const leaks = attack([c('scale:x', 'all', 2)], () => set(0, 2), 5);
    expect(leaks.map((l) => l.kind)).toContain('small_figure');
  });

  it('a parent minus a child of 3', () => {
    const truthOf = (_: string, group: string) => (group === 'all' ? set(0, 10) : set(0, 7));
    const leaks = attack([c('scale:x', 'all', 10), c('scale:x', 'department:A', 7)], truthOf, 5);
    expect(leaks).toEqual([expect.objectContaining({ kind: 'difference', detail: expect.stringContaining('= 3 respondents') })]);
  });

  it('a release difference of 1', () => {
    const truthOf = (_: string, __: string, release: number) => (release === 1 ? set(0, 8) : set(0, 9));
    const leaks = attack([c('item:x', 'all', 8, 1), c('item:x', 'all', 9, 2)], truthOf, 5);
    expect(leaks).toEqual([expect.objectContaining({ kind: 'difference', detail: expect.stringContaining('= 1 respondents') })]);
  });

  it('a stated n that is not the true n, a partition remainder and a composite remainder', () => {
    const truthOf = (s: string, group: string) => (s === 'item:b' ? set(0, 2) : group === 'all' ? set(0, 14) : group === 'd:A' ? set(0, 6) : set(6, 11));
    const leaks = attack(
      [c('scale:x', 'all', 13), c('scale:x', 'd:A', 6), c('scale:x', 'd:B', 5), c('answers', 'all', null), c('item:a', 'all', null)],
      truthOf,
      5,
      { partitions: [{ parent: 'all', children: ['d:A', 'd:B', 'd:C'] }], composites: [{ statistic: 'answers', parts: ['item:a', 'item:b'] }] },
    );
    expect(leaks.map((l) => l.kind)).toEqual(expect.arrayContaining(['wrong_n', 'partition', 'composite']));
  });

  it('reads figures out of the CSV bytes: a mean over 2 people in results.csv, a row of 1 in raw.csv', () => {
    const header = 'section,mechanism,item,dimension,group,form,frame,metric,value,n,label,benchmark_kind,benchmark,benchmark_value,delta,source,year,population';
    const csv = `${header}\nmeta,,,,,,,segment_filter,,,,,,,,,,\nmechanism,work_content,,,,employee,,mean,3.5,2,Werk,,,,,,,\nsegment,,,department,Zorg,employee,,respondents,7,7,Zorg,,,,,,,\n`;
    const got = collectCsv(csv, 1);
    expect(got.map((x) => `${x.statistic}@${x.group}:${x.stated}`)).toEqual(['scale:work_content@all:2', 'employees@department:Zorg:7']);
    const truthOf = (s: string) => (s === 'scale:work_content' ? set(0, 2) : set(0, 7));
    expect(attack(got, truthOf, 5).map((l) => l.kind)).toEqual(['small_figure']);
    const raw = 'respondent,form,department,role,education,contract,age_band\n' + Array.from({ length: 6 }, (_, i) => `${i + 1},employee,${i === 0 ? 'ICT' : 'Zorg'},,,,`).join('\n');
    const r = collectRawCsv(raw, { employee: 1, management: 1 }, 5, new Set(['department:Zorg']));
    expect(r.leaks.map((l) => l.detail)).toEqual(expect.arrayContaining([expect.stringContaining('department=ICT on 1 rows')]));
    // Zorg: 5 rows in raw.csv while the results say 6 Zorg respondents: the attacker sees the difference.
    const truthZorg = (_: string, group: string) => (group === 'all' ? set(0, 6) : set(0, 6));
    expect(attack(r.figures, truthZorg, 5).map((l) => l.kind)).toContain('wrong_n');
  });

  it('reads the PDF text: an n under k, an n no published figure has, a hidden department named', () => {
    const text = 'Werkinhoud 3,5 BI 3,1-3,9 · n = 3 ... Leiding n = 12 ... Afdeling ICT';
    const leaks = attackPdfText(text, 5, new Set([7]), ['ICT', 'Staf'], 1);
    expect(leaks.map((l) => l.detail)).toEqual(['PDF release 1: n = 3', "PDF release 1: n = 12 is no published figure's n", 'PDF release 1 names the hidden department ICT']);
    expect(attackPdfText('n = 7, Zorg', 5, new Set([7]), ['Staf'], 1)).toEqual([]);
  });

  it('reads the department PDF key figures: an n under k, an n no published figure has, a missing pair', () => {
    expect(attackDepartmentPdfCounts('3 28 medewerkers van de afdeling medewerkers in de organisatie', 5, new Set([3, 28]), 'A').map((l) => l.kind)).toEqual(['small_figure']);
    expect(attackDepartmentPdfCounts('9 28 medewerkers van de afdeling', 5, new Set([28]), 'A').map((l) => l.kind)).toEqual(['wrong_n']);
    expect(attackDepartmentPdfCounts('Afdeling A', 5, new Set([28]), 'A')).toHaveLength(1);
    expect(attackDepartmentPdfCounts('9 verborgen medewerkers van de afdeling', 5, new Set([9]), 'A')).toEqual([]);
  });

  it('finds nothing in figures that keep the rules', () => {
    const truthOf = (_: string, group: string) => (group === 'all' ? set(0, 12) : set(0, 7));
    expect(attack([c('scale:x', 'all', 12), c('scale:x', 'd:A', 7)], truthOf, 5)).toEqual([]);
  });
});

// --- random rounds against the real server --------------------------------------------------------

const K = 5;
const MECHANISMS = ['work_content', 'leadership'] as const;
const DIMENSIONS: SegmentDimension[] = ['department', 'age_band', 'contract'];
const AGE = ['under_25', '25_34', '35_44'];
const CONTRACT = ['permanent', 'flexible'];

const MGMT_ROLES = ['hr', 'line_manager', 'director'] as const;

/**
 * The role groups of the management form, as the extras of the release state them (issue 17): each
 * shown role's count and its mechanism means with their n. The same statistics as the unfiltered
 * model's management figures, so the attacker subtracts a role from all managers.
 */
function collectRoles(extras: ReturnType<typeof servedExtras>, release: number): Collected[] {
  const out: Collected[] = [];
  for (const g of extras.roles.groups) {
    if (g.hidden || g.n === null) continue;
    out.push({ statistic: 'managers', group: g.group, stated: g.n, release, where: `extras role ${g.group}` });
    for (const m of g.mechanisms) if (m.mean !== null) out.push({ statistic: `mgmt-scale:${m.mechanismId}`, group: g.group, stated: m.n, release, where: `extras role ${g.group} ${m.mechanismId}` });
  }
  return out;
}

function personArb(departments: string[], itemIds: string[], factorIds: string[]): fc.Arbitrary<Person> {
  const optional = <T,>(arb: fc.Arbitrary<T>) => fc.option(arb, { freq: 4 });
  return fc.record({
    form: fc.constantFrom<'employee' | 'management'>('employee', 'employee', 'employee', 'employee', 'management'),
    department: optional(fc.constantFrom(...departments)),
    age: optional(fc.constantFrom(...AGE)),
    contract: optional(fc.constantFrom(...CONTRACT)),
    role: optional(fc.constantFrom(...MGMT_ROLES)),
    // Per item: 0 skipped, 1 don't know, 2..6 answer 1..5; skipped often, so scales lose respondents.
    answers: fc.array(fc.constantFrom(0, 0, 1, 2, 3, 4, 5, 6, 6, 5, 4), { minLength: itemIds.length, maxLength: itemIds.length }),
    frames: fc.subarray(['current', 'desired'] as const),
    factors: fc.array(fc.constantFrom<number | null | undefined>(undefined, null, null, -2, -1, 0, 1, 2), { minLength: factorIds.length, maxLength: factorIds.length }),
  }).map((r) => {
    const answers: Record<string, number> = {};
    const dontKnow: string[] = [];
    r.answers.forEach((a, i) => {
      if (a === 1) dontKnow.push(itemIds[i]!);
      else if (a >= 2) answers[itemIds[i]!] = a - 1;
    });
    const factors: Record<string, number | null> = {};
    r.factors.forEach((v, i) => {
      if (v !== undefined) factors[factorIds[i]!] = v;
    });
    const background: Person['background'] = {};
    if (r.form === 'employee') {
      if (r.department) background.department = r.department;
      if (r.age) background.age_band = r.age;
      if (r.contract) background.contract = r.contract;
    } else if (r.role) background.role = r.role;
    return { form: r.form, background, answers, dontKnow, frames: r.form === 'employee' ? [...r.frames] : [], factors: r.form === 'employee' ? factors : {} };
  });
}

/** Two departments of seven employees who answered every statement: both departments are published. */
function fixedTwoDepartmentRound(itemIds: readonly string[]): { departments: string[]; batches: Person[][] } {
  const departments = ['Zorg-Noord', 'Techniek-Zuid'];
  const people: Person[] = [];
  for (let i = 0; i < 14; i++) {
    const answers: Record<string, number> = {};
    itemIds.forEach((id, j) => (answers[id] = 1 + ((i + j) % 5)));
    people.push({ form: 'employee', background: { department: departments[i % 2]! }, answers, dontKnow: [], frames: [], factors: {} });
  }
  return { departments, batches: [people] };
}

let t: TestApp;
let organisationId: string;
const reports = new ReportPool({ workers: 0, queueLimit: 4 });
let pdfsRead = 0;
let departmentPdfsRead = 0;

beforeAll(async () => {
  t = await setupTestApp();
  organisationId = (await createTenant(t.db)).organisationId;
});

afterAll(async () => {
  await reports.close();
  await t?.close();
});

describe('a differencing attacker against random rounds', () => {
  const scan = getCultureScan('culture-scan@1')!;
  const itemIds = scan.scales.filter((s) => (MECHANISMS as readonly string[]).includes(s.mechanism)).flatMap((s) => s.items.map((i) => i.id));
  const factorIds = getFactors()!.groups.flatMap((g) => g.factors.map((f) => f.id)).slice(0, 4);

  it('finds no figure of a management role group under k, nor one derivable from all managers (issue 17 extras)', async () => {
    const scenarios: Array<{ roles: Record<string, number>; shown: number }> = [
      // 6 + 7 + 1: the director is hidden, and one more must go, or all managers minus HR and line managers is the director.
      { roles: { hr: 6, line_manager: 7, director: 1 }, shown: 1 },
      { roles: { hr: 6, line_manager: 7, director: 5 }, shown: 3 },
    ];
    for (const sc of scenarios) {
      const round = await t.db
        .insertInto('rounds')
        .values({ organisation_id: organisationId, name: 'Rollen', instrument_id: 'culture-scan@1', modules: ['culture_scan'], languages: ['nl'], departments: [], anonymity_threshold: K, employee_placements: false, status: 'open', opened_at: new Date('2026-03-01T00:00:00Z') })
        .returning('id')
        .executeTakeFirstOrThrow();
      const people: Person[] = [];
      const answers = Object.fromEntries(itemIds.map((id, i) => [id, 1 + (i % 5)]));
      for (let i = 0; i < 6; i++) people.push({ form: 'employee', background: {}, answers, dontKnow: [], frames: [], factors: {} });
      for (const [role, n] of Object.entries(sc.roles)) for (let i = 0; i < n; i++) people.push({ form: 'management', background: { role }, answers, dontKnow: [], frames: [], factors: {} });
      for (const p of people) await t.db.transaction().execute((tx) => insertSubmittedResponse(tx, round.id, { form: p.form, answers: p.answers, background: p.background }));
      await t.db.transaction().execute((tx) => closeRound(tx, round.id, t.app.roundHooks.roundClosed));
      const main = await buildResultModel(t.db, round.id);
      const extras = await ensureResultExtras(t.db, round.id);
      expect(extras).toBeDefined();
      const roles = collectRoles(servedExtras(extras!), 1);
      const collected = [...collect(main, 1), ...roles];
      const partitions = [{ parent: 'all', children: ['_not_stated', ...MGMT_ROLES].map((r) => `mgmt-role:${r}`) }];
      const leaks = attack(collected, (statistic, group) => truth(people, statistic, group), K, { partitions, composites: [] });
      expect(leaks, JSON.stringify(leaks.slice(0, 5))).toEqual([]);
      // The role groups the rules leave shown are read (so the check has something to test).
      expect(new Set(roles.filter((r) => r.statistic === 'managers').map((r) => r.group)).size, JSON.stringify(sc.roles)).toBe(sc.shown);
    }
  });

  it('finds no figure over 1..k-1 respondents in any output, filter or release', async () => {
    const roundArb = fc
      .record({ departments: fc.uniqueArray(fc.constantFrom('Zorg-Noord', 'Techniek-Zuid', 'Staf', 'ICT'), { minLength: 1, maxLength: 3 }) })
      .chain(({ departments }) =>
        fc.record({
          departments: fc.constant(departments),
          // A first close and up to two reopen cycles, each adding a batch.
          batches: fc
            .tuple(
              fc.array(personArb(departments, itemIds, factorIds), { minLength: 4, maxLength: 22 }),
              fc.array(fc.array(personArb(departments, itemIds, factorIds), { minLength: 0, maxLength: 9 }), { maxLength: 2 }),
            )
            .map(([first, later]) => [first, ...later]),
        }),
      );
    await fc.assert(
      fc.asyncProperty(roundArb, async ({ departments, batches }) => {
        const round = await t.db
          .insertInto('rounds')
          .values({
            organisation_id: organisationId,
            name: 'Aanval',
            instrument_id: 'culture-scan@1',
            modules: ['culture_scan', 'dialogue_model', 'factors'],
            languages: ['nl'],
            departments,
            anonymity_threshold: K,
            employee_placements: true,
            status: 'open',
            opened_at: new Date('2026-03-01T00:00:00Z'),
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        const people: Person[] = [];
        const collected: Collected[] = [];
        const rawLeaks: Leak[] = [];
        const pdfLeaks: Leak[] = [];
        const rawChain = new Map<number, { employee: number; management: number }>();
        let rawBefore: string[] = [];
        /** For each release seen: how many people it rests on (the attacker notes when it first saw it). */
        const releaseSize = new Map<number, number>();
        const releaseOf = new Map<string, number>();
        for (let b = 0; b < batches.length; b++) {
          if (b > 0) await t.db.transaction().execute((tx) => reopenRound(tx, round.id));
          for (const p of batches[b]!) {
            await t.db.transaction().execute((tx) =>
              insertSubmittedResponse(tx, round.id, {
                form: p.form,
                answers: { ...p.answers, ...Object.fromEntries(p.dontKnow.map((i) => [i, null])) },
                background: p.background,
                ...(p.form === 'employee' ? { factors: p.factors } : {}),
                ...(p.form === 'employee' && p.frames.length > 0
                  ? { placements: Object.fromEntries(p.frames.map((f, i) => [f, { x: 10 * i - 20, y: 15 - 5 * i }])) }
                  : {}),
              }),
            );
            people.push(p);
          }
          await t.db.transaction().execute((tx) => closeRound(tx, round.id, t.app.roundHooks.roundClosed));
          const main = await buildResultModel(t.db, round.id);
          // The release served: a new one, or the previous one kept (fewer than k added).
          let release = releaseOf.get(main.meta.generatedAt);
          if (release === undefined) {
            release = releaseOf.size + 1;
            releaseOf.set(main.meta.generatedAt, release);
            releaseSize.set(release, people.length);
          }
          collected.push(...collect(main, release), ...collectCsv(resultsToCsv(main), release));
          collected.push(...collectWorkbook(main, release));
          const extras = await ensureResultExtras(t.db, round.id);
          if (extras) collected.push(...collectRoles(servedExtras(extras), release));
          // raw.csv: its bytes, parsed (a round under k gets 403 below_threshold and no file).
          const groupKeys = new Set(DIMENSIONS.flatMap((d) => [...(d === 'department' ? departments : d === 'age_band' ? AGE : CONTRACT), '_not_stated'].map((v) => `${d}:${v}`)));
          // The rows of a form follow a new release only when it adds k of that form to every earlier
          // release (as the server's rule says; the ground truth of which people a file rests on
          // follows the same chain; people are only added here, so a release's people of a form are
          // those of every earlier one and more).
          if (!rawChain.has(release)) {
            const sizeOf = (r: number, form: string) => people.slice(0, releaseSize.get(r)!).filter((p) => p.form === form).length;
            const prev = rawChain.get(release - 1);
            const stays = (form: string) => Array.from({ length: release - 1 }, (_, i) => i + 1).some((e) => sizeOf(release, form) - sizeOf(e, form) < K);
            rawChain.set(release, {
              employee: prev && stays('employee') ? prev.employee : release,
              management: prev && stays('management') ? prev.management : release,
            });
          }
          try {
            const raw = collectRawCsv(await rawAnswersCsv(t.db, round.id), rawChain.get(release)!, K, groupKeys, rawBefore);
            collected.push(...raw.figures);
            rawLeaks.push(...raw.leaks);
            rawBefore = raw.employeeAnswers;
          } catch (e) {
            expect((e as { status?: number }).status, String(e)).toBe(403);
          }
          for (const dim of DIMENSIONS) {
            const keys = new Set([...(dim === 'department' ? departments : dim === 'age_band' ? AGE : CONTRACT), '_not_stated']);
            for (const key of keys) {
              try {
                const view = await buildResultModel(t.db, round.id, { segment: { dimension: dim, value: key } });
                collected.push(...collect(view, release), ...collectCsv(resultsToCsv(view), release));
              } catch (e) {
                expect((e as { status?: number }).status, String(e)).toBe(403);
              }
            }
          }
        }
        // The client report PDF of the release served last, read back as text (one per round: rendering is slow).
        const lastRelease = releaseOf.get((await buildResultModel(t.db, round.id)).meta.generatedAt)!;
        const latest = await buildResultModel(t.db, round.id);
        if (latest.response.perForm.some((f) => f.form === 'employee' && f.submitted !== null)) {
          const { fileName: _f, ...input } = await loadReportInput(t.db, round.id, 'client', 'nl');
          let pdf: Buffer;
          try {
            pdf = await reports.render(input);
          } catch (e) {
            // Name the table pdfmake could not lay out, so the failure says what to fix.
            const { buildReport } = await import('../../report-templates/index.js');
            const doc = buildReport('client', input.model, { lang: 'nl', branding: { name: 'x', accent: '#000000', logo: null } as never, renderChart: () => '<svg xmlns="http://www.w3.org/2000/svg"/>' });
            const bad: string[] = [];
            const walk = (node: unknown, path: string) => {
              if (!node || typeof node !== 'object') return;
              const o = node as Record<string, unknown>;
              if (o.table && typeof o.table === 'object') {
                const body = (o.table as { body?: unknown[][] }).body;
                if (!Array.isArray(body) || body.length === 0 || body.some((r) => !Array.isArray(r))) bad.push(`${path}: ${JSON.stringify(o.table).slice(0, 400)}`);
              }
              for (const [key, v] of Object.entries(o)) walk(v, `${path}.${key}`);
            };
            walk(doc.content, 'content');
            throw new Error(`client PDF failed (${String(e)}); tables: ${bad.join(' | ')}`, { cause: e });
          }
          const text = squash(pdfText(pdf));
          const ns = new Set(collected.filter((c) => c.release === lastRelease && c.stated !== null).map((c) => c.stated!));
          const hidden = latest.segments.find((d) => d.dimension === 'department')?.groups.filter((g) => g.hidden && g.key !== '_not_stated').map((g) => g.label.nl) ?? []; // "niet ingevuld" is also ordinary text
          pdfLeaks.push(...attackPdfText(text, K, ns, hidden, lastRelease));
          pdfsRead++;
          // Department reports (issue 18): a department under k or hidden by complement is not
          // obtainable (the same 404 as an unknown one) and is not in the batch's list; a visible one's
          // report reads only published views, and its PDF names no hidden department and states no n
          // that is not a published figure's.
          const reportable = new Set((await loadVisibleDepartments(t.db, round.id)).map((d) => d.key));
          const shownDepartments = new Set(latest.segments.find((d) => d.dimension === 'department')?.groups.filter((g) => !g.hidden).map((g) => g.key) ?? []);
          for (const dep of [...departments, 'Nergens-Qx']) {
            if (!reportable.has(dep)) {
              expect(shownDepartments.has(dep), `${dep} is shown but not reportable`).toBe(false);
              await expect(loadDepartmentInput(t.db, round.id, dep, 'nl'), dep).rejects.toMatchObject({ status: 404, code: 'not_found' });
              continue;
            }
            expect(shownDepartments.has(dep)).toBe(true);
            const { fileName: _d, ...dInput } = await loadDepartmentInput(t.db, round.id, dep, 'nl');
            collected.push(...collect(dInput.department, lastRelease).map((c) => ({ ...c, where: `department report ${c.where}` })), ...collect(dInput.model, lastRelease));
            const dText = squash(pdfText(await reports.render(dInput)));
            pdfLeaks.push(...attackPdfText(dText, K, ns, hidden, lastRelease));
            pdfLeaks.push(...attackDepartmentPdfCounts(dText, K, ns, dep));
            departmentPdfsRead++;
          }
        }
        const members = (statistic: string, group: string, release: number) => truth(people.slice(0, releaseSize.get(release)!), statistic, group);
        const partitions = DIMENSIONS.map((dim) => {
          const keys = new Set<string>(['_not_stated', ...(dim === 'department' ? departments : dim === 'age_band' ? AGE : CONTRACT)]);
          return { parent: 'all', children: [...keys].map((key) => `${dim}:${key}`) };
        });
        partitions.push({ parent: 'all', children: ['_not_stated', ...MGMT_ROLES].map((r) => `mgmt-role:${r}`) });
        const composites = scan.scales
          .filter((s) => (MECHANISMS as readonly string[]).includes(s.mechanism))
          .map((s) => ({ statistic: `scale-answers:${s.mechanism}`, parts: s.items.map((i) => `item:${i.id}`) }));
        const leaks = attack(collected, members, K, { partitions, composites });
        if (process.env.ATTACKER_LOG) console.log(`attacker: ${people.length} people, ${releaseOf.size} releases, ${collected.length} figures read`);
        expect(leaks, JSON.stringify(leaks.slice(0, 5))).toEqual([]);
        expect(rawLeaks, JSON.stringify(rawLeaks.slice(0, 5))).toEqual([]);
        expect(pdfLeaks, JSON.stringify(pdfLeaks.slice(0, 5))).toEqual([]);
        // Not vacuous: the rounds publish figures whenever they have k employees.
        // (Checked on the first release: a later one may rightly withhold even its employee count when it
        // differs from the first by 1..k-1 employees.)
        const firstRelease = people.slice(0, releaseSize.get(1)!);
        if (firstRelease.filter((p) => p.form === 'employee').length >= K) {
          expect(collected.some((c) => c.statistic === 'employees' && c.group === 'all' && c.release === 1)).toBe(true);
          expect(collected.some((c) => c.where.startsWith('xlsx') && c.statistic === 'employees' && c.group === 'all' && c.release === 1)).toBe(true);
          // ... and the CSV bytes were read too (results.csv and raw.csv).
          expect(collected.some((c) => c.release === 1 && c.where === 'csv all response employee')).toBe(true);
          expect(collected.some((c) => c.release === 1 && c.where === 'raw.csv employee rows')).toBe(true);
        }
      }),
      {
        numRuns: Number(process.env.ATTACKER_RUNS ?? 8),
        endOnFailure: true,
        ...(process.env.ATTACKER_SEED ? { seed: Number(process.env.ATTACKER_SEED) } : {}),
        // Random rounds of 4..22 people often publish no department at all; this fixed round (seven
        // complete employees in each of two departments) always does, so the department reports are
        // attacked in every run.
        examples: [[fixedTwoDepartmentRound(itemIds)]],
      },
    );
    // Not vacuous: PDFs were rendered and read.
    expect(pdfsRead).toBeGreaterThan(0);
    expect(departmentPdfsRead).toBeGreaterThan(0);
  }, 300_000);
});


