// Contracts of API tokens: a token as the lists show it (never its value) and the body that creates one.
import { z } from 'zod';

export const apiTokenSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    consultancyId: z.uuid().nullable(),
    organisationId: z.uuid().nullable(),
    createdAt: z.iso.datetime(),
    lastUsedAt: z.iso.datetime().nullable(),
    revokedAt: z.iso.datetime().nullable(),
    ownedBy: z.enum(['user', 'organisation']).describe("'user': revoked with its creator; 'organisation': outlives its creator"),
    createdBy: z.uuid().nullable(),
  })
  .meta({ id: 'ApiToken' });

export const apiTokenCreateSchema = z.strictObject({
  name: z.string().trim().min(1).max(200),
  organisationId: z.uuid().optional(),
  consultancyId: z.uuid().optional(),
  ownedBy: z
    .enum(['user', 'organisation'])
    .default('user')
    .describe("'user' (default): revoked when you are removed or lose this access; 'organisation': owned by the organisation or account"),
});

export type ApiToken = z.infer<typeof apiTokenSchema>;
