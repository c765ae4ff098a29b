// lcs_submit_fast: a complete submission in one round trip. The application has already checked the
// answers against the instrument it names (p_instrument: every item answered, values in range, known
// factors, background options, placement frames). This function resolves the token itself, checks
// what depends on the round (that it uses that instrument, the modules the answers need, the
// department spelled exactly as in the round's list, the language), and then writes through
// lcs_write_response (migration 0006) as a submit.
//
// It returns 'ok' when the response was submitted, and 'fallback' when it wrote nothing and the
// application must take the general path (resolve the token, validate against the round, write),
// which also produces the exact problem to answer: unknown or shared-link token, withdrawn link,
// round not answerable or closing, a check above failing, or a response already submitted (replay
// or conflict of the Idempotency-Key).
import { sql, type Kysely } from 'kysely';

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
  select i.id, i.round_id, i.form, i.kind, i.revoked_at into v_inv from invitations i where i.token_hash = p_invitation_hash;
  if found then
    if v_inv.kind <> 'personal' or v_inv.revoked_at is not null then return 'fallback'; end if;
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
  if r.instrument_id <> p_instrument
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
  await sql.raw(FAST).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql
    .raw('drop function if exists lcs_submit_fast(text, text, text, boolean, boolean, text, timestamptz, jsonb, json, json, json, text, text, text, jsonb)')
    .execute(db);
}
