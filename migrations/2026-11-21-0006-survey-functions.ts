// The respondent API's two database calls as PL/pgSQL functions. A function's statements are planned
// once per connection and then reused, where the same SQL sent as an unnamed statement is planned
// on every call; on the submit path the planning was about a third of PostgreSQL's work.
//
// lcs_resolve_survey_token(invitation_hash, access_hash): the invitation with that token hash and/or
//   the response with that access hash, each with its round (0, 1 or 2 rows).
// lcs_write_response(...): in one transaction, creates or updates a response that is still in progress
//   (saving or submitting), writes its answers, factor ratings and placements as multi-row inserts
//   from JSON, marks a personal invitation started/submitted and records the idempotency key. It writes
//   only while the round is answerable and no close is under way: it takes the round's write lock
//   (advisory lock class 74210004, the key computed by the caller) shared and without waiting;
//   closing a round takes the same lock exclusively. Returns (response_id, round_open): response_id
//   null means nothing was written, because the round is not answerable (round_open false) or the
//   response was already submitted.
// Validation happens in the application before the call; the tables' constraints are the last wall.
// `#variable_conflict use_column`: inside PL/pgSQL, names such as response_id in
// "on conflict (response_id, frame)" mean the column, not the function's output column.
import { sql, type Kysely } from 'kysely';

const RESOLVE = `
create or replace function lcs_resolve_survey_token(p_invitation_hash text, p_access_hash text)
returns table (
  src text, id uuid, inv_kind text, form text, revoked_at timestamptz, max_responses integer, uses integer,
  resp_status text, resp_language text, resp_submitted_at timestamptz,
  round_id uuid, name text, status text, opens_at timestamptz, closes_at timestamptz, instrument_id text,
  modules text[], languages text[], departments text[], employee_placements boolean
)
language plpgsql stable as $$
#variable_conflict use_column
begin
  return query
    select 'invitation'::text, i.id, i.kind, i.form, i.revoked_at, i.max_responses, i.uses,
           null::text, null::text, null::timestamptz,
           r.id, r.name, r.status, r.opens_at, r.closes_at, r.instrument_id, r.modules, r.languages,
           r.departments, r.employee_placements
    from invitations i join rounds r on r.id = i.round_id
    where i.token_hash = p_invitation_hash
    union all
    select 'response'::text, s.id, null::text, s.form, null::timestamptz, null::integer, null::integer,
           s.status, s.language, s.submitted_at,
           r.id, r.name, r.status, r.opens_at, r.closes_at, r.instrument_id, r.modules, r.languages,
           r.departments, r.employee_placements
    from responses s join rounds r on r.id = s.round_id
    where s.access_hash = p_access_hash;
end $$`;

const WRITE = `
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
    insert into idempotency_keys (scope, key, request_hash, status_code, body)
    values (p_idem_scope, p_idem_key, p_idem_hash, 200, p_idem_body)
    on conflict do nothing;
  end if;
  return query select v_id, true;
end $$`;

export async function up(db: Kysely<any>): Promise<void> {
  await sql.raw(RESOLVE).execute(db);
  await sql.raw(WRITE).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql.raw('drop function if exists lcs_write_response(uuid, text, text, text, uuid, boolean, timestamptz, text, text, jsonb, json, json, json, text[], integer, text, text, text, jsonb)').execute(db);
  await sql.raw('drop function if exists lcs_resolve_survey_token(text, text)').execute(db);
}
