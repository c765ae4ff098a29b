// The A4 poster of a shared link (HR, consultant, API token): the QR code, the link, the closing date
// and the anonymity promise, in the round's language of choice. Only a hash of a link's token is
// stored, so the caller hands in the link it was given (in the body, never in a URL); the poster is
// made only for a live shared link of this round.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { MANAGE_ROLES, requireRound } from '../../auth/access.js';
import { withTenantScope } from '../../auth/tenant-scope.js';
import { ConflictError, NotFoundError, ValidationFailedError } from '../../lib/errors.js';
import { problemSchema } from '../../lib/problem-schema.js';
import { contentDisposition } from '../../reports/input.js';
import { surveyLink } from '../../rounds/invitations.js';
import { invitationHash } from '../../rounds/responses.js';
import { LANGUAGES } from '../../../scans/types.js';

const errors = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema, 409: problemSchema };

/** The token of a link as given: the bare token, or the whole link `${publicUrl}/s/<token>`. */
function tokenOf(value: string): string {
  const m = /\/s\/([^/?#\s]+)/.exec(value);
  return (m ? m[1]! : value).trim();
}

const posterRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/api/v1/rounds/:roundId/invitations/shared/poster',
    {
      preHandler: app.requireAuth,
      schema: {
        tags: ['invitations'],
        summary: 'A printable A4 poster (PDF) of a shared link, for staff without email',
        description:
          'The QR code and the text of the link, until when the round is open, and the anonymity promise in plain words, branded with the consultancy. ' +
          'Only a hash of a link is stored, so the body carries the link (or its token) as returned when it was made. One poster per language: a language other than the round\'s first opens the questionnaire in that language (`?lang=`).',
        params: z.object({ roundId: z.string() }),
        body: z.strictObject({
          link: z.string().min(16).max(2000).describe('The shared link (or its token) as returned by POST /api/v1/rounds/{roundId}/invitations/shared'),
          lang: z.enum(LANGUAGES).optional().describe('Default: the round\'s first language'),
        }),
        response: { 200: z.any().describe('application/pdf (binary)'), ...errors },
      },
    },
    async (request, reply) => {
      const p = app.principalOf(request);
      const token = tokenOf(request.body.link);
      const found = await withTenantScope(app.db, p, async (tx) => {
        const { round } = await requireRound(tx, p, request.params.roundId, MANAGE_ROLES);
        const invitation = await tx
          .selectFrom('invitations')
          .select(['form', 'revoked_at'])
          .where('round_id', '=', round.id)
          .where('kind', '=', 'shared')
          .where('token_hash', '=', invitationHash(token))
          .executeTakeFirst();
        const brand = await tx
          .selectFrom('consultancies')
          .select(['name', 'accent_color', 'logo', 'logo_mime'])
          .where('id', '=', round.consultancy_id)
          .executeTakeFirstOrThrow();
        return { round, invitation, brand };
      });
      const { round, invitation, brand } = found;
      if (!invitation) throw new NotFoundError('Shared link');
      if (invitation.revoked_at) throw new ConflictError('link_revoked', 'This shared link was withdrawn; make a new one for the poster');
      if (round.status === 'closed') throw new ConflictError('round_closed', 'The round is closed; a poster would invite people to a questionnaire that no longer opens');
      const languages = round.languages as string[];
      const lang = request.body.lang ?? (languages[0] === 'en' ? 'en' : 'nl');
      if (!languages.includes(lang)) throw new ValidationFailedError('The round is not in this language', [{ path: 'body.lang', message: `The round is in ${languages.join(', ')}` }]);
      const base = surveyLink(app.config.publicUrl, token);
      const link = lang === languages[0] ? base : `${base}?lang=${lang}`;
      // Loaded on the first poster: pdfmake, canvas and chart.js stay out of the server's start-up.
      const { renderPoster } = await import('../../reports/render.js');
      const pdf = await renderPoster({
        lang,
        form: invitation.form,
        link,
        organisationName: round.organisation_name,
        closesAt: round.closes_at ? round.closes_at.toISOString() : null,
        anonymityThreshold: round.anonymity_threshold,
        isDemo: round.is_demo,
        branding: { name: brand.name, accentColor: brand.accent_color, logo: brand.logo, logoMime: brand.logo_mime },
      });
      const fileName = `poster-${invitation.form === 'management' ? 'management-hr' : lang === 'nl' ? 'medewerkers' : 'employees'}-${lang}.pdf`;
      return reply.type('application/pdf').header('content-disposition', contentDisposition(fileName)).header('cache-control', 'private, no-store').send(pdf);
    },
  );
};

export default posterRoutes;
