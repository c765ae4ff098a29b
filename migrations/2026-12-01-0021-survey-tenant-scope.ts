// Survey answering in the tenant scope of the round's organisation (issue 12, item 2). Before, the
// respondent API ran in the account scope (lcs.scope=system as the login role), because the fast
// submit resolved the token inside the database and the organisation was known only there.
//
// - lcs_survey_token_organisation(invitation_hash, access_hash): SECURITY DEFINER, returns only the
//   organisation id of the round a token hash leads to (as an invitation token, else as the key of a
//   response), nothing else, or null. The application calls it in the statement that opens the
//   respondent's tenant scope (server/auth/tenant-scope.ts, withSurveyTokenScope); everything after
//   it (resolving the token to its round, the questionnaire, start, autosave, submit, idempotency
//   keys, the shared link's place count) runs as lcs_app under the policies of that organisation.
// - idempotency_keys gets round_id (the round of the response submitted), which makes it a tenant
//   table: RLS enabled and forced, a policy by its round, DML for lcs_app (lcs_harden, run after every
//   migration run, does the same). Keys stored before have no round: only the system scope sees them
//   (a replay of a submit made before this migration answers 409 already_submitted).
// - lcs_write_response (0006) records the round with the idempotency key. lcs_submit_fast (0007)
//   also falls back when a personal invitation carries background values from the uploaded list
//   (what the application checked in a separate query before, hasListBackground), so the fast submit
//   stays at one statement after the scope is opened. Both remain SECURITY INVOKER: inside the
//   tenant scope they see and write only the organisation's rows.
import { sql, type Kysely } from 'kysely';
import { up as surveyFunctions } from './2026-11-21-0006-survey-functions.js';
import { up as surveySubmitFast } from './2026-11-21-0007-survey-submit-fast.js';

const TOKEN_ORGANISATION = `
create or replace function lcs_survey_token_organisation(p_invitation_hash text, p_access_hash text) returns uuid
language plpgsql volatile security definer set search_path = public, pg_temp as $$
declare
  v_scope text := coalesce(current_setting('lcs.scope', true), '');
  v_org uuid;
begin
  -- The owner is subject to forced row-level security too (unless it is a superuser): look up in the
  -- system scope, then restore the caller's.
  perform set_config('lcs.scope', 'system', true);
  select r.organisation_id into v_org from invitations i join rounds r on r.id = i.round_id where i.token_hash = p_invitation_hash;
  if v_org is null then
    select r.organisation_id into v_org from responses s join rounds r on r.id = s.round_id where s.access_hash = p_access_hash;
  end if;
  perform set_config('lcs.scope', v_scope, true);
  return v_org;
end $$`;

export const WRITE = `
create or replace function lcs_write_response(
  p_round uuid, p_form text, p_access_hash text, p_link_kind text, p_invitation uuid,
  p_submit boolean, p_day timestamptz, p_language text, p_default_language text,
  p_background jsonb, p_answers json, p_factors json, p_placements json, p_cleared_frames text[],
  p_lock_key integer, p_idem_scope text, p_idem_key text, p_idem_hash text, p_idem_body jsonb
) returns table (response_id uuid, round_open boolean)
language plpgsql as $$
#variable_conflict use_column
declare
  v_id uuid;
  v_inserted boolean;
begin
  if not pg_try_advisory_xact_lock_shared(74210004, p_lock_key) then
    return query select null::uuid, false;
    return;
  end if;
  -- Read after taking the lock: a close that committed before is seen.
  perform 1 from rounds r
   where r.id = p_round and r.status = 'open'
     and (r.opens_at is null or r.opens_at <= now()) and (r.closes_at is null or r.closes_at > now());
  if not found then
    return query select null::uuid, false;
    return;
  end if;

  insert into responses as r (round_id, form, access_hash, channel, link_kind, language, status,
                              department, role, education, contract, age_band, started_at, updated_at, submitted_at)
  values (p_round, p_form, p_access_hash, 'link', p_link_kind, coalesce(p_language, p_default_language),
          case when p_submit then 'submitted' else 'in_progress' end,
          p_background->>'department', p_background->>'role', p_background->>'education',
          p_background->>'contract', p_background->>'age_band',
          p_day, p_day, case when p_submit then p_day end)
  on conflict (access_hash) do update set
    status = excluded.status,
    updated_at = excluded.updated_at,
    submitted_at = excluded.submitted_at,
    language = case when p_language is not null then excluded.language else r.language end,
    department = case when p_background ? 'department' then excluded.department else r.department end,
    role = case when p_background ? 'role' then excluded.role else r.role end,
    education = case when p_background ? 'education' then excluded.education else r.education end,
    contract = case when p_background ? 'contract' then excluded.contract else r.contract end,
    age_band = case when p_background ? 'age_band' then excluded.age_band else r.age_band end
  where r.status = 'in_progress'
  returning r.id, (r.xmax = 0) into v_id, v_inserted;
  if v_id is null then
    return query select null::uuid, true;
    return;
  end if;

  -- A response created by this statement has no answers yet: plain inserts, cheaper than upserts.
  if p_answers is not null then
    if v_inserted then
      insert into answers (response_id, item_id, value)
      select v_id, a.key, a.value::smallint from json_each_text(p_answers) a;
    else
      insert into answers (response_id, item_id, value)
      select v_id, a.key, a.value::smallint from json_each_text(p_answers) a
      on conflict on constraint answers_pkey do update set value = excluded.value;
    end if;
  end if;
  if p_factors is not null then
    insert into factor_answers (response_id, factor_id, value)
    select v_id, f.key, f.value::smallint from json_each_text(p_factors) f
    on conflict on constraint factor_answers_pkey do update set value = excluded.value;
  end if;
  if p_placements is not null then
    insert into placements (round_id, participant_group, response_id, frame, x, y, updated_at)
    select p_round, 'employee', v_id, p.frame, p.x, p.y, p_day
    from json_to_recordset(p_placements) as p(frame text, x double precision, y double precision)
    on conflict (response_id, frame) do update set x = excluded.x, y = excluded.y, updated_at = excluded.updated_at;
  end if;
  if p_cleared_frames is not null and cardinality(p_cleared_frames) > 0 then
    delete from placements pl where pl.response_id = v_id and pl.frame = any(p_cleared_frames);
  end if;
  if p_invitation is not null then
    update invitations i set started_at = coalesce(i.started_at, now()),
                             submitted_at = case when p_submit then now() else i.submitted_at end
    where i.id = p_invitation;
  end if;
  if p_idem_scope is not null then
    insert into idempotency_keys (scope, key, request_hash, status_code, body, round_id)
    values (p_idem_scope, p_idem_key, p_idem_hash, 200, p_idem_body, p_round)
    on conflict do nothing;
  end if;
  return query select v_id, true;
end $$`;

const FAST = `
create or replace function lcs_submit_fast(
  p_invitation_hash text, p_access_hash text, p_instrument text,
  p_uses_factors boolean, p_uses_placements boolean, p_language text,
  p_day timestamptz, p_background jsonb, p_answers json, p_factors json, p_placements json,
  p_idem_scope text, p_idem_key text, p_idem_hash text, p_idem_body jsonb
) returns text
language plpgsql as $$
#variable_conflict use_column
declare
  v_inv record;
  v_round_id uuid;
  v_form text;
  v_link text;
  v_invitation uuid;
  v_dept text := p_background->>'department';
  r record;
  w record;
begin
  select i.id, i.round_id, i.form, i.kind, i.revoked_at,
         (i.department is not null or i.role is not null or i.education is not null
          or i.contract is not null or i.age_band is not null) as list_background
    into v_inv from invitations i where i.token_hash = p_invitation_hash;
  if found then
    -- Background from the uploaded list wins over the body's: the general path merges it.
    if v_inv.kind <> 'personal' or v_inv.revoked_at is not null or v_inv.list_background then return 'fallback'; end if;
    v_round_id := v_inv.round_id;
    v_form := v_inv.form;
    v_link := 'personal';
    v_invitation := v_inv.id;
  else
    select s.round_id, s.form into v_round_id, v_form from responses s where s.access_hash = p_access_hash;
    if not found then return 'fallback'; end if;
    v_link := 'shared';
  end if;

  select x.instrument_id, x.modules, x.languages, x.departments, x.employee_placements into r
    from rounds x where x.id = v_round_id;
  if not found
     or r.instrument_id <> p_instrument
     or not ('culture_scan' = any(r.modules))
     or (p_uses_factors and not ('factors' = any(r.modules)))
     or (p_uses_placements and not (r.employee_placements and 'dialogue_model' = any(r.modules) and v_form = 'employee'))
     or (v_dept is not null and not (v_dept = any(r.departments)))
     or (p_language is not null and not (p_language = any(r.languages)))
  then
    return 'fallback';
  end if;

  -- The round's write-lock key, as the application computes it: the first 32 bits of the uuid.
  select * into w from lcs_write_response(
    v_round_id, v_form, p_access_hash, v_link, v_invitation, true, p_day, p_language, r.languages[1],
    p_background, p_answers, p_factors, p_placements, null,
    ('x' || left(replace(v_round_id::text, '-', ''), 8))::bit(32)::int,
    p_idem_scope, p_idem_key, p_idem_hash, p_idem_body);
  if w.response_id is null then return 'fallback'; end if;
  return 'ok';
end $$`;

export async function up(db: Kysely<any>): Promise<void> {
  await sql.raw(`alter table idempotency_keys add column round_id uuid references rounds(id) on delete cascade`).execute(db);
  await sql.raw(`create index idempotency_keys_round_idx on idempotency_keys (round_id)`).execute(db);
  await sql.raw(`alter table idempotency_keys enable row level security`).execute(db);
  await sql.raw(`alter table idempotency_keys force row level security`).execute(db);
  await sql.raw(`create policy lcs_tenant on idempotency_keys using (exists (select 1 from rounds r where r.id = idempotency_keys.round_id))`).execute(db);
  // lcs_harden() (server/db/migrate.ts, after this run) adds the lcs_system policy and lcs_app's DML.
  await sql.raw(TOKEN_ORGANISATION).execute(db);
  await sql.raw(WRITE).execute(db);
  await sql.raw(FAST).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  // The functions as 0006 and 0007 created them (create or replace), before the column goes.
  await surveyFunctions(db);
  await surveySubmitFast(db);
  await sql.raw(`drop function if exists lcs_survey_token_organisation(text, text)`).execute(db);
  await sql.raw(`drop policy if exists lcs_tenant on idempotency_keys`).execute(db);
  await sql.raw(`drop policy if exists lcs_system on idempotency_keys`).execute(db);
  await sql.raw(`alter table idempotency_keys no force row level security`).execute(db);
  await sql.raw(`alter table idempotency_keys disable row level security`).execute(db);
  await sql.raw(`alter table idempotency_keys drop column round_id`).execute(db);
}
