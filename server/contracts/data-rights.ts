// Contracts of the data-rights feature: the zod schema of an organisation's export as the API answers
// it, shared by the route (validation, OpenAPI), the web pages and the CLI. Types come from z.infer.
import { z } from 'zod';
import { EXPORT_FORMAT } from '../data-rights/export.js';

const iso = z.iso.datetime();
const value = z.number().nullable();

export const organisationExportSchema = z
  .object({
    format: z.literal(EXPORT_FORMAT),
    exportedAt: iso,
    organisation: z.object({
      id: z.uuid(),
      consultancyId: z.uuid(),
      name: z.string(),
      sector: z.string(),
      sizeClass: z.string(),
      retentionMonths: z.number().int().nullable(),
      createdAt: iso,
    }),
    users: z.array(z.object({ id: z.uuid(), email: z.string(), name: z.string(), role: z.string(), createdAt: iso, disabled: z.boolean() })),
    rounds: z.array(
      z.object({
        id: z.uuid(),
        name: z.string(),
        instrumentId: z.string(),
        modules: z.array(z.string()),
        languages: z.array(z.string()),
        departments: z.array(z.string()),
        anonymityThreshold: z.number().int(),
        status: z.string(),
        opensAt: iso.nullable(),
        closesAt: iso.nullable(),
        openedAt: iso.nullable(),
        closedAt: iso.nullable(),
        rawPurgedAt: iso.nullable(),
        createdAt: iso,
        invitations: z.array(
          z.object({
            id: z.uuid(),
            kind: z.string(),
            form: z.string(),
            email: z.string().nullable(),
            department: z.string().nullable(),
            maxResponses: z.number().int().nullable(),
            createdAt: iso,
            revokedAt: iso.nullable(),
          }),
        ).describe('Who was invited; no per-person status (started, submitted), so nobody can be lined up with answers'),
        responsesWithheld: z
          .enum(['round_not_closed', 'below_threshold', 'raw_purged'])
          .nullable()
          .describe('Why `responses` is empty: answers are exported only for closed rounds with at least k submitted employee respondents'),
        responses: z
          .array(
            z.object({
              number: z.number().int(),
              form: z.string(),
              language: z.string().nullable().describe('"hidden" when it would narrow a row down to fewer than k'),
              background: z.object({
                department: z.string().nullable(),
                role: z.string().nullable(),
                education: z.string().nullable(),
                contract: z.string().nullable(),
                ageBand: z.string().nullable(),
              }),
              answers: z.record(z.string(), value),
              factors: z.record(z.string(), value),
              placements: z.array(z.object({ frame: z.string(), x: z.number(), y: z.number() })),
            }),
          )
          .describe(
            'Submitted responses of a closed round, the same anonymous rows as raw.csv: no ids, no timestamps, no link to invitations, in an order keyed on nothing a reader sees; ' +
              'background and language k-anonymous over their crossing (every combination occurs at least k times; coarser age/education bands or "hidden" otherwise).',
          ),
        checklist: z.array(z.object({ practiceId: z.string(), answer: z.string(), answeredBy: z.uuid().nullable(), updatedAt: iso })),
        placements: z.array(
          z.object({
            participantGroup: z.string(),
            userId: z.uuid().nullable(),
            frame: z.string(),
            x: z.number(),
            y: z.number(),
            note: z.string().nullable(),
            updatedAt: iso,
          }),
        ),
        snapshot: z.unknown().describe('Published aggregates kept after raw answers are purged'),
      }),
    ),
  })
  .meta({ id: 'OrganisationExport' });

export type OrganisationExportView = z.infer<typeof organisationExportSchema>;
