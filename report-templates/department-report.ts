// The department report: two to four pages for a department's manager and the team conversation. The
// department against the organisation as a whole per mechanism and, where the release publishes item
// figures for the department, the statements where it differs most; a few conversation questions and
// the organisation's own priorities as context. Pure: (organisation view, department view, options)
// -> pdfmake document definition. Both views are the round's published release (the department view
// is its `department:<key>` segment view): nothing here computes a figure about a group the release
// does not publish. Differences are judged with scans/differences.ts (part against its whole).
import type { Content, TableCell, TDocumentDefinitions } from 'pdfmake/interfaces.js';
import { comparePartWithWhole, type Difference, type DifferenceVerdict } from '../scans/differences.js';
import { NOT_STATED_KEY, type Localized, type ResultModel, type Score } from '../scans/result-model.js';
import type { Language } from '../scans/types.js';
import { differenceColor } from './client-report.js';
import { callout, dataTable, documentShell, frameFor, h2, keyFigures, num, paragraph, td, th, titleBlock, type Frame, type ReportOptions } from './components.js';
import { fmtCi, fmtCount, fmtScore, fmtScoreDelta } from './format.js';
import { SIZE } from './theme.js';

// --- the comparison (also used by the dashboard's department page) ---------------------------------

export interface VisibleDepartment {
  key: string;
  label: Localized;
}

/**
 * The departments a reader may get a report of: the department groups the published organisation view
 * shows (not hidden by the k threshold or complementary suppression). "Not stated" is no department.
 */
export function visibleDepartments(org: ResultModel): VisibleDepartment[] {
  const dim = org.segments.find((d) => d.dimension === 'department');
  if (!dim) return [];
  return dim.groups.filter((g) => !g.hidden && g.key !== NOT_STATED_KEY).map((g) => ({ key: g.key, label: g.label }));
}

export interface DepartmentMechanismRow {
  mechanismId: string;
  name: Localized;
  /** The department's published score, or null when the release withholds it. */
  department: Score | null;
  organisation: Score | null;
  /** Department minus organisation, judged as a part against its whole; null without both scores. */
  difference: Difference | null;
}

export interface DepartmentItemRow {
  itemId: string;
  mechanismId: string;
  mechanismName: Localized;
  text: Localized;
  /** Negatively worded: the score is turned around (5 is still the favourable end). */
  reverse: boolean;
  department: Score;
  organisation: Score;
  difference: Difference;
}

export interface DepartmentComparison {
  key: string;
  label: Localized;
  /** Employees of the department in the release (null when withheld). */
  respondents: number | null;
  /** Employees of the organisation (null when withheld). */
  organisationRespondents: number | null;
  threshold: number;
  mechanisms: DepartmentMechanismRow[];
  /** Whether the department view publishes any item figure at all. */
  itemsAvailable: boolean;
  /** The statements where the department differs most: clear differences first, then by size. */
  items: DepartmentItemRow[];
}

const ORDER = { higher: 0, lower: 0, no_difference: 1, too_small: 2 } as const;

/** The comparison of a department's published view with the organisation's published view. */
export function departmentComparison(org: ResultModel, dept: ResultModel, opts: { maxItems?: number } = {}): DepartmentComparison {
  const f = dept.meta.segmentFilter;
  if (!f || f.dimension !== 'department' || org.meta.segmentFilter !== null || org.meta.round.id !== dept.meta.round.id) {
    throw new RangeError('departmentComparison needs the unfiltered view and a department view of the same round');
  }
  const orgMech = new Map(org.mechanisms.map((m) => [m.mechanismId, m]));
  const mechanisms: DepartmentMechanismRow[] = dept.mechanisms.map((m) => {
    const o = orgMech.get(m.mechanismId);
    const department = m.suppressed ? null : m.score;
    const organisation = o && !o.suppressed ? o.score : null;
    return { mechanismId: m.mechanismId, name: m.name, department, organisation, difference: department && organisation ? comparePartWithWhole(department, organisation) : null };
  });
  const items: DepartmentItemRow[] = [];
  let itemsAvailable = false;
  for (const m of dept.mechanisms) {
    const o = orgMech.get(m.mechanismId);
    for (const it of m.items) {
      if (it.suppressed || !it.score) continue;
      itemsAvailable = true;
      const oi = o?.items.find((x) => x.itemId === it.itemId);
      if (!oi || oi.suppressed || !oi.score) continue;
      items.push({ itemId: it.itemId, mechanismId: m.mechanismId, mechanismName: m.name, text: it.text, reverse: it.reverse, department: it.score, organisation: oi.score, difference: comparePartWithWhole(it.score, oi.score) });
    }
  }
  items.sort((a, b) => ORDER[a.difference.verdict] - ORDER[b.difference.verdict] || Math.abs(b.difference.delta) - Math.abs(a.difference.delta) || a.itemId.localeCompare(b.itemId));
  const employees = org.response.perForm.find((x) => x.form === 'employee')?.submitted ?? null;
  return {
    key: f.value,
    label: f.label,
    respondents: dept.response.submitted,
    organisationRespondents: employees,
    threshold: org.meta.threshold,
    mechanisms,
    itemsAvailable,
    items: items.slice(0, opts.maxItems ?? 6),
  };
}

// --- texts ------------------------------------------------------------------------------------------

const TEXT = {
  nl: {
    kicker: 'AFDELINGSRAPPORT',
    title: (d: string) => `Afdeling ${d}`,
    pageLead: 'Deze pagina zet de uitkomsten van uw afdeling naast die van de organisatie als geheel. Het is bedoeld als start van een gesprek met het team: wat herkennen jullie, wat verrast, en wat willen jullie samen oppakken? De cijfers zijn gemiddelden op een schaal van 1 tot 5; 5 is steeds de gunstige kant.',
    lead: 'Dit rapport zet de uitkomsten van uw afdeling naast die van de organisatie als geheel. Het is bedoeld als start van een gesprek met het team: wat herkennen jullie, wat verrast, en wat willen jullie samen oppakken? De cijfers zijn gemiddelden op een schaal van 1 tot 5; 5 is steeds de gunstige kant.',
    respondents: 'medewerkers van de afdeling',
    orgRespondents: 'medewerkers in de organisatie',
    hidden: 'verborgen',
    mechanisms: 'De afdeling naast de organisatie',
    mechanismsLead: 'Per mechanisme het gemiddelde van de afdeling en van de hele organisatie (de afdeling telt daarin mee), met het verschil en wat dat verschil betekent.',
    colMechanism: 'Mechanisme',
    colDept: 'Afdeling',
    colOrg: 'Organisatie',
    colDiff: 'Verschil',
    colMeaning: 'Betekenis',
    colPicture: 'Beeld (1–5)',
    noFigure: 'geen cijfer',
    noFigureWords: 'Geen cijfer: te weinig antwoorden om het te tonen zonder dat iemand herkenbaar wordt.',
    pictureLegend: 'In het beeld: de stip is de afdeling met haar 95%-interval, het streepje de organisatie.',
    items: 'Stellingen met het grootste verschil',
    itemsLead: 'De stellingen waarop de afdeling het meest afwijkt van de organisatie. Eerst de verschillen die groter zijn dan de onzekerheid, daarna de rest op grootte; ook die laatste kunnen toeval zijn.',
    itemsNone: 'Voor deze afdeling worden geen cijfers per stelling getoond: daarvoor antwoordden te weinig mensen per stelling. Het gesprek kan zich richten op de mechanismen hierboven.',
    reversed: 'negatief geformuleerd: de score is omgedraaid, een hoge score is ook hier gunstig',
    itemsNoneOther: 'Er zijn geen stellingen waarop zowel de afdeling als de organisatie een getoond cijfer heeft.',
    colStatement: 'Stelling',
    summaryClear: (n: number) => (n === 1 ? 'Op één mechanisme wijkt de afdeling duidelijk af van de organisatie.' : `Op ${n} mechanismen wijkt de afdeling duidelijk af van de organisatie.`),
    summaryNone: 'Op geen enkel mechanisme wijkt de afdeling duidelijk af van de organisatie: de verschillen vallen binnen de onzekerheid. Dat is ook een uitkomst: de afdeling lijkt op de rest.',
    summarySmall: 'Bij een deel van de mechanismen is de afdeling te klein om te zeggen of een verschil iets betekent; lees die verschillen als een vraag, niet als een bevinding.',
    questions: 'Vragen voor het teamgesprek',
    questionsLead: 'Een paar vragen om het gesprek te openen. Gebruik ze vrij; het gaat om de verhalen achter de cijfers, niet om de cijfers zelf.',
    q: {
      recognise: 'Als jullie deze uitkomsten naast je eigen werkweek leggen: wat klopt, en wat niet?',
      lowest: (m: string) => `"${m}" scoort in onze afdeling het laagst. Kun je een moment noemen waarop je dat merkte, en wat had toen geholpen?`,
      clearLower: (m: string) => `Bij "${m}" zitten we duidelijk onder de organisatie. Wat is er bij ons anders dan elders, en ligt dat binnen onze invloed?`,
      clearHigher: (m: string) => `Bij "${m}" doen we het duidelijk beter dan de organisatie. Wat doen we hier dat we willen vasthouden of kunnen delen?`,
      learnedLast: 'Wat heb je de afgelopen maand in je werk geleerd, en van wie of waardoor?',
      oneStep: 'Welke ene afspraak maken we, die we over drie maanden samen kunnen terugzien?',
    },
    context: 'Wat de organisatie als geheel oppakt',
    contextLead: 'De prioriteiten hieronder gelden voor de hele organisatie, niet speciaal voor deze afdeling. Ze helpen om de afspraken van het team aan te laten sluiten op wat HR en de directie oppakken.',
    noPriorities: 'Voor de organisatie als geheel zijn geen prioriteiten vastgesteld.',
    method: 'Hoe de verschillen zijn bepaald',
    methodText:
      'De afdeling is een deel van de organisatie: haar medewerkers tellen mee in het cijfer van de organisatie. Daarom vergelijken we de afdeling met de rest van de organisatie (Welch, 95%-interval van het verschil) en schalen dat interval naar het verschil met het geheel. Een verschil heet alleen duidelijk hoger of lager als het interval nul uitsluit. Valt nul erbinnen en is het interval smal, dan is er geen duidelijk verschil; is het breed, dan is de groep te klein om te zeggen of het verschil iets betekent. Alleen duidelijke verschillen zijn groen of rood gekleurd.',
    anonymity: (k: number) =>
      `Anonimiteit: cijfers worden alleen getoond over groepen van minstens ${k} mensen, en niet als ze door aftrekken van andere getoonde cijfers over minder mensen zouden gaan. Daarom kan een mechanisme of stelling hier zonder cijfer staan. Andere afdelingen staan niet in dit rapport.`,
    footer: (d: string) => `Afdelingsrapport ${d}`,
    verdict: { higher: 'Duidelijk hoger', lower: 'Duidelijk lager', no_difference: 'Geen duidelijk verschil', too_small: 'Te kleine groep om te duiden' } satisfies Record<DifferenceVerdict, string>,
  },
  en: {
    kicker: 'DEPARTMENT REPORT',
    title: (d: string) => `Department ${d}`,
    pageLead: "This page sets your department's results beside those of the organisation as a whole. It is meant to start a conversation with the team: what do you recognise, what surprises you, and what do you want to take up together? The figures are means on a scale of 1 to 5; 5 is always the favourable end.",
    lead: "This report sets your department's results beside those of the organisation as a whole. It is meant to start a conversation with the team: what do you recognise, what surprises you, and what do you want to take up together? The figures are means on a scale of 1 to 5; 5 is always the favourable end.",
    respondents: 'employees of the department',
    orgRespondents: 'employees in the organisation',
    hidden: 'hidden',
    mechanisms: 'The department beside the organisation',
    mechanismsLead: 'Per mechanism the mean of the department and of the whole organisation (the department is part of it), with the difference and what that difference means.',
    colMechanism: 'Mechanism',
    colDept: 'Department',
    colOrg: 'Organisation',
    colDiff: 'Difference',
    colMeaning: 'Meaning',
    colPicture: 'Picture (1–5)',
    noFigure: 'no figure',
    noFigureWords: 'No figure: too few answers to show it without someone becoming recognisable.',
    pictureLegend: 'In the picture: the dot is the department with its 95% interval, the tick the organisation.',
    items: 'Statements with the largest difference',
    itemsLead: 'The statements on which the department differs most from the organisation. First the differences larger than their uncertainty, then the rest by size; those may be chance.',
    itemsNone: 'No figures per statement are shown for this department: too few people answered per statement. The conversation can focus on the mechanisms above.',
    reversed: 'negatively worded: the score is turned around, so a high score is favourable here too',
    itemsNoneOther: 'There are no statements on which both the department and the organisation have a figure shown.',
    colStatement: 'Statement',
    summaryClear: (n: number) => (n === 1 ? 'On one mechanism the department differs clearly from the organisation.' : `On ${n} mechanisms the department differs clearly from the organisation.`),
    summaryNone: 'On no mechanism does the department differ clearly from the organisation: the differences are within the uncertainty. That is a result too: the department resembles the rest.',
    summarySmall: 'On some mechanisms the department is too small to tell whether a difference means anything; read those differences as a question, not as a finding.',
    questions: 'Questions for the team conversation',
    questionsLead: 'A few questions to open the conversation. Use them freely; what matters is the stories behind the figures, not the figures themselves.',
    q: {
      recognise: 'When you hold these results against your own working week: what fits, and what does not?',
      lowest: (m: string) => `"${m}" is our department's lowest score. Can you name a moment when you noticed this, and what would have helped then?`,
      clearLower: (m: string) => `On "${m}" we are clearly below the organisation. What is different here from elsewhere, and is it within our influence?`,
      clearHigher: (m: string) => `On "${m}" we do clearly better than the organisation. What do we do here that we want to keep or could share?`,
      learnedLast: 'What did you learn in your work this past month, and from whom or through what?',
      oneStep: 'Which one agreement do we make that we can look back on together in three months?',
    },
    context: 'What the organisation as a whole takes up',
    contextLead: "The priorities below apply to the whole organisation, not to this department in particular. They help the team's agreements connect with what HR and the board take up.",
    noPriorities: 'No priorities were set for the organisation as a whole.',
    method: 'How the differences were judged',
    methodText:
      "The department is part of the organisation: its employees count in the organisation's figure. So we compare the department with the rest of the organisation (Welch, 95% interval of the difference) and scale that interval to the difference with the whole. A difference is called clearly higher or lower only when the interval excludes zero. When zero lies inside and the interval is narrow, there is no clear difference; when it is wide, the group is too small to tell whether the difference means anything. Only clear differences are coloured green or red.",
    anonymity: (k: number) =>
      `Anonymity: figures are shown only about groups of at least ${k} people, and not when subtracting other figures shown would make them about fewer people. That is why a mechanism or statement can appear here without a figure. Other departments are not in this report.`,
    footer: (d: string) => `Department report ${d}`,
    verdict: { higher: 'Clearly higher', lower: 'Clearly lower', no_difference: 'No clear difference', too_small: 'Group too small to tell' } satisfies Record<DifferenceVerdict, string>,
  },
} as const;

export const DEPARTMENT_TEXT = TEXT;

/** The questions for the team conversation: two general ones, one on the department's own figures, two to close. */
export function conversationQuestions(cmp: DepartmentComparison, lang: Language): string[] {
  const x = TEXT[lang];
  const scored = cmp.mechanisms.filter((m) => m.department !== null);
  const lowest = [...scored].sort((a, b) => a.department!.mean - b.department!.mean)[0];
  const clearLower = cmp.mechanisms.filter((m) => m.difference?.verdict === 'lower').sort((a, b) => a.difference!.delta - b.difference!.delta)[0];
  const clearHigher = cmp.mechanisms.filter((m) => m.difference?.verdict === 'higher').sort((a, b) => b.difference!.delta - a.difference!.delta)[0];
  return [
    x.q.recognise,
    ...(clearLower ? [x.q.clearLower(clearLower.name[lang])] : lowest ? [x.q.lowest(lowest.name[lang])] : []),
    ...(clearHigher ? [x.q.clearHigher(clearHigher.name[lang])] : []),
    x.q.learnedLast,
    x.q.oneStep,
  ];
}

// --- the document -------------------------------------------------------------------------------------

/** A vector picture of one score on the 1..5 axis: the department (dot and interval) and the organisation (tick). */
function scorePicture(f: Frame, dept: Score | null, org: Score | null, width = 118): Content {
  const x = (v: number) => ((Math.max(1, Math.min(5, v)) - 1) / 4) * width;
  const canvas: NonNullable<Extract<Content, { canvas: unknown }>['canvas']> = [
    { type: 'line', x1: 0, y1: 7, x2: width, y2: 7, lineWidth: 0.6, lineColor: f.theme.rule },
    ...[1, 2, 3, 4, 5].map((v) => ({ type: 'line' as const, x1: x(v), y1: 5, x2: x(v), y2: 9, lineWidth: 0.5, lineColor: f.theme.rule })),
  ];
  if (dept && dept.ciLow !== null && dept.ciHigh !== null) {
    canvas.push({ type: 'line', x1: x(dept.ciLow), y1: 7, x2: x(dept.ciHigh), y2: 7, lineWidth: 2, lineColor: f.theme.accentSoft });
  }
  if (org) canvas.push({ type: 'line', x1: x(org.mean), y1: 1, x2: x(org.mean), y2: 13, lineWidth: 1.6, lineColor: f.theme.ink });
  if (dept) canvas.push({ type: 'ellipse', x: x(dept.mean), y: 7, r1: 3.4, r2: 3.4, color: f.theme.accent });
  return { canvas, margin: [0, 1, 0, 0] };
}

function scoreText(s: Score | null, lang: Language, none: string): string {
  return s ? fmtScore(s.mean, lang) : none;
}

export interface DepartmentReportOptions extends ReportOptions {
  /** The department view (the release's `department:<key>` segment view). */
  department: ResultModel;
}

/** The department report of one visible department. */
export function buildDepartmentReport(org: ResultModel, options: DepartmentReportOptions): TDocumentDefinitions {
  const f = frameFor(org, options);
  const { lang, theme } = f;
  const x = TEXT[lang];
  const cmp = departmentComparison(org, options.department);
  const name = cmp.label[lang];
  const content: Content[] = [];

  // Title block.
  content.push(titleBlock(f, org, x.kicker, x.title(name)));
  content.push({ text: x.lead, style: 'lead' });
  content.push(
    keyFigures(f, [
      { value: cmp.respondents === null ? x.hidden : fmtCount(cmp.respondents, lang), label: x.respondents },
      { value: cmp.organisationRespondents === null ? x.hidden : fmtCount(cmp.organisationRespondents, lang), label: x.orgRespondents },
    ], { compact: true }),
  );

  // Mechanisms.
  content.push(h2(x.mechanisms));
  content.push(paragraph(x.mechanismsLead, 'muted'));
  const rows: TableCell[][] = cmp.mechanisms.map((m) => {
    const d = m.difference;
    return [
      td(m.name[lang], { bold: true }),
      num(scoreText(m.department, lang, x.noFigure)),
      num(scoreText(m.organisation, lang, x.noFigure)),
      num(d ? fmtScoreDelta(d.delta, lang) : '–', { color: differenceColor(f, d), bold: d?.verdict === 'higher' || d?.verdict === 'lower' }),
      { text: d ? x.verdict[d.verdict] : x.noFigure, style: 'td', fontSize: SIZE.small, color: differenceColor(f, d) },
      scorePicture(f, m.department, m.organisation),
    ];
  });
  content.push(dataTable(f, [th(x.colMechanism), th(x.colDept, 'right'), th(x.colOrg, 'right'), th(x.colDiff, 'right'), th(x.colMeaning), th(x.colPicture)], rows, [106, 52, 56, 42, '*', 90], { zebra: true }));
  content.push({ text: x.pictureLegend, style: 'muted', margin: [0, 0, 0, 6] });
  const clear = cmp.mechanisms.filter((m) => m.difference?.verdict === 'higher' || m.difference?.verdict === 'lower').length;
  const small = cmp.mechanisms.some((m) => m.difference?.verdict === 'too_small');
  const missing = cmp.mechanisms.some((m) => m.difference === null);
  content.push(
    callout(f, lang === 'nl' ? 'In het kort' : 'In short', {
      text: [clear > 0 ? x.summaryClear(clear) : x.summaryNone, small ? ` ${x.summarySmall}` : '', missing ? ` ${x.noFigureWords}` : ''].join(''),
      style: 'body',
    }),
  );

  // Statements.
  // Heading, lead and table move to the next page together rather than leave the heading behind.
  const statements: Content[] = [h2(x.items)];
  if (!cmp.itemsAvailable) {
    statements.push(paragraph(x.itemsNone));
  } else if (cmp.items.length === 0) {
    statements.push(paragraph(x.itemsNoneOther));
  } else {
    statements.push(paragraph(x.itemsLead, 'muted'));
    statements.push(
      dataTable(
        f,
        [th(x.colStatement), th(x.colDept, 'right'), th(x.colOrg, 'right'), th(x.colDiff, 'right'), th(x.colMeaning)],
        cmp.items.map((it) => [
          { stack: [{ text: it.text[lang], style: 'td' }, { text: it.reverse ? `${it.mechanismName[lang]} · ${x.reversed}` : it.mechanismName[lang], fontSize: SIZE.tiny, color: theme.muted }] },
          num(fmtScore(it.department.mean, lang)),
          num(fmtScore(it.organisation.mean, lang)),
          num(fmtScoreDelta(it.difference.delta, lang), { color: differenceColor(f, it.difference), bold: it.difference.verdict === 'higher' || it.difference.verdict === 'lower' }),
          { text: x.verdict[it.difference.verdict], style: 'td', fontSize: SIZE.small, color: differenceColor(f, it.difference) },
        ]),
        ['*', 52, 56, 42, 76],
        { zebra: true },
      ),
    );
  }
  content.push({ stack: statements, unbreakable: true });

  // Conversation questions.
  content.push(h2(x.questions));
  content.push(paragraph(x.questionsLead, 'muted'));
  const questions = conversationQuestions(cmp, lang);
  content.push({ ol: questions.map((q) => ({ text: q, style: 'body', margin: [0, 0, 0, 4] as [number, number, number, number] })), margin: [0, 0, 0, 8] });

  // Organisation context.
  content.push(h2(x.context));
  content.push(paragraph(x.contextLead, 'muted'));
  const priorities = org.priorities.slice(0, 3);
  if (priorities.length === 0) {
    content.push(paragraph(x.noPriorities));
  } else {
    for (const p of priorities) {
      const first = p.interventions[0];
      content.push({
        unbreakable: true,
        margin: [0, 0, 0, 6],
        stack: [
          { text: `${p.rank}. ${p.name[lang]}`, style: 'h3' },
          ...(p.reasons[0] ? [{ text: p.reasons[0].text[lang], style: 'body' }] : []),
          ...(first ? [{ text: `${lang === 'nl' ? 'Wat de organisatie kan doen' : 'What the organisation can do'}: ${first.text[lang]}`, style: 'body', color: theme.muted }] : []),
        ],
      });
    }
  }

  // Method and anonymity.
  content.push(h2(x.method));
  content.push(paragraph(x.methodText, 'muted'));
  content.push(paragraph(x.anonymity(cmp.threshold), 'muted'));
  const withCi = cmp.mechanisms.filter((m) => m.department?.ciLow !== null && m.department?.ciLow !== undefined && m.department.ciHigh !== null);
  if (withCi.length > 0) {
    content.push(
      paragraph(
        (lang === 'nl' ? '95%-intervallen van de afdeling: ' : "The department's 95% intervals: ") +
          withCi.map((m) => `${m.name[lang]} ${fmtCi(m.department!.ciLow!, m.department!.ciHigh!, lang)}`).join('; ') +
          '.',
        'muted',
      ),
    );
  }
  return documentShell(f, x.footer(name), content);
}
