// The database wall stands alone (issue 12): with the application's tenant filter switched off
// (setAppTenantFilterDisabledForTests: requireOrganisation/requireRound and the organisation lists
// match everything, and every role check passes), the cross-tenant suite still reads nothing of
// another tenant, because these routes read inside withTenantScope under forced row-level security.
// Runs on both drivers (the embedded database applies the same policies through the same role
// switch); CI runs it on PostgreSQL in the second pass.
//
// Covered (read in the tenant scope): results, results.csv, raw.csv, both PDFs, report batches
// (order, progress, download), department reports (list, PDF, batch order, progress, download),
// benchmark sets (read, delete, list), imports, the organisation and its list, the data export; since
// the default became deny (migration 0019): the workbook, the extra sections, action plans and their
// progress, placements, rounds, response rates, invitations, mail batches, the checklist and the
// organisation's users. Routes that still read
// outside a tenant scope are not listed here: with the filter off they would leak (see docs/security.md).
import { describeTenancy, type RouteCase } from '../helpers/tenancy.js';

const wallCases: RouteCase[] = [
  { name: 'GET /api/v1/rounds/:id/results', method: 'GET', url: (v) => `/api/v1/rounds/${v.roundId}/results` },
  { name: 'GET /api/v1/rounds/:id/results.csv', method: 'GET', url: (v) => `/api/v1/rounds/${v.roundId}/results.csv` },
  { name: 'GET /api/v1/rounds/:id/raw.csv', method: 'GET', url: (v) => `/api/v1/rounds/${v.roundId}/raw.csv` },
  { name: 'GET /api/v1/rounds/:id/reports/client.pdf', method: 'GET', url: (v) => `/api/v1/rounds/${v.roundId}/reports/client.pdf` },
  { name: 'GET /api/v1/rounds/:id/reports/director.pdf', method: 'GET', url: (v) => `/api/v1/rounds/${v.roundId}/reports/director.pdf` },
  { name: 'POST /api/v1/report-batches for the victim round', method: 'POST', url: () => '/api/v1/report-batches', payload: (v) => ({ jobs: [{ roundId: v.roundId, type: 'client' }] }) },
  { name: 'GET /api/v1/report-batches/:id', method: 'GET', url: (v) => `/api/v1/report-batches/${v.extra.batchId}` },
  { name: 'GET /api/v1/report-batches/:id/jobs/:jobId.pdf', method: 'GET', url: (v) => `/api/v1/report-batches/${v.extra.batchId}/jobs/${v.extra.jobId}.pdf` },
  { name: 'GET /api/v1/rounds/:id/departments', method: 'GET', url: (v) => `/api/v1/rounds/${v.roundId}/departments` },
  { name: 'GET /api/v1/rounds/:id/reports/department.pdf', method: 'GET', url: (v) => `/api/v1/rounds/${v.roundId}/reports/department.pdf?department=Zorg` },
  { name: 'POST /api/v1/rounds/:id/reports/department-batches', method: 'POST', url: (v) => `/api/v1/rounds/${v.roundId}/reports/department-batches`, payload: () => ({ languages: ['nl'] }) },
  { name: 'GET /api/v1/rounds/:id/reports/department-batches/:id', method: 'GET', url: (v) => `/api/v1/rounds/${v.roundId}/reports/department-batches/${v.extra.departmentBatchId}` },
  {
    name: 'GET /api/v1/rounds/:id/reports/department-batches/:id/jobs/:jobId.pdf', method: 'GET',
    url: (v) => `/api/v1/rounds/${v.roundId}/reports/department-batches/${v.extra.departmentBatchId}/jobs/${v.extra.departmentJobId}.pdf`,
  },
  { name: 'GET /api/v1/organisations/:id', method: 'GET', url: (v) => `/api/v1/organisations/${v.organisationId}` },
  { name: 'GET /api/v1/organisations', method: 'GET', url: () => '/api/v1/organisations', list: true },
  { name: 'GET /api/v1/benchmark-sets/:id', method: 'GET', url: (v) => `/api/v1/benchmark-sets/${v.extra.setId}` },
  { name: 'DELETE /api/v1/benchmark-sets/:id', method: 'DELETE', url: (v) => `/api/v1/benchmark-sets/${v.extra.setId}` },
  { name: 'GET /api/v1/benchmark-sets', method: 'GET', url: () => '/api/v1/benchmark-sets', list: true },
  {
    name: 'POST /api/v1/rounds/:id/imports', method: 'POST', url: (v) => `/api/v1/rounds/${v.roundId}/imports`,
    payload: () => ({ csv: 'form,sd1\nemployee,5\n' }),
  },
  { name: 'GET /api/v1/organisations/:id/export', method: 'GET', url: (v) => `/api/v1/organisations/${v.organisationId}/export` },
  // Read in the tenant scope since the default became deny (migration 0019, docs/security.md).
  { name: 'GET /api/v1/rounds/:id/results.xlsx', method: 'GET', url: (v) => `/api/v1/rounds/${v.roundId}/results.xlsx` },
  { name: 'GET /api/v1/rounds/:id/results/extras', method: 'GET', url: (v) => `/api/v1/rounds/${v.roundId}/results/extras` },
  { name: 'GET /api/v1/rounds/:id/actions/progress', method: 'GET', url: (v) => `/api/v1/rounds/${v.roundId}/actions/progress` },
  {
    name: 'POST /api/v1/rounds/:id/actions', method: 'POST', url: (v) => `/api/v1/rounds/${v.roundId}/actions`,
    payload: () => ({ source: 'mechanism', mechanismId: 'self_direction', title: 'Gekaapt', owner: 'Mol', itemIds: [] }),
  },
  { name: 'GET /api/v1/rounds/:id/placements', method: 'GET', url: (v) => `/api/v1/rounds/${v.roundId}/placements` },
  { name: 'GET /api/v1/rounds/:id', method: 'GET', url: (v) => `/api/v1/rounds/${v.roundId}` },
  { name: 'GET /api/v1/rounds/:id/response-rates', method: 'GET', url: (v) => `/api/v1/rounds/${v.roundId}/response-rates` },
  { name: 'GET /api/v1/rounds/:id/invitations', method: 'GET', url: (v) => `/api/v1/rounds/${v.roundId}/invitations` },
  { name: 'POST /api/v1/rounds/:id/invitations/shared', method: 'POST', url: (v) => `/api/v1/rounds/${v.roundId}/invitations/shared`, payload: () => ({ form: 'employee' }) },
  { name: 'GET /api/v1/rounds/:id/mail-batches', method: 'GET', url: (v) => `/api/v1/rounds/${v.roundId}/mail-batches` },
  { name: 'GET /api/v1/rounds/:id/checklist', method: 'GET', url: (v) => `/api/v1/rounds/${v.roundId}/checklist` },
  { name: 'GET /api/v1/organisations/:id/rounds', method: 'GET', url: (v) => `/api/v1/organisations/${v.organisationId}/rounds` },
  { name: 'GET /api/v1/organisations/:id/users', method: 'GET', url: (v) => `/api/v1/organisations/${v.organisationId}/users` },
  {
    name: 'POST /api/v1/organisations/:id/users', method: 'POST', url: (v) => `/api/v1/organisations/${v.organisationId}/users`,
    payload: () => ({ email: 'mol@example.nl', name: 'Mol', role: 'director' }),
  },
  {
    name: 'DELETE /api/v1/organisations/:id/users/:userId', method: 'DELETE', url: (v) => `/api/v1/organisations/${v.organisationId}/users/${v.director.id}`,
  },
];

describeTenancy('the database wall alone', wallCases, {
  appFilterDisabled: true,
  async extendVictim(db, v) {
    const batch = await db.insertInto('report_batches').values({ consultancy_id: v.consultancyId, requested_by: v.consultant.id }).returning('id').executeTakeFirstOrThrow();
    const job = await db
      .insertInto('report_jobs')
      .values({ batch_id: batch.id, round_id: v.roundId, report_type: 'client', language: 'nl', position: 0, status: 'done', pdf: Buffer.from('%PDF-victim') })
      .returning('id')
      .executeTakeFirstOrThrow();
    const departmentBatch = await db.insertInto('report_batches').values({ consultancy_id: v.consultancyId, requested_by: v.consultant.id, kind: 'departments' }).returning('id').executeTakeFirstOrThrow();
    const departmentJob = await db
      .insertInto('report_jobs')
      .values({ batch_id: departmentBatch.id, round_id: v.roundId, report_type: 'department', department: 'Zorg', language: 'nl', position: 0, status: 'done', pdf: Buffer.from('%PDF-victim') })
      .returning('id')
      .executeTakeFirstOrThrow();
    const set = await db.insertInto('benchmark_sets').values({ consultancy_id: v.consultancyId, name: `Victim set ${v.roundName}` }).returning('id').executeTakeFirstOrThrow();
    return { batchId: batch.id, jobId: job.id, setId: set.id, departmentBatchId: departmentBatch.id, departmentJobId: departmentJob.id };
  },
});
