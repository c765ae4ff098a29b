// Direct inserts of submitted responses for tests (synthetic data): validated against the round's
// instrument exactly as the survey API validates, without the survey flow. Moved out of
// server/rounds/responses.ts: no production code needs it (the demo and imports use bulk-insert.ts).
import type { DB, Db } from '../../server/db/schema.js';
import { NotFoundError } from '../../server/lib/errors.js';
import { dayOf, writeExtras } from '../../server/rounds/responses.js';
import { validateResponseInput, type AnyBackgroundField, type ResponseInput } from '../../server/rounds/validation.js';
import type { Form, Language } from '../../scans/index.js';


export interface SubmittedResponseInput {
  form: Form;
  /** Culture-scan answers by item id: 1..5, or null for don't know. Need not be complete. */
  answers: Record<string, number | null>;
  background?: Partial<Record<AnyBackgroundField, string | null>>;
  factors?: Record<string, number | null>;
  placements?: Partial<Record<'current' | 'desired', { x: number; y: number } | null>>;
  /** Optional-module answers (the round must include the module; employee form). */
  modules?: ResponseInput['modules'];
  channel?: 'link' | 'import' | 'demo';
  /** Only for channel 'link': which kind of link the (synthetic) respondent used; default shared. */
  linkKind?: 'shared' | 'personal';
  language?: Language;
  /** Default now; stored to the day, as every response timestamp. */
  submittedAt?: Date;
}

/**
 * Inserts one submitted response with its answers, factor ratings and placements, validated against
 * the round's instrument exactly as the survey API validates (throws ValidationFailedError naming the
 * field). It does not check the round's status, so it can fill closed rounds with demo data. The
 * response has no access token: nobody can open it through the survey API.
 * Usage: `await db.transaction().execute((tx) => insertSubmittedResponse(tx, roundId, {...}))`.
 */
export async function insertSubmittedResponse(db: Db, roundId: string, input: SubmittedResponseInput): Promise<{ id: string }> {
  const round = await db
    .selectFrom('rounds')
    .select(['instrument_id', 'modules', 'languages', 'departments', 'employee_placements', 'survey_modules'])
    .where('id', '=', roundId)
    .executeTakeFirst();
  if (!round) throw new NotFoundError('Round');
  const v = validateResponseInput(round, input.form, {
    answers: input.answers,
    ...(input.modules ? { modules: input.modules } : {}),
    ...(input.background ? { background: input.background } : {}),
    ...(input.factors ? { factors: input.factors } : {}),
    ...(input.placements ? { placements: input.placements } : {}),
    ...(input.language ? { language: input.language } : {}),
  }, 'input');
  const day = dayOf(input.submittedAt ?? new Date());
  const channel = input.channel ?? 'demo';
  const bg = v.background ?? {};
  const { id } = await db
    .insertInto('responses')
    .values({
      round_id: roundId,
      form: input.form,
      access_hash: null,
      channel,
      link_kind: channel === 'link' ? (input.linkKind ?? 'shared') : null,
      language: v.language ?? (round.languages[0] as Language),
      status: 'submitted',
      department: bg.department ?? null,
      role: (bg.role ?? null) as DB['responses']['role'],
      education: bg.education ?? null,
      contract: (bg.contract ?? null) as 'permanent' | 'flexible' | null,
      age_band: bg.age_band ?? null,
      tenure: bg.tenure ?? null,
      contract_hours: bg.contract_hours ?? null,
      started_at: day,
      updated_at: day,
      submitted_at: day,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const answers = Object.entries(v.answers ?? {}).map(([item_id, value]) => ({ response_id: id, item_id, value }));
  if (answers.length) await db.insertInto('answers').values(answers).execute();
  const factors = Object.entries(v.factors ?? {}).map(([factor_id, value]) => ({ response_id: id, factor_id, value }));
  if (factors.length) await db.insertInto('factor_answers').values(factors).execute();
  const placements = Object.entries(v.placements ?? {})
    .filter(([, p]) => p)
    .map(([frame, p]) => ({
      round_id: roundId,
      participant_group: 'employee' as const,
      response_id: id,
      frame: frame as 'current' | 'desired',
      x: p!.x,
      y: p!.y,
      updated_at: day,
    }));
  if (placements.length) await db.insertInto('placements').values(placements).execute();
  if (v.modules) await writeExtras(db, id, { modules: v.modules });
  return { id };
}
