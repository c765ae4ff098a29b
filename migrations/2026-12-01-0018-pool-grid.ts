// The pool comparison of 0010 (lcs_pool_compare, SECURITY DEFINER, aggregates only) with the ranking on a
// grid: own and pool scores are compared as round(score / p_grid), so an organisation that probes the
// pool with chosen own scores finds only grid points, never another organisation's exact score (the
// disclosure rule of docs/methodology.md, "pool"). The mean stays exact here and is rounded to 0.1 and
// shown only from enough other organisations by server/results/pool.ts.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql.raw(`drop function if exists lcs_pool_compare(uuid, boolean, text, text, text[], float8[])`).execute(db);
  await sql
    .raw(
      `create or replace function lcs_pool_compare(p_org uuid, p_is_demo boolean, p_sector text, p_size_class text, p_mechanisms text[], p_scores float8[], p_grid float8)
       returns table (mechanism_id text, n_all int, below_all int, eq_all int, n_sector int, below_sector int, eq_sector int, n_size int, below_size int, eq_size int, mean_all float8)
       language plpgsql stable security definer set search_path = public, pg_temp as $$
       #variable_conflict use_column
       declare
         v_consultancy uuid;
         v_scope text := coalesce(current_setting('lcs.scope', true), '');
       begin
         select o.consultancy_id into v_consultancy from organisations o where o.id = p_org
           and (v_scope = 'system' or o.consultancy_id = any(lcs_setting_uuids('lcs.consultancy_ids')) or o.id = any(lcs_setting_uuids('lcs.organisation_ids')));
         if v_consultancy is null and not (select rolbypassrls or rolsuper from pg_roles where rolname = session_user) then
           raise exception 'organisation not visible' using errcode = '42501';
         end if;
         perform set_config('lcs.scope', 'system', true);
         return query
           with latest as (
             select distinct on (pe.organisation_id, pe.mechanism_id) pe.mechanism_id, pe.score, pe.sector, pe.size_class
             from pool_entries pe
             where pe.organisation_id <> p_org and pe.is_demo = p_is_demo
               and not exists (select 1 from organisations po where po.id = pe.organisation_id
                               and po.consultancy_id = (select o.consultancy_id from organisations o where o.id = p_org))
             order by pe.organisation_id, pe.mechanism_id, pe.contributed_at desc
           ),
           own as (select u.mechanism_id, round(u.score / p_grid) as cell from unnest(p_mechanisms, p_scores) as u(mechanism_id, score)),
           grid as (select l.mechanism_id, round(l.score / p_grid) as cell, l.score, l.sector, l.size_class from latest l)
           select o.mechanism_id,
             count(l.score)::int, count(*) filter (where l.cell < o.cell)::int, count(*) filter (where l.cell = o.cell)::int,
             count(*) filter (where l.sector = p_sector)::int, count(*) filter (where l.sector = p_sector and l.cell < o.cell)::int,
             count(*) filter (where l.sector = p_sector and l.cell = o.cell)::int,
             count(*) filter (where l.size_class = p_size_class)::int, count(*) filter (where l.size_class = p_size_class and l.cell < o.cell)::int,
             count(*) filter (where l.size_class = p_size_class and l.cell = o.cell)::int,
             avg(l.score)::float8
           from own o left join grid l on l.mechanism_id = o.mechanism_id
           group by o.mechanism_id;
         perform set_config('lcs.scope', v_scope, true);
       end $$`,
    )
    .execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql.raw(`drop function if exists lcs_pool_compare(uuid, boolean, text, text, text[], float8[], float8)`).execute(db);
}
