// Client organisations of a consultancy account. Consultants see and manage every organisation of
// their account; HR and directors see their own. Reads and writes run inside withTenantScope, so on
// PostgreSQL row-level security backs up the application's checks.
import { recordOrganisationAccess } from '../../audit/record.js';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { MANAGE_ROLES, READ_ROLES, rolesInOrganisation, requireOrganisation, visibleOrganisationsFilter } from '../../auth/access.js';
import { actingConsultancy } from '../../auth/consultancy.js';
import type { Principal } from '../../auth/principal.js';
import { withAccountScope, withTenantScope } from '../../auth/tenant-scope.js';
import { ConflictError } from '../../lib/errors.js';
import { problemSchema } from '../../lib/problem-schema.js';
import { organisationSchema, SECTOR_IDS, SECTORS, SIZE_CLASS_IDS, SIZE_CLASSES } from '../../contracts/organisations.js';

const labelSchema = z.object({ nl: z.string(), en: z.string() });

const idParams = z.object({ id: z.string() });
const name = z.string().trim().min(1).max(200);
const retentionMonths = z.number().int().min(1).max(120).nullable();

interface OrganisationRow {
  id: string;
  consultancy_id: string;
  name: string;
  sector: string;
  size_class: 'micro' | 'small' | 'medium' | 'large';
  retention_months: number | null;
  is_demo: boolean;
  created_at: Date;
}

export function toOrganisation(row: OrganisationRow, p: Principal): z.infer<typeof organisationSchema> {
  return {
    id: row.id,
    consultancyId: row.consultancy_id,
    name: row.name,
    sector: row.sector,
    sizeClass: row.size_class,
    retentionMonths: row.retention_months,
    isDemo: row.is_demo,
    createdAt: row.created_at.toISOString(),
    yourRoles: rolesInOrganisation(p, row),
  };
}

const organisationsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/v1/sectors',
    {
      schema: {
        tags: ['organisations'],
        summary: 'The fixed sector and size-class lists, with Dutch and English labels',
        response: {
          200: z.object({
            sectors: z.array(z.object({ id: z.string(), label: labelSchema })),
            sizeClasses: z.array(z.object({ id: z.string(), label: labelSchema })),
          }),
        },
      },
    },
    async () => ({ sectors: SECTORS.map((s) => ({ ...s })), sizeClasses: SIZE_CLASSES.map((s) => ({ ...s })) }),
  );

  app.get(
    '/api/v1/organisations',
    {
      preHandler: app.requireAuth,
      schema: {
        tags: ['organisations'],
        summary: "The caller's visible organisations",
        response: { 200: z.object({ organisations: z.array(organisationSchema) }), 401: problemSchema },
      },
    },
    async (request) => {
      const p = app.principalOf(request);
      const rows = await withTenantScope(app.db, p, (tx) =>
        tx.selectFrom('organisations').selectAll().where(visibleOrganisationsFilter(p)).orderBy('name').orderBy('id').execute(),
      );
      return { organisations: rows.map((r) => toOrganisation(r, p)) };
    },
  );

  app.post(
    '/api/v1/organisations',
    {
      preHandler: app.requireAuth,
      schema: {
        tags: ['organisations'],
        summary: 'Create a client organisation in the consultancy account (consultants)',
        body: z.strictObject({
          name,
          sector: z.enum(SECTOR_IDS),
          sizeClass: z.enum(SIZE_CLASS_IDS),
          retentionMonths: retentionMonths.optional(),
          consultancyId: z.uuid().optional().describe('Only needed by a consultant of more than one account'),
        }),
        response: { 201: organisationSchema, 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema },
      },
    },
    async (request, reply) => {
      const p = app.principalOf(request);
      const consultancyId = actingConsultancy(p, request.body.consultancyId);
      const row = await withTenantScope(app.db, p, (tx) =>
        tx
          .insertInto('organisations')
          .values({
            consultancy_id: consultancyId,
            name: request.body.name,
            sector: request.body.sector,
            size_class: request.body.sizeClass,
            retention_months: request.body.retentionMonths ?? null,
          })
          .returningAll()
          .executeTakeFirstOrThrow(),
      );
      await recordOrganisationAccess(app.db, request, 'organisation.create', row, row.name);
      return reply.code(201).send(toOrganisation(row, p));
    },
  );

  app.get(
    '/api/v1/organisations/:id',
    {
      preHandler: app.requireAuth,
      schema: {
        tags: ['organisations'],
        summary: 'One organisation',
        params: idParams,
        response: { 200: organisationSchema, 401: problemSchema, 404: problemSchema },
      },
    },
    async (request) => {
      const p = app.principalOf(request);
      const { organisation } = await withTenantScope(app.db, p, (tx) => requireOrganisation(tx, p, request.params.id, READ_ROLES));
      return toOrganisation(organisation, p);
    },
  );

  app.patch(
    '/api/v1/organisations/:id',
    {
      preHandler: app.requireAuth,
      schema: {
        tags: ['organisations'],
        summary: 'Change name, sector, size class or retention (consultants and HR)',
        params: idParams,
        body: z.strictObject({
          name: name.optional(),
          sector: z.enum(SECTOR_IDS).optional(),
          sizeClass: z.enum(SIZE_CLASS_IDS).optional(),
          retentionMonths: retentionMonths.optional(),
        }),
        response: { 200: organisationSchema, 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema },
      },
    },
    async (request) => {
      const p = app.principalOf(request);
      const b = request.body;
      const row = await withTenantScope(app.db, p, async (tx) => {
        const { organisation } = await requireOrganisation(tx, p, request.params.id, MANAGE_ROLES);
        const changes = {
          ...(b.name !== undefined ? { name: b.name } : {}),
          ...(b.sector !== undefined ? { sector: b.sector } : {}),
          ...(b.sizeClass !== undefined ? { size_class: b.sizeClass } : {}),
          ...(b.retentionMonths !== undefined ? { retention_months: b.retentionMonths } : {}),
        };
        if (Object.keys(changes).length === 0) return organisation;
        return tx.updateTable('organisations').set(changes).where('id', '=', organisation.id).returningAll().executeTakeFirstOrThrow();
      });
      return toOrganisation(row, p);
    },
  );

  app.delete(
    '/api/v1/organisations/:id',
    {
      preHandler: app.requireAuth,
      schema: {
        tags: ['organisations'],
        summary: 'Delete an organisation with all its rounds, answers and users\' roles (consultants)',
        description: 'The body repeats the exact name of the organisation: {"confirm": "<name>"}; another name answers 409 and deletes nothing.',
        params: idParams,
        body: z.strictObject({ confirm: z.string().max(200) }),
        response: { 204: z.null(), 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema, 409: problemSchema },
      },
    },
    async (request, reply) => {
      const p = app.principalOf(request);
      const memberIds = await withTenantScope(app.db, p, async (tx) => {
        const { organisation } = await requireOrganisation(tx, p, request.params.id, ['consultant']);
        if (request.body.confirm !== organisation.name) {
          throw new ConflictError('confirmation_mismatch', 'To delete, send the exact name of the organisation as "confirm"');
        }
        const members = await tx.selectFrom('user_roles').select('user_id').where('organisation_id', '=', organisation.id).execute();
        await tx.deleteFrom('organisations').where('id', '=', organisation.id).execute();
        return members.map((m) => m.user_id);
      });
      // HR users and directors who belonged to nothing else go with it. This runs in the account
      // scope: inside the tenant scope, a role in another tenant would be invisible.
      if (memberIds.length > 0) {
        await withAccountScope(app.db, (tx) =>
          tx
            .deleteFrom('users')
            .where('id', 'in', memberIds)
            .where(({ not, exists, selectFrom }) => not(exists(selectFrom('user_roles').select('user_roles.id').whereRef('user_roles.user_id', '=', 'users.id'))))
            .execute(),
        );
      }
      return reply.code(204).send(null);
    },
  );
};

export default organisationsRoutes;
