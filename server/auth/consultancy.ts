// Which consultancy account a request acts for. Consultants (and API tokens bound to a consultancy)
// act for their account; HR, directors and organisation tokens have none.
import { ForbiddenError, NotFoundError } from '../lib/errors.js';
import { principalScope, type Principal } from './principal.js';

/**
 * The consultancy the caller acts for: the requested one if the caller belongs to it (else 404),
 * otherwise the oldest grant (a consultant of two accounts should pass consultancyId explicitly).
 * 403 for callers without a consultancy.
 */
export function actingConsultancy(p: Principal, requested?: string): string {
  const { consultancyIds } = principalScope(p);
  if (consultancyIds.length === 0) throw new ForbiddenError('Only consultants can do this');
  if (requested !== undefined) {
    if (!consultancyIds.includes(requested)) throw new NotFoundError('Consultancy');
    return requested;
  }
  return consultancyIds[0]!;
}

/** True when the caller is a signed-in consultant (not an API token). */
export function isConsultantUser(p: Principal): boolean {
  return p.kind === 'user' && p.roles.some((r) => r.role === 'consultant');
}
