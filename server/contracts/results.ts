// Contracts of the results feature: the zod schema of the extra result sections (issue 17: management
// roles, who learns less, the optional modules) as the API answers them, shared by the route
// (validation, OpenAPI) and any page or client that reads them. Types come from z.infer.
import { z } from 'zod';

const localized = z.object({ nl: z.string(), en: z.string() });
const mech = z.object({ mechanismId: z.string(), mean: z.number().nullable(), n: z.number().int().nullable() });
const groupRef = { group: z.string(), dimension: z.string().nullable(), key: z.string(), label: localized, hidden: z.boolean() };

export const resultExtrasSchema = z
  .object({
    k: z.number().int(),
    roles: z.object({ groups: z.array(z.object({ ...groupRef, n: z.number().int().nullable(), mechanisms: z.array(mech) })) }).describe('Management form per role (HR, line manager, director)'),
    learnsLess: z.object({
      groups: z.array(
        z.object({
          id: z.string(),
          label: localized,
          basis: z.string(),
          hidden: z.boolean(),
          group: z.object({ n: z.number().int().nullable(), mechanisms: z.array(mech) }),
          rest: z.object({ n: z.number().int().nullable(), mechanisms: z.array(mech) }),
          advice: z.array(localized),
        }),
      ),
    }),
    motivation: z.object({
      included: z.boolean(),
      groups: z.array(
        z.object({
          ...groupRef,
          profile: z
            .object({
              n: z.number().int(),
              facets: z.array(z.object({ facet: z.string(), n: z.number().int(), mean: z.number().nullable() })),
              wantOverMust: z.object({ n: z.number().int(), percent: z.number().nullable() }),
            })
            .nullable(),
          weakest: z.string().nullable(),
          move: localized.nullable(),
        }),
      ),
    }),
    learningMix: z.object({
      included: z.boolean(),
      model: z.object({ experience: z.number(), others: z.number(), formal: z.number() }).describe('The 70-20-10 model (Jennings, 2011): a model, not a norm'),
      groups: z.array(
        z.object({
          ...groupRef,
          mix: z
            .object({
              n: z.number().int(),
              ways: z.array(z.object({ way: z.string(), count: z.number().int(), percent: z.number() })),
              model: z.array(z.object({ part: z.string(), percent: z.number(), modelPercent: z.number() })),
            })
            .nullable(),
        }),
      ),
    }),
    open: z.object({
      included: z.boolean(),
      minimum: z.number().int().describe('Open answers are shown only for groups of at least this many answers'),
      groups: z.array(
        z.object({
          ...groupRef,
          prompts: z
            .array(
              z.object({
                prompt: z.string(),
                n: z.number().int(),
                answers: z.array(z.string()).describe('Without order or attribution'),
                themes: z.array(z.object({ id: z.string(), label: localized, count: z.number().int() })),
              }),
            )
            .nullable(),
        }),
      ),
    }),
  })
  .meta({ id: 'ResultExtras' });

export type ResultExtrasView = z.infer<typeof resultExtrasSchema>;
