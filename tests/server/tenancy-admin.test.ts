// Administration in the app (issue 18 item 2): changing, disabling and re-inviting users of another
// tenant's organisation, tried by each user and token of an attacking tenant.
import { describeTenancy, type RouteCase } from '../helpers/tenancy.js';

const cases: RouteCase[] = [
  { name: 'PATCH /api/v1/organisations/:id/users/:userId (role)', method: 'PATCH', url: (v) => `/api/v1/organisations/${v.organisationId}/users/${v.director.id}`, payload: () => ({ role: 'hr' }) },
  { name: 'PATCH /api/v1/organisations/:id/users/:userId (disable)', method: 'PATCH', url: (v) => `/api/v1/organisations/${v.organisationId}/users/${v.hr.id}`, payload: () => ({ disabled: true }) },
  { name: 'POST /api/v1/organisations/:id/users (invite)', method: 'POST', url: (v) => `/api/v1/organisations/${v.organisationId}/users`, payload: () => ({ email: 'plant@example.nl', name: 'Plant', role: 'hr' }) },
  { name: 'POST /api/v1/organisations/:id/users/:userId/invitation', method: 'POST', url: (v) => `/api/v1/organisations/${v.organisationId}/users/${v.director.id}/invitation`, payload: () => ({}) },
];

describeTenancy('user administration', cases);
