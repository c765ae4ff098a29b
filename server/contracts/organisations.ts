// Contracts of the organisations feature, shared by the routes, the web pages and the CLI: the fixed
// lists behind organisations.sector and organisations.size_class, with labels in both product
// languages (benchmarks group by these ids, so ids never change; labels may), and the schema of an
// organisation as the API answers it.
import { z } from 'zod';

export const SECTORS = [
  { id: 'healthcare', label: { nl: 'Zorg en welzijn', en: 'Healthcare and welfare' } },
  { id: 'education', label: { nl: 'Onderwijs', en: 'Education' } },
  { id: 'government', label: { nl: 'Openbaar bestuur', en: 'Government' } },
  { id: 'industry', label: { nl: 'Industrie', en: 'Manufacturing' } },
  { id: 'construction', label: { nl: 'Bouw', en: 'Construction' } },
  { id: 'retail', label: { nl: 'Handel', en: 'Retail and wholesale' } },
  { id: 'hospitality', label: { nl: 'Horeca', en: 'Hospitality' } },
  { id: 'business_services', label: { nl: 'Zakelijke dienstverlening', en: 'Business services' } },
  { id: 'ict', label: { nl: 'ICT', en: 'ICT' } },
  { id: 'transport_logistics', label: { nl: 'Vervoer en logistiek', en: 'Transport and logistics' } },
  { id: 'finance', label: { nl: 'Financiële dienstverlening', en: 'Financial services' } },
  { id: 'agriculture', label: { nl: 'Landbouw', en: 'Agriculture' } },
  { id: 'culture_recreation', label: { nl: 'Cultuur en recreatie', en: 'Culture and recreation' } },
  { id: 'other', label: { nl: 'Overig', en: 'Other' } },
] as const;

export type SectorId = (typeof SECTORS)[number]['id'];
export const SECTOR_IDS = SECTORS.map((s) => s.id) as [SectorId, ...SectorId[]];

export const SIZE_CLASSES = [
  { id: 'micro', label: { nl: 'Micro (minder dan 10 medewerkers)', en: 'Micro (fewer than 10 employees)' } },
  { id: 'small', label: { nl: 'Klein (10 tot 50 medewerkers)', en: 'Small (10 to 49 employees)' } },
  { id: 'medium', label: { nl: 'Middelgroot (50 tot 250 medewerkers)', en: 'Medium (50 to 249 employees)' } },
  { id: 'large', label: { nl: 'Groot (250 of meer medewerkers)', en: 'Large (250 or more employees)' } },
] as const;

export type SizeClassId = (typeof SIZE_CLASSES)[number]['id'];
export const SIZE_CLASS_IDS = SIZE_CLASSES.map((s) => s.id) as [SizeClassId, ...SizeClassId[]];

export function sectorLabel(id: string, language: 'nl' | 'en'): string {
  return SECTORS.find((s) => s.id === id)?.label[language] ?? id;
}

export const organisationSchema = z
  .object({
    id: z.uuid(),
    consultancyId: z.uuid(),
    name: z.string(),
    sector: z.string(),
    sizeClass: z.enum(SIZE_CLASS_IDS),
    retentionMonths: z.number().int().nullable().describe('Raw answers of closed rounds are purged this many months after closing; null keeps them'),
    isDemo: z.boolean(),
    createdAt: z.iso.datetime(),
    yourRoles: z.array(z.enum(['consultant', 'hr', 'director', 'integration'])),
  })
  .meta({ id: 'Organisation' });

export type Organisation = z.infer<typeof organisationSchema>;
