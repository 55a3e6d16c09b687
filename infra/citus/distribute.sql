-- Distribute duo's schema over a Citus cluster by branch (tenant_id).
--
-- When: one PostgreSQL server carries duo for many branches for a long time; consider
-- Citus when the database no longer fits one machine (storage or write load), not
-- before. How to move: see README "Running in production" (Citus). Run as the owner,
-- on the coordinator, after `duo db upgrade` on the same schema, in a maintenance window:
--
--   psql "$DATABASE_URL" -v ON_ERROR_STOP=1 -f infra/citus/distribute.sql
--
-- The tables are found from the schema itself, so a new branch-owned table needs no
-- edit here:
--   * branch-owned tables: row-level security enabled (every migration of a branch
--     table calls rls.migrate_enable) and a tenant_id column. Each key includes
--     tenant_id (tests/tenancy/test_citus_ready.py), so they are distributed by it and
--     co-located: joins and foreign keys stay on one shard per branch.
--   * reference tables (copied to every node): the global tables branch tables point at
--     (tenants, users, role_grants).
--   * local tables (coordinator only): the job outbox and Alembic's version.
-- The application sets the branch with SET LOCAL; make Citus pass it to the shards:
--   ALTER SYSTEM SET citus.propagate_set_commands = 'local';  SELECT pg_reload_conf();

\set ON_ERROR_STOP on

-- >>> plan: the tables and what becomes of them, in an order foreign keys allow
CREATE OR REPLACE FUNCTION pg_temp.duo_citus_plan()
RETURNS TABLE (step_no integer, table_name text, kind text)
LANGUAGE plpgsql AS $$
DECLARE
    done text[] := ARRAY[]::text[];
    branch text[];
    pick text;
    n integer := 0;
BEGIN
    FOREACH pick IN ARRAY ARRAY['tenants', 'users', 'role_grants'] LOOP
        IF to_regclass('public.' || pick) IS NOT NULL THEN
            n := n + 1; step_no := n; table_name := pick; kind := 'reference';
            RETURN NEXT;
        END IF;
    END LOOP;
    SELECT array_agg(c.relname::text ORDER BY c.relname) INTO branch
    FROM pg_class c
    JOIN pg_namespace s ON s.oid = c.relnamespace AND s.nspname = 'public'
    WHERE c.relkind = 'r' AND c.relrowsecurity
      AND EXISTS (SELECT 1 FROM pg_attribute a
                  WHERE a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped);
    branch := coalesce(branch, ARRAY[]::text[]);
    -- Parents before children: a table whose branch-owned parents are all placed.
    WHILE cardinality(done) < cardinality(branch) LOOP
        SELECT t INTO pick FROM unnest(branch) AS t
        WHERE NOT t = ANY(done)
          AND NOT EXISTS (
              SELECT 1 FROM pg_constraint f
              WHERE f.contype = 'f' AND f.conrelid = ('public.' || t)::regclass
                AND f.confrelid <> f.conrelid
                AND (SELECT relname::text FROM pg_class WHERE oid = f.confrelid) = ANY(branch)
                AND NOT (SELECT relname::text FROM pg_class WHERE oid = f.confrelid) = ANY(done))
        ORDER BY t LIMIT 1;
        IF pick IS NULL THEN
            RAISE EXCEPTION 'foreign keys between branch tables form a cycle: %', branch;
        END IF;
        done := done || pick;
        n := n + 1; step_no := n; table_name := pick; kind := 'distributed';
        RETURN NEXT;
    END LOOP;
END $$;
-- <<< plan

SELECT * FROM pg_temp.duo_citus_plan() ORDER BY step_no;

DO $$
DECLARE
    step record;
    first text;
BEGIN
    FOR step IN SELECT * FROM pg_temp.duo_citus_plan() ORDER BY step_no LOOP
        IF step.kind = 'reference' THEN
            PERFORM create_reference_table(step.table_name);
        ELSIF first IS NULL THEN
            first := step.table_name;
            PERFORM create_distributed_table(step.table_name, 'tenant_id');
        ELSE
            PERFORM create_distributed_table(step.table_name, 'tenant_id', colocate_with => first);
        END IF;
    END LOOP;
END $$;

-- The outbox (outbox_jobs) and alembic_version stay local to the coordinator.
ANALYZE;
