// Everything of one organisation as JSON (data portability). Anonymity holds in the export too:
// responses carry no timestamps, no access hash and no link to an invitation, and come in random
// (uuid) order, so an invitation list cannot be lined up with the answers.
import type { Transaction } from 'kysely';
import type { DB } from '../db/schema.js';

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
        .select(['id', 'round_id', 'kind', 'form', 'email', 'department', 'max_responses', 'uses', 'started_at', 'submitted_at', 'created_at', 'revoked_at'])
        .where('round_id', 'in', roundIds)
        .orderBy('created_at')
        .orderBy('id')
        .execute();
  const responses = none
    ? []
    : await tx
        .selectFrom('responses')
        .select(['id', 'round_id', 'form', 'language', 'status', 'department', 'role', 'education', 'contract', 'age_band'])
        .where('round_id', 'in', roundIds)
        .orderBy('id')
        .execute();
  const responseIds = responses.map((r) => r.id);
  const answers = responseIds.length
    ? await tx.selectFrom('answers').select(['response_id', 'item_id', 'value']).where('response_id', 'in', responseIds).execute()
    : [];
  const factorAnswers = responseIds.length
    ? await tx.selectFrom('factor_answers').select(['response_id', 'factor_id', 'value']).where('response_id', 'in', responseIds).execute()
    : [];
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

  const byResponse = <T extends { response_id: string }>(rows: T[]) => {
    const m = new Map<string, T[]>();
    for (const r of rows) m.set(r.response_id, [...(m.get(r.response_id) ?? []), r]);
    return m;
  };
  const answersOf = byResponse(answers);
  const factorsOf = byResponse(factorAnswers);
  const anonymousPlacements = byResponse(placements.filter((p): p is typeof p & { response_id: string } => p.response_id !== null));

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
          uses: i.uses,
          started: i.started_at !== null,
          submitted: i.submitted_at !== null,
          createdAt: i.created_at.toISOString(),
          revokedAt: iso(i.revoked_at),
        })),
      responses: responses
        .filter((x) => x.round_id === r.id)
        .map((x, index) => ({
          number: index + 1,
          form: x.form,
          language: x.language,
          status: x.status,
          background: { department: x.department, role: x.role, education: x.education, contract: x.contract, ageBand: x.age_band },
          answers: Object.fromEntries((answersOf.get(x.id) ?? []).map((a) => [a.item_id, a.value])),
          factors: Object.fromEntries((factorsOf.get(x.id) ?? []).map((a) => [a.factor_id, a.value])),
          placements: (anonymousPlacements.get(x.id) ?? []).map((p) => ({ frame: p.frame, x: p.x, y: p.y })),
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
