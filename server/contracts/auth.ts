// Contracts of staff sign-in and two-factor authentication: the zod schemas of a staff session, an
// MFA challenge, a token's identity, the MFA status and the code body, shared by the routes
// (validation, OpenAPI), the web pages and the CLI. Types come from z.infer.
import { z } from 'zod';
import { publicUserSchema, roleGrantSchema } from '../auth/identity.js';

export const staffSessionSchema = z
  .object({
    kind: z.literal('user'),
    user: publicUserSchema,
    roles: z.array(roleGrantSchema),
    csrfToken: z.string(),
    mfaSetupRequired: z.boolean().describe('true: a consultancy requires two-factor sign-in; until it is set up only /api/v1/auth/* works'),
  })
  .meta({ id: 'StaffSession' });

export const mfaChallengeSchema = z
  .object({
    kind: z.literal('mfa_required'),
    challenge: z.string().describe('Send with a code to POST /api/v1/auth/login/mfa within 5 minutes'),
    methods: z.array(z.enum(['totp', 'recovery_code'])),
  })
  .meta({ id: 'MfaChallenge' });

export const tokenIdentitySchema = z.object({
  kind: z.literal('token'),
  tokenId: z.uuid(),
  consultancyId: z.uuid().nullable(),
  organisationId: z.uuid().nullable(),
});

export const mfaStatusSchema = z
  .object({ enabled: z.boolean(), required: z.boolean(), recoveryCodesLeft: z.number().int() })
  .meta({ id: 'MfaStatus' });

export const mfaCodeBodySchema = z.strictObject({ code: z.string().trim().min(6).max(20).describe('6-digit code from the app, or a recovery code') });

export type StaffSessionView = z.infer<typeof staffSessionSchema>;
export type MfaChallengeView = z.infer<typeof mfaChallengeSchema>;
export type TokenIdentityView = z.infer<typeof tokenIdentitySchema>;
export type MfaStatusView = z.infer<typeof mfaStatusSchema>;
