// Contracts of the audit log: the zod schema of an audit event as the API answers it, shared by the
// route and the audit page.
import { z } from 'zod';
import { AUDIT_ACTIONS } from '../audit/record.js';

export const auditEventSchema = z
  .object({
    id: z.number().int(),
    occurredAt: z.iso.datetime(),
    action: z.enum(AUDIT_ACTIONS),
    organisationId: z.uuid().nullable(),
    organisationName: z.string().nullable(),
    roundId: z.uuid().nullable(),
    roundName: z.string().nullable(),
    actor: z.object({ kind: z.enum(['user', 'token']), userId: z.uuid().nullable(), tokenId: z.uuid().nullable(), label: z.string() }),
    ip: z.string().nullable(),
    detail: z.string().nullable(),
  })
  .meta({ id: 'AuditEvent' });

export type AuditEvent = z.infer<typeof auditEventSchema>;
