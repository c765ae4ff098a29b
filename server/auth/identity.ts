// What a signed-in caller sees about themselves: the user, their role grants with the names of the
// consultancy or organisation, shared by login and /auth/me.
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { DB } from '../db/schema.js';
import { accountScoped } from './tenant-scope.js';

export const publicUserSchema = z
  .object({ id: z.uuid(), email: z.string(), name: z.string() })
  .meta({ id: 'User', description: 'A staff user (never with a password hash)' });

export const roleGrantSchema = z
  .object({
    role: z.enum(['consultant', 'hr', 'director']),
    consultancyId: z.uuid().nullable(),
    consultancyName: z.string().nullable(),
    organisationId: z.uuid().nullable(),
    organisationName: z.string().nullable(),
  })
  .meta({ id: 'RoleGrant' });

export type RoleGrantView = z.infer<typeof roleGrantSchema>;

export async function roleGrantsOf(db: Kysely<DB>, userId: string): Promise<RoleGrantView[]> {
  return accountScoped(db, async (db) => {
    const rows = await db
      .selectFrom('user_roles')
      .leftJoin('organisations', 'organisations.id', 'user_roles.organisation_id')
      .leftJoin('consultancies', (j) =>
        j.on((eb) =>
          eb.or([
            eb('consultancies.id', '=', eb.ref('user_roles.consultancy_id')),
            eb('consultancies.id', '=', eb.ref('organisations.consultancy_id')),
          ]),
        ),
      )
      .select([
        'user_roles.role',
        'user_roles.consultancy_id',
        'user_roles.organisation_id',
        'organisations.name as organisation_name',
        'organisations.consultancy_id as org_consultancy_id',
        'consultancies.name as consultancy_name',
      ])
      .where('user_roles.user_id', '=', userId)
      .orderBy('user_roles.created_at')
      .execute();
    return rows.map((r) => ({
      role: r.role,
      consultancyId: r.consultancy_id ?? r.org_consultancy_id ?? null,
      consultancyName: r.consultancy_name ?? null,
      organisationId: r.organisation_id,
      organisationName: r.organisation_name ?? null,
    }));
  });
}
