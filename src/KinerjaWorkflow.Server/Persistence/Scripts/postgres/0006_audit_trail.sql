-- The audit trail an inspector relies on (version 6, PostgreSQL). Applied scripts are never edited.

-- Each line's place in its instance's trail: 1, 2, 3, ... in the order things happened, whatever the clock said.
ALTER TABLE audit_entries ADD COLUMN sequence bigint NOT NULL DEFAULT 0;
-- Who really acted: person, engine, scheduler or job-worker; for a person, their name and roles at the time.
ALTER TABLE audit_entries ADD COLUMN actor text NOT NULL DEFAULT 'person';
ALTER TABLE audit_entries ADD COLUMN actor_name text NULL;
ALTER TABLE audit_entries ADD COLUMN actor_roles text NULL;
-- Every step the work went on to (a JSON array); it replaces the single to_step.
ALTER TABLE audit_entries ADD COLUMN to_steps text NULL;
-- The multi-instance item (team, unit) as JSON, the completion's comment, the variables the command changed
-- and the documents of the completed task, as JSON.
ALTER TABLE audit_entries ADD COLUMN item text NULL;
ALTER TABLE audit_entries ADD COLUMN comment text NULL;
ALTER TABLE audit_entries ADD COLUMN variables text NULL;
ALTER TABLE audit_entries ADD COLUMN documents text NULL;

-- Lines written before this version: numbered in the order they were written, and credited as the engine
-- now credits them. Until now every line of a command carried the name of the person who issued it, also
-- the tasks the engine created in consequence; those lines are the engine's.
UPDATE audit_entries SET sequence = numbered.n
FROM (SELECT id, row_number() OVER (PARTITION BY instance_id ORDER BY id) AS n FROM audit_entries) AS numbered
WHERE numbered.id = audit_entries.id;
UPDATE audit_entries SET
    to_steps = CASE WHEN to_step IS NULL THEN NULL ELSE json_build_array(to_step)::text END,
    actor = CASE
        WHEN action = 'timer-fired' THEN 'scheduler'
        WHEN action IN ('job-completed', 'incident-raised') THEN 'job-worker'
        WHEN action IN ('task-created', 'task-cancelled', 'job-requested', 'instance-completed', 'instance-terminated-by-end-event',
                        'called-instance-requested', 'called-instance-completed', 'called-instance-cancelled') THEN 'engine'
        WHEN action = 'instance-started' AND user_name IS NULL THEN 'scheduler'
        WHEN user_name IS NULL THEN 'engine'
        ELSE 'person'
    END;
UPDATE audit_entries SET user_name = NULL WHERE actor <> 'person';
ALTER TABLE audit_entries DROP COLUMN to_step;

-- Not unique on purpose: every line is written in the transaction that moves its instance's version on, so
-- of two racing commands one fails on the version and answers 409 before its numbers count.
CREATE INDEX ix_audit_entries_instance_id_sequence ON audit_entries (instance_id, sequence);

-- Append-only, enforced by the database: no code path, script or console session changes, removes or
-- truncates a line.
CREATE FUNCTION refuse_audit_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % of a line of the audit trail refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER audit_entries_append_only BEFORE UPDATE OR DELETE ON audit_entries
    FOR EACH ROW EXECUTE FUNCTION refuse_audit_change();
CREATE TRIGGER audit_entries_no_truncate BEFORE TRUNCATE ON audit_entries
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_audit_change();
CREATE TRIGGER admin_audit_append_only BEFORE UPDATE OR DELETE ON admin_audit
    FOR EACH ROW EXECUTE FUNCTION refuse_audit_change();
CREATE TRIGGER admin_audit_no_truncate BEFORE TRUNCATE ON admin_audit
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_audit_change();
