// Response: invited, submitted and response rate, per form and per visible group.
import { SEGMENT_DIMENSIONS, type ResultResponse } from '../../../scans/result-model.js';
import type { FormKind } from '../../db/schema.js';
import type { Db } from '../aggregate.js';
import { groupLabel } from '../labels.js';
import type { Section, SectionContext } from './context.js';
import { dimensionUsed } from './segments.js';

/**
 * Personal invitations and how many of them were submitted, per form and (employee form) department.
 * The response rate is personal submitted / personal invited: responses through a shared link have no
 * invited count, so counting them against the invitations gave rates above 100% (issue 14). A
 * withdrawn invitation counts only if its holder had started (as in rounds/response-rates.ts).
 */
export async function loadInvitations(db: Db, roundId: string) {
  const rows = await db
    .selectFrom('invitations')
    .select(['form', 'department', (eb) => eb.fn.countAll<number>().as('n'), (eb) => eb.fn.count<number>('submitted_at').as('submitted')])
    .where('round_id', '=', roundId)
    .where('kind', '=', 'personal')
    .where((eb) => eb.or([eb('revoked_at', 'is', null), eb('started_at', 'is not', null)]))
    .groupBy(['form', 'department'])
    .execute();
  const byForm: Record<FormKind, number> = { employee: 0, management: 0 };
  const submittedByForm: Record<FormKind, number> = { employee: 0, management: 0 };
  const byDepartment = new Map<string, number>();
  const submittedByDepartment = new Map<string, number>();
  for (const r of rows) {
    byForm[r.form] += Number(r.n);
    submittedByForm[r.form] += Number(r.submitted);
    if (r.form === 'employee' && r.department) {
      byDepartment.set(r.department, (byDepartment.get(r.department) ?? 0) + Number(r.n));
      submittedByDepartment.set(r.department, (submittedByDepartment.get(r.department) ?? 0) + Number(r.submitted));
    }
  }
  return { byForm, byDepartment, submittedByForm, submittedByDepartment, any: rows.length > 0 };
}

export type Invitations = Awaited<ReturnType<typeof loadInvitations>>;

export function responseSection(ctx: SectionContext, invitations: Invitations): Section<ResultResponse> {
  const { filter, k, employeeVisible, partitions } = ctx;
  const employeeN = ctx.counts.byForm.employee;
  const managementN = ctx.counts.byForm.management;
  // Rates: personal-link submissions over personal invitations only, never above 100%.
  const rate = (submitted: number, invited: number | null) => (invited ? Math.min(100, (submitted / invited) * 100) : null);
  const invitedEmployee = invitations.any ? invitations.byForm.employee : null;
  const invitedManagement = invitations.any ? invitations.byForm.management : null;
  const personalSubmitted = invitations.submittedByForm.employee + invitations.submittedByForm.management;
  const deptRate = (d: string) => rate(invitations.submittedByDepartment.get(d) ?? 0, invitations.byDepartment.get(d) ?? null);
  const part: ResultResponse = filter
    ? {
        invited: filter.dimension === 'department' ? (invitations.byDepartment.get(filter.value) ?? null) : null,
        submitted: employeeN,
        rate: filter.dimension === 'department' ? deptRate(filter.value) : null,
        perForm: [{ form: 'employee', invited: null, submitted: employeeN, rate: null, belowThreshold: !employeeVisible }],
        perSegment: [],
      }
    : {
        invited: invitations.any ? invitations.byForm.employee + invitations.byForm.management : null,
        submitted: employeeN + managementN,
        rate: invitations.any ? rate(personalSubmitted, invitations.byForm.employee + invitations.byForm.management) : null,
        perForm: [
          { form: 'employee', invited: invitedEmployee, submitted: employeeN, rate: rate(invitations.submittedByForm.employee, invitedEmployee), belowThreshold: !employeeVisible },
          { form: 'management', invited: invitedManagement, submitted: managementN, rate: rate(invitations.submittedByForm.management, invitedManagement), belowThreshold: managementN < k },
        ],
        perSegment: SEGMENT_DIMENSIONS.filter((d) => dimensionUsed(partitions[d])).map((dim) => ({
          dimension: dim,
          groups: partitions[dim].map((g) => {
            const label = groupLabel(dim, g.key);
            if (!g.visible || !employeeVisible) return { hidden: true as const, key: g.key, label };
            const invited = dim === 'department' && invitations.any ? (invitations.byDepartment.get(g.key) ?? null) : null;
            return { hidden: false as const, key: g.key, label, invited, submitted: g.n, rate: invited ? deptRate(g.key) : null };
          }),
        })),
      };
  return { part, sources: [] };
}
