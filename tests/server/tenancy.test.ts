// Every accounts-and-access route, tried by each user and token of another tenant. The table and the
// harness live in tests/helpers/tenancy.ts; other features add their own tenancy-<feature>.test.ts.
import { describeTenancy, type RouteCase } from '../helpers/tenancy.js';

const noConsultancy = { hr: 403, director: 403, organisationToken: 403 } as const;
const usersOnly = { organisationToken: 403, consultancyToken: 403 } as const;

export const accountCases: RouteCase[] = [
  // Lists: the attacker's own things only.
  { name: 'GET /api/v1/organisations', method: 'GET', url: () => '/api/v1/organisations', list: true },
  { name: 'GET /api/v1/api-tokens', method: 'GET', url: () => '/api/v1/api-tokens', list: true, statusFor: usersOnly },
  { name: 'GET /api/v1/auth/me', method: 'GET', url: () => '/api/v1/auth/me', list: true },
  { name: 'GET /api/v1/consultancy/branding (own)', method: 'GET', url: () => '/api/v1/consultancy/branding', list: true, statusFor: noConsultancy },
  { name: 'GET /api/v1/consultancy/consultants (own)', method: 'GET', url: () => '/api/v1/consultancy/consultants', list: true, statusFor: noConsultancy },

  // Organisations.
  { name: 'GET /api/v1/organisations/:id', method: 'GET', url: (v) => `/api/v1/organisations/${v.organisationId}` },
  { name: 'PATCH /api/v1/organisations/:id', method: 'PATCH', url: (v) => `/api/v1/organisations/${v.organisationId}`, payload: () => ({ name: 'Overgenomen', retentionMonths: 1 }) },
  { name: 'DELETE /api/v1/organisations/:id', method: 'DELETE', url: (v) => `/api/v1/organisations/${v.organisationId}`, payload: (v) => ({ confirm: v.organisationName }) },
  {
    name: 'POST /api/v1/organisations into the victim account', method: 'POST', url: () => '/api/v1/organisations',
    payload: (v) => ({ name: 'Geplant', sector: 'other', sizeClass: 'micro', consultancyId: v.consultancyId }), statusFor: noConsultancy,
  },

  // Users.
  { name: 'GET /api/v1/organisations/:id/users', method: 'GET', url: (v) => `/api/v1/organisations/${v.organisationId}/users` },
  {
    name: 'POST /api/v1/organisations/:id/users', method: 'POST', url: (v) => `/api/v1/organisations/${v.organisationId}/users`,
    payload: () => ({ email: 'insider@example.nl', name: 'Insider', password: 'insider-wachtwoord', role: 'director' }),
  },
  { name: 'DELETE /api/v1/organisations/:id/users/:userId', method: 'DELETE', url: (v) => `/api/v1/organisations/${v.organisationId}/users/${v.hr.id}` },

  // Consultancy account of the victim, named explicitly.
  { name: 'GET /api/v1/consultancy/branding?consultancyId', method: 'GET', url: (v) => `/api/v1/consultancy/branding?consultancyId=${v.consultancyId}`, statusFor: noConsultancy },
  {
    name: 'PUT /api/v1/consultancy/branding?consultancyId', method: 'PUT', url: (v) => `/api/v1/consultancy/branding?consultancyId=${v.consultancyId}`,
    payload: () => ({ name: 'Gekaapt', accentColor: '#ff0000', logo: null }), statusFor: noConsultancy,
  },
  { name: 'GET /api/v1/consultancy/branding/logo?consultancyId', method: 'GET', url: (v) => `/api/v1/consultancy/branding/logo?consultancyId=${v.consultancyId}`, statusFor: noConsultancy },
  { name: 'GET /api/v1/consultancy/consultants?consultancyId', method: 'GET', url: (v) => `/api/v1/consultancy/consultants?consultancyId=${v.consultancyId}`, statusFor: noConsultancy },
  {
    name: 'POST /api/v1/consultancy/consultants?consultancyId', method: 'POST', url: (v) => `/api/v1/consultancy/consultants?consultancyId=${v.consultancyId}`,
    payload: () => ({ email: 'mol@example.nl', name: 'Mol', password: 'mol-wachtwoord-lang' }), statusFor: { ...noConsultancy, consultancyToken: 403 },
  },

  // API tokens.
  { name: 'POST /api/v1/api-tokens for the victim organisation', method: 'POST', url: () => '/api/v1/api-tokens', payload: (v) => ({ name: 'x', organisationId: v.organisationId }), statusFor: usersOnly },
  {
    name: 'POST /api/v1/api-tokens for the victim account', method: 'POST', url: () => '/api/v1/api-tokens', payload: (v) => ({ name: 'x', consultancyId: v.consultancyId }),
    statusFor: { ...usersOnly, hr: 403, director: 403 },
  },
  { name: 'DELETE /api/v1/api-tokens/:id', method: 'DELETE', url: (v) => `/api/v1/api-tokens/${v.apiTokenId}`, statusFor: usersOnly },

  // Data rights.
  { name: 'GET /api/v1/organisations/:id/export', method: 'GET', url: (v) => `/api/v1/organisations/${v.organisationId}/export` },
  { name: 'DELETE /api/v1/rounds/:id', method: 'DELETE', url: (v) => `/api/v1/rounds/${v.roundId}`, payload: (v) => ({ confirm: v.roundName }) },
];

describeTenancy('accounts and access', accountCases);
