-- 履职平台 PostgreSQL roles: the application must not own the event table.
--
-- An owner of a table may ALTER TABLE ... DISABLE TRIGGER, DROP TRIGGER, UPDATE and DELETE at
-- will, so the role the web server, the worker and the timers log in as (lvzhi_app) owns
-- nothing: lvzhi_owner owns the schema and every table and runs the migrations. On the event
-- table and the checkpoint table the application may only SELECT and INSERT.
--
-- Run as a superuser, connected to the application's database (see README.md), once before
-- the first migrate and again after every `manage.py migrate` (new tables need their grants):
--   sudo -u postgres psql -d lvzhi -v ON_ERROR_STOP=1 -f deploy/postgresql/grants.sql
-- It is idempotent.
-- Passwords are set separately (\password lvzhi_owner, \password lvzhi_app), never here.

-- ---------------------------------------------------------------- 1. roles and ownership
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'lvzhi_owner') THEN
    CREATE ROLE lvzhi_owner LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS;
  END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'lvzhi_app') THEN
    CREATE ROLE lvzhi_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS;
  END IF;
END $$;

-- The app role must not be a member of the owner role (it would inherit ownership).
DO $$
BEGIN
  IF pg_has_role('lvzhi_app', 'lvzhi_owner', 'MEMBER') THEN
    EXECUTE 'REVOKE lvzhi_owner FROM lvzhi_app';
  END IF;
END $$;

-- Everything in the database belongs to lvzhi_owner: the database, the schema, every table and
-- sequence, the trigger functions — also when upgrading a deployment where one role ("lvzhi")
-- owned it all and the application logged in as that owner.
DO $$
DECLARE r record;
BEGIN
  EXECUTE format('ALTER DATABASE %I OWNER TO lvzhi_owner', current_database());
  ALTER SCHEMA public OWNER TO lvzhi_owner;
  -- Tables, and sequences no table owns (a serial's or identity's sequence follows its table).
  FOR r IN SELECT c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'S')
             AND pg_get_userbyid(c.relowner) <> 'lvzhi_owner'
             AND NOT (c.relkind = 'S' AND EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
                                                  AND d.objid = c.oid AND d.deptype IN ('a', 'i')))
  LOOP
    EXECUTE format('ALTER %s public.%I OWNER TO lvzhi_owner',
                   CASE r.relkind WHEN 'S' THEN 'SEQUENCE' ELSE 'TABLE' END, r.relname);
  END LOOP;
  FOR r IN SELECT p.oid::regprocedure AS sig FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
           WHERE n.nspname = 'public' AND pg_get_userbyid(p.proowner) <> 'lvzhi_owner'
             AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')
  LOOP
    EXECUTE format('ALTER FUNCTION %s OWNER TO lvzhi_owner', r.sig);
  END LOOP;
  EXECUTE format('REVOKE ALL ON DATABASE %I FROM PUBLIC', current_database());
  EXECUTE format('GRANT CONNECT, TEMPORARY ON DATABASE %I TO lvzhi_app', current_database());
END $$;

REVOKE ALL ON SCHEMA public FROM PUBLIC;
-- Nobody but a superuser may switch triggers off for a session; make sure no grant says otherwise.
REVOKE SET ON PARAMETER session_replication_role FROM lvzhi_app;

-- Tables lvzhi_owner creates from now on (new migrations) get the ordinary grants by default;
-- re-running this file afterwards applies the restrictions below to them.
ALTER DEFAULT PRIVILEGES FOR ROLE lvzhi_owner IN SCHEMA public
  GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO lvzhi_app;
ALTER DEFAULT PRIVILEGES FOR ROLE lvzhi_owner IN SCHEMA public
  GRANT USAGE, SELECT ON SEQUENCES TO lvzhi_app;

-- ---------------------------------------------------------------- 2. the application's privileges
-- Granted by the owner. lvzhi/cases/tests/test_tamper.py runs exactly this section for a
-- throw-away role and checks what it may and may not do; keep the markers.
SET ROLE lvzhi_owner;
-- BEGIN app-privileges
GRANT USAGE ON SCHEMA public TO lvzhi_app;
REVOKE ALL ON ALL TABLES IN SCHEMA public FROM lvzhi_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO lvzhi_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO lvzhi_app;
-- The audit trail: read and append only. No UPDATE, DELETE, TRUNCATE, TRIGGER or REFERENCES,
-- and no ownership, so no DISABLE/DROP TRIGGER either. (Skipped before the first migrate.)
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['cases_event', 'cases_checkpoint'] LOOP
    IF to_regclass('public.' || t) IS NOT NULL THEN
      EXECUTE format('REVOKE ALL ON public.%I FROM lvzhi_app', t);
      EXECUTE format('GRANT SELECT, INSERT ON public.%I TO lvzhi_app', t);
    END IF;
  END LOOP;
END $$;
-- END app-privileges
RESET ROLE;
