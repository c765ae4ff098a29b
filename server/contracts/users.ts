// Contracts of an organisation's staff users: the user as the API answers it and the bodies that add
// or change one, shared by the routes and the administration page.
import { z } from 'zod';

export const organisationUserRoleSchema = z.enum(['hr', 'director']);

export const organisationUserSchema = z
  .object({
    id: z.uuid(),
    email: z.string(),
    name: z.string(),
    role: organisationUserRoleSchema,
    createdAt: z.iso.datetime(),
    disabled: z.boolean(),
    pending: z.boolean().describe('Invited and not yet signed up through the link'),
  })
  .meta({ id: 'OrganisationUser' });

export const organisationUserCreateSchema = z.strictObject({
  email: z.email().max(254),
  name: z.string().trim().min(1).max(200),
  password: z.string().max(1024).optional().describe('Initial password, at least 12 characters; omit to invite by mail'),
  role: organisationUserRoleSchema,
  language: z.enum(['nl', 'en']).default('nl').describe('Language of the invitation mail'),
});

export const organisationUserPatchSchema = z.strictObject({ role: organisationUserRoleSchema.optional(), disabled: z.boolean().optional() });

export type OrganisationUser = z.infer<typeof organisationUserSchema>;
