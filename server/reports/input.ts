// Gathers what a report needs from the database: the round's result model (the one model every output
// uses) and the branding of the consultancy the organisation belongs to. Access control is the
// caller's job (requireRound).
import type { ReportType } from '../../report-templates/index.js';
import type { ReportAction } from '../../report-templates/components.js';
import type { Language } from '../../scans/types.js';
import type { Db } from '../db/schema.js';
import { NotFoundError } from '../lib/errors.js';
import { buildResultModel } from '../results/build.js';
import { servedExtras } from '../results/modules/store.js';
import { loadLatestExtras } from '../results/served.js';
import { assertRoundClosed } from './published.js';
import type { BrandingInput, RenderInput } from './render.js';

export async function loadBranding(db: Db, roundId: string): Promise<BrandingInput & { organisationName: string; roundName: string }> {
  const row = await db
    .selectFrom('rounds')
    .innerJoin('organisations', 'organisations.id', 'rounds.organisation_id')
    .innerJoin('consultancies', 'consultancies.id', 'organisations.consultancy_id')
    .select([
      'consultancies.name as consultancy',
      'consultancies.accent_color',
      'consultancies.logo',
      'consultancies.logo_mime',
      'organisations.name as organisation',
      'rounds.name as round',
    ])
    .where('rounds.id', '=', roundId)
    .executeTakeFirst();
  if (!row) throw new NotFoundError('Round');
  return {
    name: row.consultancy,
    accentColor: row.accent_color,
    logo: row.logo ? new Uint8Array(row.logo) : null,
    logoMime: row.logo_mime,
    organisationName: row.organisation,
    roundName: row.round,
  };
}

/** What a report prints besides the result model: loaded once per request (and part of a cached PDF's key). */
export interface ReportExtrasInput {
  branding: Awaited<ReturnType<typeof loadBranding>>;
  actionPlan: ReportAction[] | undefined;
}

export async function loadReportExtrasInput(db: Db, roundId: string, type: ReportType): Promise<ReportExtrasInput> {
  const [branding, actionPlan] = await Promise.all([loadBranding(db, roundId), type === 'client' ? loadActionPlan(db, roundId) : Promise.resolve(undefined)]);
  return { branding, actionPlan };
}

export async function loadReportInput(
  db: Db,
  roundId: string,
  type: ReportType,
  lang: Language,
  now = new Date(),
  loaded?: ReportExtrasInput,
): Promise<RenderInput & { fileName: string }> {
  // Every report path (download, batch job, CLI) comes through here: no figures of an open round.
  await assertRoundClosed(db, roundId);
  const [model, { branding, actionPlan }] = await Promise.all([buildResultModel(db, roundId, { now }), loaded ? Promise.resolve(loaded) : loadReportExtrasInput(db, roundId, type)]);
  const { organisationName, roundName, ...brand } = branding;
  // Issue 17: roles, who learns less and the optional modules, as stored with the release.
  const extras = type === 'client' ? await loadLatestExtras(db, roundId) : undefined;
  return {
    type, lang, model, branding: brand, date: now.toISOString(),
    ...(extras ? { extras: servedExtras(extras) } : {}),
    fileName: reportFileName(organisationName, roundName, type, lang),
    ...(actionPlan ? { actionPlan } : {}),
  };
}

/** The actions recorded for the round, as the client report prints them. */
async function loadActionPlan(db: Db, roundId: string): Promise<ReportAction[]> {
  const rows = await db
    .selectFrom('action_plan_actions')
    .select(['title', 'source', 'mechanism_id', 'owner', 'due_date', 'status', 'item_ids', 'notes'])
    .where('round_id', '=', roundId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    title: r.title,
    source: r.source,
    mechanismId: r.mechanism_id,
    owner: r.owner,
    dueDate: r.due_date === null ? null : String(r.due_date).slice(0, 10),
    status: r.status,
    itemIds: r.item_ids,
    notes: r.notes,
  }));
}

const TYPE_NAMES: Record<ReportType, Record<Language, string>> = {
  client: { nl: 'rapport', en: 'report' },
  director: { nl: 'directiesamenvatting', en: 'director-summary' },
};

/** A name part for a file name: ASCII letters and digits joined by hyphens, at most 60 characters. */
export const fileNameSlug = (s: string): string =>
  s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
const slug = fileNameSlug;

/** "leercultuurscan-zorgcooperatie-de-eendracht-najaar-2026-rapport-nl.pdf": ASCII, no spaces. */
export function reportFileName(organisation: string, round: string, type: ReportType, lang: Language): string {
  const parts = ['leercultuurscan', slug(organisation), slug(round), TYPE_NAMES[type][lang], lang].filter(Boolean);
  return `${parts.join('-').replace(/-+/g, '-')}.pdf`;
}

/** A Content-Disposition value for a PDF download (RFC 6266: ASCII name plus UTF-8 filename*). */
export function contentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}
