// Contracts of the invitations feature: the zod schemas of what the invitation and mail routes answer,
// shared by the routes (validation, OpenAPI), the web pages and the CLI. Types come from z.infer.
import { z } from 'zod';
import { FORMS } from '../../scans/index.js';

export const invitationSchema = z
  .object({
    id: z.uuid(),
    roundId: z.uuid(),
    kind: z.enum(['shared', 'personal']),
    form: z.enum(FORMS),
    email: z.string().nullable(),
    department: z.string().nullable(),
    maxResponses: z.number().int().nullable(),
    uses: z.number().int().describe('Shared: responses started through the link. Personal: always 0 (who responded is not shown; see response-rates for counts)'),
    startedAt: z.iso.datetime().nullable().describe('Shared: first start. Personal: always null (who responded is not shown)'),
    submittedAt: z.iso.datetime().nullable().describe('Always null for personal invitations (who responded is not shown)'),
    createdAt: z.iso.datetime(),
    revokedAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'Invitation' });

export const headcountsSchema = z
  .partialRecord(z.enum(FORMS), z.record(z.string().min(1).max(200), z.number().int().min(1).max(1_000_000)))
  .describe('Per form, per department: the number of people the shared link is meant for (base of a shared-link rate)');

export const invitationSettingsSchema = z
  .object({
    selfSendLinks: z.boolean().describe('True: HR sends the personal links (mail merge download); HR then holds every link. False (default): the platform mails each person'),
    headcounts: headcountsSchema,
    mailTransport: z.enum(['outbox', 'smtp']).describe('outbox: messages are stored and shown in the Outbox, not sent'),
  })
  .meta({ id: 'InvitationSettings' });

export const mailBatchSchema = z
  .object({
    id: z.uuid(),
    roundId: z.uuid(),
    kind: z.enum(['invitation', 'reminder']),
    form: z.enum(FORMS).nullable(),
    scheduledFor: z.iso.datetime().nullable(),
    createdAt: z.iso.datetime(),
    status: z.enum(['scheduled', 'waiting_for_opening', 'queued', 'sending', 'sent', 'partly_failed', 'failed', 'cancelled', 'empty']),
    recipients: z.number().int().describe('How many messages the batch holds (for a reminder: how many had not submitted)'),
    queued: z.number().int(),
    sent: z.number().int(),
    failed: z.number().int(),
    failures: z.array(z.object({ reason: z.string(), count: z.number().int() })),
    failedAddresses: z.array(z.string()).describe('Invitation batches only; reminders never name recipients'),
  })
  .meta({ id: 'MailBatch' });

export const outboxMessageSchema = z
  .object({
    id: z.uuid(),
    roundId: z.uuid(),
    roundName: z.string(),
    organisationName: z.string(),
    kind: z.enum(['invitation', 'reminder']),
    to: z.string().nullable().describe('Null for reminders: who was reminded is not shown'),
    language: z.enum(['nl', 'en']),
    subject: z.string().nullable(),
    status: z.enum(['queued', 'sending', 'sent', 'failed']),
    attempts: z.number().int(),
    error: z.string().nullable(),
    createdAt: z.iso.datetime(),
    sentAt: z.iso.datetime().nullable(),
    viewable: z.boolean().describe('The body is stored (outbox transport) and can be opened'),
  })
  .meta({ id: 'OutboxMessage' });

export type Invitation = z.infer<typeof invitationSchema>;
export type InvitationSettings = z.infer<typeof invitationSettingsSchema>;
export type MailBatch = z.infer<typeof mailBatchSchema>;
export type OutboxMessage = z.infer<typeof outboxMessageSchema>;

export const issuedLinkSchema = z.object({
  id: z.uuid(),
  email: z.string(),
  department: z.string().nullable(),
  form: z.enum(FORMS),
  token: z.string(),
  link: z.string().describe('Shown once: only a hash of the token is stored'),
});

export const personalInvitationsResultSchema = z
  .object({
    form: z.enum(FORMS),
    created: z.number().int(),
    alreadyInvited: z.array(z.object({ line: z.number().int(), email: z.string() })).describe('Not changed, no new link'),
    delivery: z.enum(['platform', 'self']).describe('platform: the platform mails each person their link (no links in this answer); self: the round sends its own links (mail merge)'),
    batchId: z.uuid().nullable().describe('The invitation mail batch (delivery platform); follow it at GET /api/v1/rounds/{roundId}/mail-batches'),
    invitations: z.array(issuedLinkSchema).describe('Only with delivery self'),
    csv: z.string().nullable().describe('Only with delivery self: the same links as CSV (email,department,form,link) for a mail merge'),
  })
  .meta({ id: 'PersonalInvitations' });

/** The personal links as CSV for a mail merge. */
export const linksCsvSchema = z.string().describe('email,department,form,link');

/** Which form a link is for (query of the link routes; employee when left out). */
export const formQuerySchema = z.object({ form: z.enum(FORMS).default('employee') });

export type IssuedLinkView = z.infer<typeof issuedLinkSchema>;
export type PersonalInvitationsResult = z.infer<typeof personalInvitationsResultSchema>;
