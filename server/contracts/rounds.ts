// Contracts of the rounds feature: the zod schema of a round as the API answers it, shared by the
// routes (validation, OpenAPI), the domain's DTO mapping, the web pages and the CLI.
import { z } from 'zod';
import { LANGUAGES, MODULES } from '../../scans/index.js';
import { SURVEY_MODULES } from '../../scans/modules/definitions.js';

export const roundSchema = z
  .object({
    id: z.uuid(),
    organisationId: z.uuid(),
    name: z.string(),
    instrumentId: z.string(),
    modules: z.array(z.enum(MODULES)),
    languages: z.array(z.enum(LANGUAGES)),
    departments: z.array(z.string()),
    anonymityThreshold: z.number().int(),
    employeePlacements: z.boolean(),
    surveyModules: z.array(z.enum(SURVEY_MODULES)).describe('Optional modules asked of employees'),
    status: z.enum(['draft', 'open', 'closed']),
    answerable: z.boolean().describe('Respondents can answer now: open, and now within opensAt..closesAt where set'),
    opensAt: z.iso.datetime().nullable(),
    closesAt: z.iso.datetime().nullable(),
    openedAt: z.iso.datetime().nullable(),
    closedAt: z.iso.datetime().nullable(),
    createdAt: z.iso.datetime(),
    isDemo: z.boolean(),
  })
  .meta({ id: 'Round' });

/** What a client sees of a round. */
export type RoundDto = z.infer<typeof roundSchema>;

/** Path parameters of a round's pages and routes. */
export const roundParamsSchema = z.object({ roundId: z.uuid() });
export const roundInvitationParamsSchema = roundParamsSchema.extend({ invitationId: z.uuid() });
export const roundBatchParamsSchema = roundParamsSchema.extend({ batchId: z.uuid() });
/** Path parameters of the API's round routes: any string, so an id that is no uuid answers 404 (no such round), not 400. */
export const roundIdParamsSchema = z.object({ roundId: z.string() });
