// Everything of one organisation as JSON (data portability). Anonymity holds in the export too: the
// answers are the same anonymous rows as raw.csv (closed rounds only, from k respondents, background
// and language k-anonymous over their crossing, no ids, no timestamps, in an order keyed on nothing a
// reader sees), and invitations carry no per-person status (started, submitted, uses), so an email
// cannot be lined up with answers, not even by comparing two exports. A respondent's own data is
// served from their own link (GET /api/v1/survey/:token/data, through their browser session).
import type { Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import { anonymousResponseRows, type AnonymousResponseRow } from '../results/export.js';

/** Why a round's responses are not in the export: results of open rounds and of groups under k are nobody's to read. */
export type ResponsesWithheld = 'round_not_closed' | 'below_threshold' | 'raw_purged';

export const EXPORT_FORMAT = 'leercultuurscan-organisation-export@1' as const;

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export async function exportOrganisation(tx: Transaction<DB>, organisationId: string, now = new Date()) {
  const org = await tx.selectFrom('organisations').selectAll().where('id', '=', organisationId).executeTakeFirstOrThrow();
  const users = await tx
    .selectFrom('user_roles')
    .innerJoin('users', 'users.id', 'user_roles.user_id')
    .select(['users.id', 'users.email', 'users.name', 'user_roles.role', 'user_roles.created_at', 'users.disabled_at'])
    .where('user_roles.organisation_id', '=', organisationId)
    .orderBy('users.email')
    .execute();
  const rounds = await tx.selectFrom('rounds').selectAll().where('organisation_id', '=', organisationId).orderBy('created_at').execute();
  const roundIds = rounds.map((r) => r.id);
  const none = roundIds.length === 0;

  const invitations = none
    ? []
    : await tx
        .selectFrom('invitations')
        .select(['id', 'round_id', 'kind', 'form', 'email', 'department', 'max_responses', 'created_at', 'revoked_at'])
        .where('round_id', 'in', roundIds)
        .orderBy('created_at')
        .orderBy('id')
        .execute();
  const responses = new Map<string, { rows: AnonymousResponseRow[]; withheld: ResponsesWithheld | null }>();
  for (const r of rounds) {
    if (r.raw_purged_at) responses.set(r.id, { rows: [], withheld: 'raw_purged' });
    else if (r.status !== 'closed') responses.set(r.id, { rows: [], withheld: 'round_not_closed' });
    else responses.set(r.id, await anonymousResponseRows(tx, r, { language: true }));
  }
  const checklist = none
    ? []
    : await tx.selectFrom('checklist_answers').select(['round_id', 'practice_id', 'answer', 'answered_by', 'updated_at']).where('round_id', 'in', roundIds).orderBy('round_id').orderBy('practice_id').execute();
  const placements = none
    ? []
    : await tx
        .selectFrom('placements')
        .select(['round_id', 'participant_group', 'user_id', 'response_id', 'frame', 'x', 'y', 'note', 'updated_at'])
        .where('round_id', 'in', roundIds)
        .orderBy('round_id')
        .orderBy('participant_group')
        .execute();
  const snapshots = none
    ? []
    : await tx.selectFrom('round_snapshots').select(['round_id', 'result', 'created_at']).where('round_id', 'in', roundIds).execute();

  return {
    format: EXPORT_FORMAT,
    exportedAt: now.toISOString(),
    organisation: {
      id: org.id,
      consultancyId: org.consultancy_id,
      name: org.name,
      sector: org.sector,
      sizeClass: org.size_class,
      retentionMonths: org.retention_months,
      createdAt: org.created_at.toISOString(),
    },
    users: users.map((u) => ({ id: u.id, email: u.email, name: u.name, role: u.role, createdAt: u.created_at.toISOString(), disabled: u.disabled_at !== null })),
    rounds: rounds.map((r) => ({
      id: r.id,
      name: r.name,
      instrumentId: r.instrument_id,
      modules: r.modules,
      languages: r.languages,
      departments: r.departments,
      anonymityThreshold: r.anonymity_threshold,
      status: r.status,
      opensAt: iso(r.opens_at),
      closesAt: iso(r.closes_at),
      openedAt: iso(r.opened_at),
      closedAt: iso(r.closed_at),
      rawPurgedAt: iso(r.raw_purged_at),
      createdAt: r.created_at.toISOString(),
      invitations: invitations
        .filter((i) => i.round_id === r.id)
        .map((i) => ({
          id: i.id,
          kind: i.kind,
          form: i.form,
          email: i.email,
          department: i.department,
          maxResponses: i.max_responses,
          createdAt: i.created_at.toISOString(),
          revokedAt: iso(i.revoked_at),
        })),
      responsesWithheld: responses.get(r.id)!.withheld,
      responses: responses.get(r.id)!.rows.map((x, index) => ({
        number: index + 1,
        form: x.form,
        language: x.language ?? null,
        background: { department: x.background.department, role: x.background.role, education: x.background.education, contract: x.background.contract, ageBand: x.background.age_band },
        answers: x.answers,
        factors: x.factors,
        placements: x.placements,
      })),
      checklist: checklist.filter((c) => c.round_id === r.id).map((c) => ({ practiceId: c.practice_id, answer: c.answer, answeredBy: c.answered_by, updatedAt: c.updated_at.toISOString() })),
      placements: placements
        .filter((p) => p.round_id === r.id && p.user_id !== null)
        .map((p) => ({ participantGroup: p.participant_group, userId: p.user_id, frame: p.frame, x: p.x, y: p.y, note: p.note, updatedAt: p.updated_at.toISOString() })),
      snapshot: snapshots.find((s) => s.round_id === r.id)?.result ?? null,
    })),
  };
}

export type OrganisationExport = Awaited<ReturnType<typeof exportOrganisation>>;
