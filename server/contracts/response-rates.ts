// Contracts of response tracking: GET /api/v1/rounds/:roundId/response-rates as the API answers it (see server/rounds/response-rates.ts).
import { z } from 'zod';
import { FORMS } from '../../scans/index.js';

const count = z.number().int().min(0).nullable().describe('null: withheld under the anonymity rules (fewer than k, or derivable by subtraction)');

export const rateSegmentSchema = z
  .object({
    department: z.string().nullable().describe('null: no department (not in the invitation list, or not stated)'),
    invited: count,
    started: count.describe('Started, including those who submitted (personal + shared links + other)'),
    submitted: count,
    personal: z.object({ invited: count, started: count, submitted: count }),
    shared: z.object({
      started: count,
      submitted: count,
      headcount: z.number().int().min(0).nullable().describe('Headcount HR entered for the department (invitation settings), if any'),
      rate: z.number().min(0).max(100).nullable().describe('Percent: shared submitted / headcount; only with a headcount of at least k'),
    }),
    other: z.object({ submitted: count }).describe('Responses without a link (CSV import, demo data)'),
    rate: z.number().min(0).max(100).nullable().describe('Percent: personal submitted / personal invited'),
    rateReason: z.enum(['fewer_than_k_invitations', 'no_personal_invitations', 'count_suppressed']).nullable(),
    suppressed: z.array(z.string()).describe('Counts withheld under the anonymity rules, as paths (e.g. "personal.submitted")'),
  })
  .meta({ id: 'ResponseRateSegment' });

export const responseRatesSchema = z
  .object({
    roundId: z.uuid(),
    anonymityThreshold: z.number().int(),
    basis: z.object({ code: z.literal('personal_by_invitation_shared_by_self_report'), description: z.string() }),
    forms: z.array(z.object({ form: z.enum(FORMS), segments: z.array(rateSegmentSchema), total: rateSegmentSchema })),
    total: rateSegmentSchema,
  })
  .meta({ id: 'ResponseRates' });
