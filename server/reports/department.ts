// Department reports (issue 18 item 3): what one department's report needs from the database, and
// which departments may have one. A department is reportable only when the round's published release
// shows it: the organisation view lists its group as visible (not under k, not withheld by
// complementary suppression) and the release holds its `department:<key>` view. A department that is
// hidden and one that does not exist give the same 404, so a refusal says nothing about a group.
import { visibleDepartments, type VisibleDepartment } from '../../report-templates/department-report.js';
import type { ResultModel } from '../../scans/result-model.js';
import type { Language } from '../../scans/types.js';
import type { Db } from '../db/schema.js';
import { AppError, NotFoundError } from '../lib/errors.js';
import { buildResultModel } from '../results/build.js';
import type { DepartmentRenderInput } from './department-render.js';
import { fileNameSlug, loadBranding } from './input.js';
import { assertRoundClosed } from './published.js';

export { visibleDepartments, type VisibleDepartment };

/** The refusal for a department that is hidden or unknown (identical for both). */
export const departmentNotFound = (): NotFoundError => new NotFoundError('Department');

/** The published views of a closed round a department report reads: the organisation and the department. */
export async function loadDepartmentViews(db: Db, roundId: string, key: string, now = new Date()): Promise<{ org: ResultModel; department: ResultModel; label: VisibleDepartment['label'] }> {
  await assertRoundClosed(db, roundId);
  const org = await buildResultModel(db, roundId, { now });
  const visible = visibleDepartments(org).find((d) => d.key === key);
  if (!visible) throw departmentNotFound();
  let department: ResultModel;
  try {
    department = await buildResultModel(db, roundId, { now, segment: { dimension: 'department', value: key } });
  } catch (err) {
    // The release holds no view of this group (hidden, or purged without a kept view): as unknown.
    if (err instanceof AppError && (err.code === 'segment_hidden' || err.code === 'segment_filter_unavailable')) throw departmentNotFound();
    throw err;
  }
  return { org, department, label: visible.label };
}

/** The visible departments of a closed round (its published organisation view). */
export async function loadVisibleDepartments(db: Db, roundId: string, now = new Date()): Promise<VisibleDepartment[]> {
  await assertRoundClosed(db, roundId);
  return visibleDepartments(await buildResultModel(db, roundId, { now }));
}

export async function loadDepartmentInput(db: Db, roundId: string, key: string, lang: Language, now = new Date()): Promise<DepartmentRenderInput & { fileName: string }> {
  const [{ org, department, label }, branding] = await Promise.all([loadDepartmentViews(db, roundId, key, now), loadBranding(db, roundId)]);
  const { organisationName, roundName, ...brand } = branding;
  return { type: 'department', lang, model: org, department, branding: brand, date: now.toISOString(), fileName: departmentFileName(organisationName, roundName, label[lang], lang) };
}

const slug = fileNameSlug;

/** "leercultuurscan-organisatie-meting-afdeling-verpleging-oost-nl.pdf": ASCII, no spaces. */
export function departmentFileName(organisation: string, round: string, department: string, lang: Language): string {
  const parts = ['leercultuurscan', slug(organisation), slug(round), lang === 'nl' ? 'afdeling' : 'department', slug(department), lang].filter(Boolean);
  return `${parts.join('-').replace(/-+/g, '-')}.pdf`;
}
