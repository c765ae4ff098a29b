// The SME policy checklist: the round's answers per practice, each with the published figure it is
// compared with (cited as a source).
import { getPublishedFigure } from '../../../scans/benchmarks/published.js';
import { getSmeChecklist } from '../../../scans/instruments/registry.js';
import type { ResultModel } from '../../../scans/result-model.js';
import type { Db } from '../aggregate.js';
import { publishedRef, publishedSource } from './benchmarks.js';
import type { RoundRow, Section } from './context.js';

export async function loadChecklist(db: Db, roundId: string) {
  return db.selectFrom('checklist_answers').select(['practice_id', 'answer']).where('round_id', '=', roundId).execute();
}

export function checklistSection(round: RoundRow, rows: Awaited<ReturnType<typeof loadChecklist>>): Section<ResultModel['checklist']> {
  const instrument = getSmeChecklist();
  const answers = new Map(rows.map((r) => [r.practice_id, r.answer]));
  const included = round.modules.includes('sme_checklist') && !!instrument;
  const practices = included
    ? instrument!.practices.map((p) => {
        const ref = publishedRef(getPublishedFigure(p.publishedFigureId)!);
        return { practiceId: p.id, text: { nl: p.text.nl, en: p.text.en }, answer: answers.get(p.id) ?? null, published: ref };
      })
    : [];
  return {
    part: {
      included,
      practices,
      inPlace: practices.filter((p) => p.answer === 'yes').length,
      answered: practices.filter((p) => p.answer !== null).length,
      total: practices.length,
    },
    sources: practices.map((p) => publishedSource(p.published)),
  };
}
