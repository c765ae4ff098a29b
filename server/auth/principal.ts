// Who is calling: a signed-in staff user (session cookie) or an integration (API token).
import type { StaffRole } from '../db/schema.js';

export interface RoleGrant {
  role: StaffRole;
  consultancyId: string | null;
  organisationId: string | null;
}

export type Principal =
  | {
      kind: 'user';
      userId: string;
      email: string;
      name: string;
      roles: RoleGrant[];
      sessionId: string;
      csrfToken: string;
      /** A consultancy of the user requires two-factor sign-in and the user has not set it up yet. */
      mfaSetupRequired?: boolean;
    }
  | {
      kind: 'token';
      tokenId: string;
      /** An API token is bound to one consultancy account or one organisation. */
      consultancyId: string | null;
      organisationId: string | null;
    };

/** The consultancies and organisations a principal can see, and in which role. */
export function principalScope(p: Principal): { consultancyIds: string[]; organisationIds: string[] } {
  if (p.kind === 'token') {
    return {
      consultancyIds: p.consultancyId ? [p.consultancyId] : [],
      organisationIds: p.organisationId ? [p.organisationId] : [],
    };
  }
  return {
    consultancyIds: p.roles.filter((r) => r.role === 'consultant' && r.consultancyId).map((r) => r.consultancyId!),
    organisationIds: p.roles.filter((r) => r.role !== 'consultant' && r.organisationId).map((r) => r.organisationId!),
  };
}
