// Contracts of the SME policy checklist: the zod schema of a round's checklist as the API answers it,
// shared by the route and the round pages.
import { z } from 'zod';
import { CHECKLIST_ANSWERS } from '../../scans/index.js';

export const localized = z.object({ nl: z.string(), en: z.string() });

export const checklistSchema = z
  .object({
    roundId: z.uuid(),
    instrumentId: z.string(),
    name: localized,
    description: localized,
    answerOptions: z.array(z.object({ value: z.enum(CHECKLIST_ANSWERS), label: localized })),
    practices: z.array(
      z.object({
        id: z.string(),
        text: localized,
        answer: z.enum(CHECKLIST_ANSWERS).nullable(),
        answeredBy: z.uuid().nullable().describe('User id; null for an API token or no answer'),
        updatedAt: z.iso.datetime().nullable(),
        published: z.object({
          figureId: z.string(),
          value: z.number().describe('Share (percent) of the population where the practice is in place'),
          description: localized,
          source: z.string(),
          year: z.number().int().nullable(),
          dataYear: z.number().int().nullable(),
          population: localized,
        }),
      }),
    ),
    summary: z.object({ yes: z.number().int(), no: z.number().int(), dontKnow: z.number().int(), unanswered: z.number().int() }),
  })
  .meta({ id: 'Checklist' });

export type Checklist = z.infer<typeof checklistSchema>;
