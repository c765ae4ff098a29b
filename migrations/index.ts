// The ordered list of migrations. The app imports this list; migrations import nothing of the app.
import type { Migration } from 'kysely/migration';
import * as initial from './2026-11-21-0001-initial.js';
import * as responseLinkKind from './2026-11-21-0002-response-link-kind.js';
import * as rowLevelSecurity from './2026-11-21-0003-row-level-security.js';
import * as poolOrganisation from './2026-11-21-0004-pool-organisation.js';
import * as reportJobPosition from './2026-11-21-0005-report-job-position.js';
import * as surveyFunctions from './2026-11-21-0006-survey-functions.js';
import * as surveySubmitFast from './2026-11-21-0007-survey-submit-fast.js';
import * as resultReleases from './2026-12-01-0008-result-releases.js';
import * as accountSecurity from './2026-12-01-0009-account-security.js';
import * as mail from './2026-12-01-0011-mail.js';
import * as rolesBackgroundModules from './2026-12-01-0012-roles-background-modules.js';
import * as actionPlans from './2026-12-01-0013-action-plans.js';
import * as poolGrid from './2026-12-01-0018-pool-grid.js';
import * as staffInvites from './2026-12-01-0017-staff-invites.js';
import * as databaseRoles from './2026-12-01-0010-database-roles.js';
import * as denyByDefault from './2026-12-01-0019-deny-by-default.js';
import * as departmentReports from './2026-12-01-0020-department-reports.js';
import * as surveyTenantScope from './2026-12-01-0021-survey-tenant-scope.js';
import * as answerPacks from './2026-12-02-0023-answer-packs.js';
import * as responseSums from './2026-12-03-0024-response-sums.js';
import * as resultReleaseParts from './2026-12-01-0022-result-release-parts.js';

export const migrations: Record<string, Migration> = {
  '2026-11-21-0001-initial': initial,
  '2026-11-21-0002-response-link-kind': responseLinkKind,
  '2026-11-21-0003-row-level-security': rowLevelSecurity,
  '2026-11-21-0004-pool-organisation': poolOrganisation,
  '2026-11-21-0005-report-job-position': reportJobPosition,
  '2026-11-21-0006-survey-functions': surveyFunctions,
  '2026-11-21-0007-survey-submit-fast': surveySubmitFast,
  '2026-12-01-0008-result-releases': resultReleases,
  '2026-12-01-0009-account-security': accountSecurity,
  '2026-12-01-0010-database-roles': databaseRoles,
  '2026-12-01-0011-mail': mail,
  '2026-12-01-0012-roles-background-modules': rolesBackgroundModules,
  '2026-12-01-0013-action-plans': actionPlans,
  '2026-12-01-0017-staff-invites': staffInvites,
  '2026-12-01-0018-pool-grid': poolGrid,
  '2026-12-01-0019-deny-by-default': denyByDefault,
  '2026-12-01-0020-department-reports': departmentReports,
  '2026-12-01-0021-survey-tenant-scope': surveyTenantScope,
  '2026-12-01-0022-result-release-parts': resultReleaseParts,
  '2026-12-02-0023-answer-packs': answerPacks,
  '2026-12-03-0024-response-sums': responseSums,
};
