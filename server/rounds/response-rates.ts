// Response tracking for HR: per form and department, how many were invited, started and submitted.
//
// Counting rule (also returned as `basis`):
// - invited: personal invitations, by the department given in the uploaded list. A revoked invitation
//   counts only if its holder had started.
// - started/submitted through personal links: from the invitation rows (started_at, submitted_at),
//   by the invitation's department. Through shared links: from the responses that came in through a
//   shared link (link_kind), by the department the respondent chose ("not stated" when skipped).
//   "started" includes those who went on to submit.
// - responses without a link (CSV import, demo data) add to submitted (and started) as `other`.
// - shared.rate: shared submitted / the headcount HR entered for the department, when entered (and >= k).
// - rate: personal submitted / personal invited, in percent, never above 100. Shared links have no invited count, so
//   they add to started/submitted but not to the rate. A segment with fewer than k invitations shows
//   no rate (null, rateReason fewer_than_k_invitations), so that one person's response is not visible.
// - disclosure (scans/disclosure/counts.ts): every count is a figure. A count of 1..k-1 is null, and so
//   is a count that would let one be derived (a form total minus the visible departments, a department's
//   submitted minus its personal-link part, the round total minus one form). `suppressed` lists the
//   counts withheld. A rate is shown only when the counts it is made of are (rateReason count_suppressed).
import type { Db } from '../db/schema.js';
import { FORMS, type Form } from '../../scans/index.js';
import { effectiveK } from '../../scans/anonymity.js';
import { COUNT_TOTAL, discloseCounts, type CountDisclosure, type CountPart, type CountStatistic } from '../../scans/disclosure/counts.js';

export type RateReason = 'fewer_than_k_invitations' | 'no_personal_invitations' | 'count_suppressed';

export interface RateSegment {
  /** Null: no department (not in the invitation list, or not stated by a shared-link respondent). */
  department: string | null;
  invited: number;
  started: number;
  submitted: number;
  personal: { invited: number; started: number; submitted: number };
  /** headcount/rate: only where HR entered a headcount for the department (invitation settings). */
  shared: { started: number; submitted: number; headcount: number | null; rate: number | null };
  /** Responses that came in without a link (CSV import, demo data): submitted only. */
  other: { submitted: number };
  /** Percent 0..100 (personal submitted / personal invited), or null with a reason. */
  rate: number | null;
  rateReason: RateReason | null;
}

type Count = number | null;

/** A segment as published: every count null where the disclosure rules withhold it. */
export interface PublishedRateSegment {
  department: string | null;
  invited: Count;
  started: Count;
  submitted: Count;
  personal: { invited: Count; started: Count; submitted: Count };
  shared: { started: Count; submitted: Count; headcount: number | null; rate: number | null };
  other: { submitted: Count };
  rate: number | null;
  rateReason: RateReason | null;
  /** Counts withheld under the anonymity rules (dotted paths, e.g. "personal.submitted"); empty when none. */
  suppressed: string[];
}

export interface ResponseRates {
  roundId: string;
  anonymityThreshold: number;
  basis: { code: 'personal_by_invitation_shared_by_self_report'; description: string };
  forms: Array<{ form: Form; segments: PublishedRateSegment[]; total: PublishedRateSegment }>;
  total: PublishedRateSegment;
}

export const RATES_BASIS_DESCRIPTION =
  'Invited: personal invitations by the department in the uploaded list (revoked ones only if started). ' +
  'Started/submitted: personal links by the invitation department, shared links by the department the respondent chose. ' +
  'Rate: personal submitted / personal invited (shared links have no invited count); no rate below k invitations. ' +
  'Counts of 1 to k-1, and counts from which one could be derived by subtraction, are withheld (null).';

const NONE = '\u0000none';

/** Applies the disclosure decision to one segment (form and department, or a total). */
function publish(s: RateSegment, form: string, segment: string, d: CountDisclosure): PublishedRateSegment {
  const suppressed: string[] = [];
  const c = (statistic: CountStatistic, part: CountPart, path: string, v: number): Count => {
    if (d.published({ form, segment, part, statistic })) return v;
    suppressed.push(path);
    return null;
  };
  const out: PublishedRateSegment = {
    department: s.department,
    invited: c('invited', 'all', 'invited', s.invited),
    started: c('started', 'all', 'started', s.started),
    submitted: c('submitted', 'all', 'submitted', s.submitted),
    personal: {
      invited: c('invited', 'personal', 'personal.invited', s.personal.invited),
      started: c('started', 'personal', 'personal.started', s.personal.started),
      submitted: c('submitted', 'personal', 'personal.submitted', s.personal.submitted),
    },
    shared: {
      started: c('started', 'shared', 'shared.started', s.shared.started),
      submitted: c('submitted', 'shared', 'shared.submitted', s.shared.submitted),
      headcount: s.shared.headcount,
      rate: s.shared.rate,
    },
    other: { submitted: c('submitted', 'other', 'other.submitted', s.other.submitted) },
    rate: s.rate,
    rateReason: s.rateReason,
    suppressed,
  };
  // A rate is its two counts in another form: shown only when both are.
  if (out.rate !== null && (out.personal.submitted === null || out.personal.invited === null)) {
    out.rate = null;
    out.rateReason = 'count_suppressed';
  }
  if (out.shared.rate !== null && out.shared.submitted === null) out.shared.rate = null;
  return out;
}

function segment(department: string | null): RateSegment {
  return {
    department,
    invited: 0,
    started: 0,
    submitted: 0,
    personal: { invited: 0, started: 0, submitted: 0 },
    shared: { started: 0, submitted: 0, headcount: null, rate: null },
    other: { submitted: 0 },
    rate: null,
    rateReason: null,
  };
}

function finish(s: RateSegment, k: number): RateSegment {
  s.invited = s.personal.invited;
  s.started = s.personal.started + s.shared.started + s.other.submitted;
  s.submitted = s.personal.submitted + s.shared.submitted + s.other.submitted;
  if (s.personal.invited === 0) s.rateReason = 'no_personal_invitations';
  else if (s.personal.invited < k) s.rateReason = 'fewer_than_k_invitations';
  else s.rate = Math.min(100, (100 * s.personal.submitted) / s.personal.invited);
  // A shared link's rate only against a headcount HR entered, and only from k people on.
  const hc = s.shared.headcount;
  s.shared.rate = hc !== null && hc >= k ? Math.min(100, (100 * s.shared.submitted) / hc) : null;
  return s;
}

function add(into: RateSegment, s: RateSegment) {
  into.personal.invited += s.personal.invited;
  into.personal.started += s.personal.started;
  into.personal.submitted += s.personal.submitted;
  into.shared.started += s.shared.started;
  into.shared.submitted += s.shared.submitted;
  into.other.submitted += s.other.submitted;
  if (s.shared.headcount !== null) into.shared.headcount = (into.shared.headcount ?? 0) + s.shared.headcount;
}

export async function responseRates(
  db: Db,
  round: { id: string; departments: string[]; anonymity_threshold: number; headcounts?: Record<string, Record<string, number>> },
): Promise<ResponseRates> {
  const k = effectiveK(round.anonymity_threshold);
  const [personal, shared, other] = await Promise.all([
    db
      .selectFrom('invitations')
      .select((eb) => [
        'form',
        'department',
        eb.fn.countAll<number>().filterWhere((w) => w.or([w('revoked_at', 'is', null), w('started_at', 'is not', null)])).as('invited'),
        eb.fn.count<number>('started_at').as('started'),
        eb.fn.count<number>('submitted_at').as('submitted'),
      ])
      .where('round_id', '=', round.id)
      .where('kind', '=', 'personal')
      .groupBy(['form', 'department'])
      .execute(),
    db
      .selectFrom('responses')
      .select((eb) => [
        'form',
        'department',
        eb.fn.countAll<number>().as('started'),
        eb.fn.countAll<number>().filterWhere('status', '=', 'submitted').as('submitted'),
      ])
      .where('round_id', '=', round.id)
      .where('link_kind', '=', 'shared')
      .groupBy(['form', 'department'])
      .execute(),
    // Imported and demo responses: no link, always submitted (so the demo round's page shows what its results show).
    db
      .selectFrom('responses')
      .select((eb) => ['form', 'department', eb.fn.countAll<number>().as('submitted')])
      .where('round_id', '=', round.id)
      .where('link_kind', 'is', null)
      .where('status', '=', 'submitted')
      .groupBy(['form', 'department'])
      .execute(),
  ]);

  const total = segment(null);
  const forms = FORMS.map((form) => {
    const byDept = new Map<string | null, RateSegment>(round.departments.map((d) => [d, segment(d)]));
    const get = (d: string | null) => {
      let s = byDept.get(d);
      if (!s) byDept.set(d, (s = segment(d)));
      return s;
    };
    for (const r of personal.filter((r) => r.form === form)) {
      const s = get(r.department);
      s.personal.invited += Number(r.invited);
      s.personal.started += Number(r.started);
      s.personal.submitted += Number(r.submitted);
    }
    for (const r of shared.filter((r) => r.form === form)) {
      const s = get(r.department);
      s.shared.started += Number(r.started);
      s.shared.submitted += Number(r.submitted);
    }
    for (const r of other.filter((r) => r.form === form)) get(r.department).other.submitted += Number(r.submitted);
    for (const [dept, n] of Object.entries(round.headcounts?.[form] ?? {})) get(dept).shared.headcount = n;
    // The round's departments in its order, others alphabetically, "no department" last.
    const extra = [...byDept.keys()].filter((d): d is string => d !== null && !round.departments.includes(d)).sort();
    const order: (string | null)[] = [...round.departments, ...extra, ...(byDept.has(null) ? [null] : [])];
    const formTotal = segment(null);
    const segments = order.map((d) => {
      const s = byDept.get(d)!;
      add(formTotal, s);
      return finish(s, k);
    });
    add(total, formTotal);
    return { form, segments, total: finish(formTotal, k) };
  });
  finish(total, k);

  const disclosure = discloseCounts(
    { forms: forms.map((f) => ({ form: f.form, segments: f.segments.map((s) => ({ key: s.department ?? NONE, cell: s })) })) },
    k,
  );
  return {
    roundId: round.id,
    anonymityThreshold: k,
    basis: { code: 'personal_by_invitation_shared_by_self_report', description: RATES_BASIS_DESCRIPTION },
    forms: forms.map((f) => ({
      form: f.form,
      segments: f.segments.map((s) => publish(s, f.form, s.department ?? NONE, disclosure)),
      total: publish(f.total, f.form, COUNT_TOTAL, disclosure),
    })),
    total: publish(total, COUNT_TOTAL, COUNT_TOTAL, disclosure),
  };
}
