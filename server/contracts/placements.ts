// Contracts of the named dialogue-model placements: the zod schema of a placement by name as the API
// answers it, shared by the route and the round pages.
import { z } from 'zod';
import { QUADRANT_IDS } from '../../scans/index.js';

export const frameOut = z
  .object({ x: z.number(), y: z.number(), note: z.string().nullable(), quadrant: z.enum(QUADRANT_IDS), updatedAt: z.iso.datetime() })
  .nullable();

export const namedPlacementSchema = z
  .object({
    userId: z.uuid(),
    name: z.string(),
    group: z.enum(['director', 'hr', 'consultant']),
    frames: z.object({ past: frameOut, current: frameOut, desired: frameOut }),
  })
  .meta({ id: 'NamedPlacement' });

export type NamedPlacement = z.infer<typeof namedPlacementSchema>;
