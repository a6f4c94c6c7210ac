-- The run ledger and the grants for a runner role that owns nothing: run once, as the owner of the
-- schema (e.g. with psql -v ON_ERROR_STOP=1 -f examples/runner/ledger.sql), after replacing
-- nightshift_runner with the role the runner connects as. The runner then creates nothing: it finds
-- the table, checks its shape and these privileges, and only reads and writes rows.

CREATE TABLE IF NOT EXISTS public.job_executions (
  id SERIAL PRIMARY KEY,
  job_name VARCHAR(100) NOT NULL,
  status VARCHAR(20) NOT NULL CHECK (status IN ('running', 'success', 'failed')),
  started_at TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP,
  completed_at TIMESTAMPTZ,
  duration_ms INTEGER,
  stats JSONB DEFAULT '{}',
  error_message TEXT,
  created_at TIMESTAMPTZ DEFAULT CURRENT_TIMESTAMP,
  namespace VARCHAR(63),
  slot TIMESTAMPTZ
);
CREATE INDEX IF NOT EXISTS idx_job_executions_job_name ON public.job_executions (job_name);
CREATE INDEX IF NOT EXISTS idx_job_executions_status ON public.job_executions (status);
CREATE INDEX IF NOT EXISTS idx_job_executions_started_at ON public.job_executions (started_at DESC);
CREATE INDEX IF NOT EXISTS idx_job_executions_job_started ON public.job_executions (job_name, started_at DESC);
CREATE INDEX IF NOT EXISTS idx_job_executions_job_slot ON public.job_executions (job_name, slot) WHERE slot IS NOT NULL;

-- What the runner needs on the ledger: read, insert and update rows, and take ids from the sequence.
GRANT USAGE ON SCHEMA public TO nightshift_runner;
GRANT SELECT, INSERT, UPDATE ON public.job_executions TO nightshift_runner;
GRANT USAGE ON SEQUENCE public.job_executions_id_seq TO nightshift_runner;
-- Only if the MaintenanceJobs set spec.ledger.keep (this table keeps everything otherwise): each run then
-- deletes its job's rows older than that.
--   GRANT DELETE ON public.job_executions TO nightshift_runner;

-- And what each task needs on its own tables, for example:
--   retention of public.system_logs:      GRANT SELECT, DELETE ON public.system_logs TO nightshift_runner;
--   with an archiveTable:                 GRANT INSERT ON public.system_logs_archive TO nightshift_runner;
--   sql calling a function:               GRANT EXECUTE ON FUNCTION public.cleanup_old_logs() TO nightshift_runner;
--                                         (plus what the function's statements touch, unless it is SECURITY DEFINER)
--   storageCleanup / deepgramCostSync:    GRANT SELECT, UPDATE ON public.transcriptions TO nightshift_runner;
--   partitions of public.events:          the table's owner role makes and drops partitions, so make the runner a
--                                         member of it: GRANT <owner of public.events> TO nightshift_runner;
