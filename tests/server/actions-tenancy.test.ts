// Tenant isolation of the action-plan routes: another tenant's consultant, HR, director and API
// tokens can neither read, create, change nor delete the victim's actions (404, nothing leaked, the
// victim's rows unchanged).
import { describeTenancy, type RouteCase } from '../helpers/tenancy.js';

const cases: RouteCase[] = [
  { name: 'list the organisation\'s actions', method: 'GET', url: (v) => `/api/v1/organisations/${v.organisationId}/actions` },
  { name: 'list a round\'s actions', method: 'GET', url: (v) => `/api/v1/rounds/${v.extra.closedRoundId}/actions` },
  { name: 'progress of actions', method: 'GET', url: (v) => `/api/v1/rounds/${v.extra.closedRoundId}/actions/progress` },
  {
    name: 'create an action',
    method: 'POST',
    url: (v) => `/api/v1/rounds/${v.extra.closedRoundId}/actions`,
    payload: () => ({ source: 'mechanism', mechanismId: 'work_content', title: 'Overname', owner: 'Aanvaller' }),
  },
  { name: 'update an action', method: 'PATCH', url: (v) => `/api/v1/actions/${v.extra.actionId}`, payload: () => ({ status: 'done', notes: 'gewijzigd' }) },
  { name: 'delete an action', method: 'DELETE', url: (v) => `/api/v1/actions/${v.extra.actionId}` },
];

describeTenancy('action plans', cases, {
  extendVictim: async (db, v) => {
    const round = await db
      .insertInto('rounds')
      .values({ organisation_id: v.organisationId, name: 'Afgesloten ronde', instrument_id: 'culture-scan@1', modules: ['culture_scan'], status: 'closed', opened_at: new Date('2026-01-01'), closed_at: new Date('2026-02-01') })
      .returning('id')
      .executeTakeFirstOrThrow();
    const action = await db
      .insertInto('action_plan_actions')
      .values({ organisation_id: v.organisationId, round_id: round.id, source: 'mechanism', mechanism_id: 'work_content', title: 'Geheime actie', owner: 'Geheime eigenaar', item_ids: ['wc1'] })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { closedRoundId: round.id, actionId: action.id, actionTitle: 'Geheime actie', actionOwner: 'Geheime eigenaar' };
  },
});
