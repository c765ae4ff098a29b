// The SME policy checklist of a round: ten practices answered yes / no / don't know for the
// organisation by HR or its consultant, each shown beside the published share of Dutch SMEs that have
// the practice (with source, year and population).
import type { Db } from '../db/schema.js';
import { ConflictError, ValidationFailedError, type FieldError } from '../lib/errors.js';
import { requirePublishedFigure, type ChecklistAnswer, type LocalizedText } from '../../scans/index.js';
import { PRACTICE_IDS, SME_CHECKLIST } from './instruments.js';

export interface ChecklistPracticeView {
  id: string;
  text: LocalizedText;
  answer: ChecklistAnswer | null;
  answeredBy: string | null;
  updatedAt: string | null;
  published: {
    figureId: string;
    /** Share (percent) of the population where the practice is in place. */
    value: number;
    description: LocalizedText;
    source: string;
    year: number | null;
    dataYear: number | null;
    population: LocalizedText;
  };
}

export interface ChecklistView {
  roundId: string;
  instrumentId: string;
  name: LocalizedText;
  description: LocalizedText;
  answerOptions: Array<{ value: ChecklistAnswer; label: LocalizedText }>;
  practices: ChecklistPracticeView[];
  summary: { yes: number; no: number; dontKnow: number; unanswered: number };
}

export function assertModule(round: { modules: string[] }, module: string) {
  if (!round.modules.includes(module)) throw new ConflictError('module_not_enabled', `This round does not include the ${module} module`);
}

export async function readChecklist(db: Db, roundId: string): Promise<ChecklistView> {
  const rows = await db
    .selectFrom('checklist_answers')
    .select(['practice_id', 'answer', 'answered_by', 'updated_at'])
    .where('round_id', '=', roundId)
    .execute();
  const byId = new Map(rows.map((r) => [r.practice_id, r]));
  const practices = SME_CHECKLIST.practices.map((p): ChecklistPracticeView => {
    const row = byId.get(p.id);
    const f = requirePublishedFigure(p.publishedFigureId);
    return {
      id: p.id,
      text: p.text,
      answer: row?.answer ?? null,
      answeredBy: row?.answered_by ?? null,
      updatedAt: row?.updated_at.toISOString() ?? null,
      published: {
        figureId: f.id,
        value: f.value,
        description: f.description,
        source: f.source,
        year: f.year,
        dataYear: f.dataYear ?? null,
        population: f.population,
      },
    };
  });
  const count = (a: ChecklistAnswer | null) => practices.filter((p) => p.answer === a).length;
  return {
    roundId,
    instrumentId: SME_CHECKLIST.id,
    name: SME_CHECKLIST.name,
    description: SME_CHECKLIST.description,
    answerOptions: SME_CHECKLIST.answerOptions.map((o) => ({ value: o.value, label: o.label })),
    practices,
    summary: { yes: count('yes'), no: count('no'), dontKnow: count('dont_know'), unanswered: count(null) },
  };
}

/**
 * Saves the answers sent (null removes one); practices not sent keep their answer. Unknown practice
 * ids reject the whole request. Not while the round is closed (its results are final).
 */
export async function saveChecklist(
  db: Db,
  round: { id: string; status: string; modules: string[] },
  answers: Record<string, ChecklistAnswer | null>,
  userId: string | null,
  now = new Date(),
): Promise<void> {
  assertModule(round, 'sme_checklist');
  const errors: FieldError[] = Object.keys(answers)
    .filter((id) => !PRACTICE_IDS.has(id))
    .map((id) => ({ path: `body.answers.${id}`, message: 'Unknown practice' }));
  if (errors.length) throw new ValidationFailedError('Unknown checklist practices; nothing was saved', errors);
  if (round.status === 'closed') throw new ConflictError('round_closed', 'The round is closed; reopen it to change the checklist');
  const set = Object.entries(answers).filter((e): e is [string, ChecklistAnswer] => e[1] !== null);
  const cleared = Object.entries(answers).filter(([, v]) => v === null).map(([id]) => id);
  if (set.length) {
    await db
      .insertInto('checklist_answers')
      .values(set.map(([practice_id, answer]) => ({ round_id: round.id, practice_id, answer, answered_by: userId, updated_at: now })))
      .onConflict((oc) =>
        oc.columns(['round_id', 'practice_id']).doUpdateSet((eb) => ({
          answer: eb.ref('excluded.answer'),
          answered_by: eb.ref('excluded.answered_by'),
          updated_at: eb.ref('excluded.updated_at'),
        })),
      )
      .execute();
  }
  if (cleared.length) {
    await db.deleteFrom('checklist_answers').where('round_id', '=', round.id).where('practice_id', 'in', cleared).execute();
  }
}
