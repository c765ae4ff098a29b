// Contracts of the benchmark sets feature: the zod schemas of a consultancy's benchmark set and of one
// of its values as the API answers them, shared by the routes (validation, OpenAPI), the web pages and
// the CLI. Types come from z.infer.
import { z } from 'zod';

export const benchmarkSetSchema = z
  .object({
    id: z.uuid(),
    consultancyId: z.uuid(),
    name: z.string(),
    valueCount: z.number().int(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'BenchmarkSet' });

export const benchmarkValueSchema = z.object({
  targetKind: z.enum(['scale', 'item']),
  targetId: z.string(),
  metric: z.enum(['favourable', 'mean']),
  value: z.number(),
  n: z.number().int(),
  source: z.string(),
  year: z.number().int(),
});

export type BenchmarkSetView = z.infer<typeof benchmarkSetSchema>;
export type BenchmarkValueView = z.infer<typeof benchmarkValueSchema>;
