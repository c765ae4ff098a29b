// Contracts of action plans: an action and its progress across rounds as the API answers them,
// shared by the routes and the action-plan page.
import { z } from 'zod';
import { ACTION_SOURCES, ACTION_STATUSES } from '../actions/actions.js';

const localized = z.object({ nl: z.string(), en: z.string() });
export const dateString = z.iso.date().describe('YYYY-MM-DD');

export const actionSchema = z
  .object({
    id: z.uuid(),
    organisationId: z.uuid(),
    roundId: z.uuid().describe('The round whose results the action answers'),
    source: z.enum(ACTION_SOURCES),
    mechanismId: z.string(),
    title: z.string(),
    owner: z.string(),
    dueDate: z.string().nullable(),
    status: z.enum(ACTION_STATUSES),
    itemIds: z.array(z.string()),
    notes: z.string(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'Action' });

const figure = z.object({ mean: z.number().nullable(), favourable: z.number().nullable(), n: z.number().int().nullable() }).nullable();

export const actionProgressSchema = z
  .object({
    roundId: z.uuid(),
    actions: z.array(
      z.object({
        action: actionSchema,
        fromRound: z.object({ id: z.uuid(), name: z.string() }),
        items: z.array(
          z.object({
            itemId: z.string(),
            text: localized.nullable(),
            before: figure,
            after: figure,
            change: z.number().nullable(),
            difference: z
              .object({ delta: z.number(), low: z.number().nullable(), high: z.number().nullable(), verdict: z.enum(['higher', 'lower', 'no_difference', 'too_small']), metric: z.enum(['mean', 'percentage']) })
              .nullable(),
          }),
        ),
      }),
    ),
  })
  .meta({ id: 'ActionProgress' });

/** The fields an action is written with (create, and partly update). */
export const actionFields = {
  title: z.string().trim().min(1).max(200),
  owner: z.string().trim().min(1).max(120),
  dueDate: dateString.nullable().optional(),
  status: z.enum(ACTION_STATUSES).optional(),
  itemIds: z.array(z.string().max(40)).max(20).optional(),
  notes: z.string().max(4000).optional(),
};

export type Action = z.infer<typeof actionSchema>;
export type ActionProgress = z.infer<typeof actionProgressSchema>;
