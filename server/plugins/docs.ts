// OpenAPI 3.1 generated from the zod route schemas, at /docs/json, browsable at /docs.
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import fp from 'fastify-plugin';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';

export default fp(
  async (app) => {
    await app.register(swagger, {
      openapi: {
        openapi: '3.1.0',
        info: {
          title: 'Leercultuurscan API',
          version: '1',
          description: 'Culture scan, SME policy checklist, LLO dialogue model, results, benchmarks and reports. Errors are RFC 9457 application/problem+json with a stable `code`.',
        },
        tags: [
          { name: 'health', description: 'Liveness and readiness' },
          { name: 'auth', description: 'Staff sign-in, sessions and CSRF' },
          { name: 'organisations', description: 'Client organisations of a consultancy account' },
          { name: 'users', description: 'HR users and directors of an organisation' },
          { name: 'consultancy', description: 'The consultancy account: report branding and consultants' },
          { name: 'api-tokens', description: 'API tokens for integrations (Bearer), shown once, stored hashed' },
          { name: 'data-rights', description: 'Export an organisation, delete a round, retention' },
          { name: 'instruments', description: 'Questionnaires, checklist and dialogue model' },
          { name: 'rounds', description: 'Scan rounds: create, change, open, close, reopen; response tracking' },
          { name: 'invitations', description: 'Shared and personal survey links (CSV upload and mail-merge export)' },
          { name: 'survey', description: 'Respondent API: no sign-in, the survey token is the key' },
          { name: 'checklist', description: 'SME policy checklist per round' },
          { name: 'placements', description: 'LLO dialogue-model placements per round' },
          { name: 'results', description: 'The result model of a round (JSON, tidy CSV) and anonymised raw answers' },
          { name: 'benchmarks', description: 'Custom benchmark sets (CSV upload) and the benchmark set of a round' },
          { name: 'imports', description: 'Import responses from another survey tool (CSV)' },
          { name: 'reports', description: 'PDF reports (client report, director summary) and report batches' },
        ],
        components: {
          securitySchemes: {
            session: { type: 'apiKey', in: 'cookie', name: 'lcs_session' },
            bearer: { type: 'http', scheme: 'bearer' },
          },
        },
      },
      transform: jsonSchemaTransform,
      transformObject: jsonSchemaTransformObject,
    });
    await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true });
  },
  { name: 'docs' },
);
