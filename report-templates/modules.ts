// Report pages for the extra sections of issue 17: the management roles side by side, who learns less
// against the rest with differentiated advice, and the optional modules (motivation profile, learning
// mix beside 70-20-10, open answers). They render only what the disclosed extras hold: a hidden group
// is named as hidden, never given a figure.
import type { Content } from 'pdfmake/interfaces.js';
import { MECHANISM_IDS } from '../scans/types.js';
import { LEARNING_WAYS, LEARNING_WAY_LABELS, MODEL_PART_LABELS, MOTIVATION_FACETS, MOTIVATION_FACET_LABELS, OPEN_PROMPT_TEXT, type ModelPart } from '../scans/modules/definitions.js';
import type { ResultExtras } from '../server/results/modules/compose.js';
import { chapter, dataTable, h2, keptList, paragraph, td, th, withHeading, type Frame } from './components.js';

/** The extras as the report receives them (without the internal list of published slots). */
export type ReportExtras = Omit<ResultExtras, 'published'>;

const T = {
  roles: { nl: 'Perspectieven per rol', en: 'Perspectives by role' },
  rolesLead: {
    nl: 'De managementvragenlijst per rol: HR, leidinggevenden en directie naast elkaar (gemiddelde score 1-5). Een rol met te weinig respondenten wordt niet getoond.',
    en: 'The management form by role: HR, line managers and directors side by side (mean score 1-5). A role with too few respondents is not shown.',
  },
  learnsLess: { nl: 'Wie leert er minder?', en: 'Who learns less?' },
  learnsLessLead: {
    nl: 'Onderzoek noemt groepen die minder aan leren toekomen. Hier staat elke groep naast de overige medewerkers (gemiddelde score 1-5), met advies dat bij die groep past.',
    en: 'Research names groups that learn less. Each group is shown beside the other employees (mean score 1-5), with advice that fits that group.',
  },
  group: { nl: 'Groep', en: 'Group' },
  rest: { nl: 'Overige medewerkers', en: 'Other employees' },
  hidden: { nl: 'Niet getoond (te weinig respondenten, of af te leiden uit andere cijfers)', en: 'Not shown (too few respondents, or derivable from other figures)' },
  motivation: { nl: 'Motivatie om te leren', en: 'Motivation to learn' },
  motivationLead: {
    nl: 'Gemiddelde per onderdeel (1-5), naar de zelfdeterminatietheorie (Deci & Ryan, 2000): zelf kiezen, merken dat je groeit en samen leren; en leren omdat je het wilt tegenover omdat het moet.',
    en: 'Mean per facet (1-5), after self-determination theory (Deci & Ryan, 2000): own choice, feeling able and learning with others; and learning because one wants to versus because one must.',
  },
  wantOverMust: { nl: 'Leert meer omdat hij/zij wil dan omdat het moet', en: 'Learns more because they want to than because they must' },
  nextStep: { nl: 'Eerste stap', en: 'First step' },
  mix: { nl: 'Hoe mensen leren', en: 'How people learn' },
  mixLead: {
    nl: 'Hoe medewerkers het afgelopen jaar vooral leerden. Rechts het 70-20-10-model (Jennings, 2011): een model van hoe leren in organisaties vaak verdeeld is, geen norm en geen meting.',
    en: 'How employees mostly learned in the past year. On the right the 70-20-10 model (Jennings, 2011): a model of how learning in organisations is often split, not a norm and not a measurement.',
  },
  model: { nl: 'Model 70-20-10', en: '70-20-10 model' },
  open: { nl: 'In eigen woorden', en: 'In their own words' },
  openLead: {
    nl: 'Antwoorden op de open vragen, zonder volgorde of naam, alleen voor groepen met ten minste {n} antwoorden. Daarboven een eenvoudige telling van thema\u2019s.',
    en: 'Answers to the open questions, without order or names, only for groups with at least {n} answers. Above them a simple count of themes.',
  },
  theme: { nl: 'Thema', en: 'Theme' },
  answers: { nl: 'antwoorden', en: 'answers' },
} as const;

const fmt = (f: Frame, v: number | null, d = 1) => (v === null ? '–' : v.toLocaleString(f.lang === 'nl' ? 'nl-NL' : 'en-GB', { minimumFractionDigits: d, maximumFractionDigits: d }));
const mechName = (f: Frame, id: string) => f.model.mechanisms.find((m) => m.mechanismId === id)?.name[f.lang] ?? id.replace(/_/g, ' ');

/** How many chapters `extrasChapters` writes for these extras (the client report numbers the appendix after them). */
export function extrasChapterCount(extras: ReportExtras): number {
  return [extras.roles.groups.length > 0, extras.learnsLess.groups.length > 0, extras.motivation.included, extras.learningMix.included, extras.open.included].filter(Boolean).length;
}

/** The chapters for the extras, numbered from `first`. Empty when there is nothing to show. */
export function extrasChapters(f: Frame, extras: ReportExtras, first: number): Content[] {
  const L = f.lang;
  const out: Content[] = [];
  let n = first;
  const shownRoles = extras.roles.groups.filter((g) => !g.hidden);
  if (extras.roles.groups.length > 0) {
    out.push(chapter(f, String(n++), T.roles[L], T.rolesLead[L]));
    if (shownRoles.length === 0) out.push(paragraph(T.hidden[L]));
    else {
      out.push(
        dataTable(
          f,
          [th(''), ...shownRoles.map((g) => th(`${g.label[L]} (n=${g.n})`, 'right'))],
          MECHANISM_IDS.filter((m) => shownRoles.some((g) => g.mechanisms.some((x) => x.mechanismId === m))).map((m) => [
            td(mechName(f, m)),
            ...shownRoles.map((g) => td(fmt(f, g.mechanisms.find((x) => x.mechanismId === m)?.mean ?? null, 2), { align: 'right' })),
          ]),
          ['*', ...shownRoles.map(() => 70)],
        ),
      );
      const hidden = extras.roles.groups.filter((g) => g.hidden).map((g) => g.label[L]);
      if (hidden.length) out.push(paragraph(`${hidden.join(', ')}: ${T.hidden[L]}`, 'small'));
    }
  }
  if (extras.learnsLess.groups.length > 0) {
    out.push(chapter(f, String(n++), T.learnsLess[L], T.learnsLessLead[L]));
    for (const g of extras.learnsLess.groups) {
      // The group's heading goes with its table (seven rows) or with the words that it is not shown.
      if (g.hidden) out.push(...withHeading(h2(g.label[L]), [paragraph(T.hidden[L], 'small')]));
      else {
        out.push(
          ...withHeading(h2(g.label[L]), [dataTable(
            f,
            [th(''), th(`${T.group[L]} (n=${g.group.n})`, 'right'), th(`${T.rest[L]} (n=${g.rest.n})`, 'right')],
            g.group.mechanisms.map((m) => [
              td(mechName(f, m.mechanismId)),
              td(fmt(f, m.mean, 2), { align: 'right' }),
              td(fmt(f, g.rest.mechanisms.find((x) => x.mechanismId === m.mechanismId)?.mean ?? null, 2), { align: 'right' }),
            ]),
            ['*', 90, 110],
          )]),
        );
      }
      out.push(keptList(g.advice.map((a) => a[L]), { style: 'body', markerColor: f.theme.ink, margin: [0, 0, 0, 8] }));
    }
  }
  if (extras.motivation.included) {
    out.push(chapter(f, String(n++), T.motivation[L], T.motivationLead[L]));
    const groups = extras.motivation.groups.filter((g) => !g.hidden && g.profile);
    out.push(
      dataTable(
        f,
        [th(T.group[L]), ...MOTIVATION_FACETS.map((x) => th(MOTIVATION_FACET_LABELS[x][L], 'right')), th(T.wantOverMust[L], 'right')],
        groups.map((g) => [
          td(`${g.label[L]} (n=${g.profile!.n})`),
          ...MOTIVATION_FACETS.map((x) => td(fmt(f, g.profile!.facets.find((y) => y.facet === x)?.mean ?? null, 2), { align: 'right' })),
          td(g.profile!.wantOverMust.percent === null ? '–' : `${g.profile!.wantOverMust.percent}%`, { align: 'right' }),
        ]),
        ['*', ...MOTIVATION_FACETS.map(() => 52), 60],
      ),
    );
    const all = groups.find((g) => g.group === 'all');
    if (all?.move) out.push(paragraph(`${T.nextStep[L]}: ${all.move[L]}`));
  }
  if (extras.learningMix.included) {
    out.push(chapter(f, String(n++), T.mix[L], T.mixLead[L]));
    const groups = extras.learningMix.groups.filter((g) => !g.hidden && g.mix);
    out.push(
      dataTable(
        f,
        [th(T.group[L]), ...LEARNING_WAYS.map((w) => th(LEARNING_WAY_LABELS[w][L], 'right'))],
        groups.map((g) => [td(`${g.label[L]} (n=${g.mix!.n})`), ...LEARNING_WAYS.map((w) => td(`${fmt(f, g.mix!.ways.find((x) => x.way === w)?.percent ?? null)}%`, { align: 'right' }))]),
        ['*', ...LEARNING_WAYS.map(() => 58)],
      ),
    );
    const all = groups.find((g) => g.group === 'all');
    if (all?.mix) {
      out.push(
        dataTable(
          f,
          [th(''), th(T.group[L], 'right'), th(T.model[L], 'right')],
          all.mix.model.map((p) => [td(MODEL_PART_LABELS[p.part as ModelPart][L]), td(`${fmt(f, p.percent)}%`, { align: 'right' }), td(`${p.modelPercent}%`, { align: 'right' })]),
          ['*', 80, 80],
        ),
      );
    }
  }
  if (extras.open.included) {
    out.push(chapter(f, String(n), T.open[L], T.openLead[L].replace('{n}', String(extras.open.minimum))));
    const groups = extras.open.groups.filter((g) => !g.hidden && g.prompts);
    if (groups.length === 0) out.push(paragraph(T.hidden[L]));
    // In the report only all employees: per group the same texts would repeat.
    const all = groups.find((g) => g.group === 'all') ?? groups[0];
    for (const p of all?.prompts ?? []) {
      const heading = h2(`${OPEN_PROMPT_TEXT[p.prompt as keyof typeof OPEN_PROMPT_TEXT][L]} (${p.n} ${T.answers[L]})`);
      out.push(...withHeading(heading, [dataTable(f, [th(T.theme[L]), th('n', 'right')], p.themes.filter((x) => x.count > 0).map((x) => [td(x.label[L]), td(String(x.count), { align: 'right' })]), ['*', 50])]));
      out.push(keptList(p.answers, { style: 'small', markerColor: f.theme.ink, margin: [0, 0, 0, 8] }));
    }
  }
  return out;
}
