-- KinerjaWorkflow schema, version 5 (PostgreSQL): the schedule is one table, scheduled_items. Every pending
-- reminder, escalation level, engine timer, timer start occurrence, service task and outbound delivery is a
-- row with its due instant, written in the transaction that creates it; Hangfire (its own schema) only runs
-- the rows the sweep finds due. The pending rows of the tables it replaces move into it; Quartz's tables go.

CREATE TABLE scheduled_items (
    id uuid NOT NULL,
    kind text NOT NULL,
    key text NOT NULL,
    due_at bigint NOT NULL,
    status text NOT NULL,
    office_id text NULL,
    instance_id uuid NULL,
    task_id uuid NULL,
    level integer NOT NULL,
    role text NULL,
    reference text NULL,
    attempts integer NOT NULL,
    last_error text NULL,
    job_id text NULL,
    claimed_at bigint NULL,
    finished_at bigint NULL,
    created_at bigint NOT NULL,
    CONSTRAINT pk_scheduled_items PRIMARY KEY (id)
);
CREATE UNIQUE INDEX ix_scheduled_items_key ON scheduled_items (key);
CREATE INDEX ix_scheduled_items_status_due_at ON scheduled_items (status, due_at);
CREATE INDEX ix_scheduled_items_task_id ON scheduled_items (task_id);

INSERT INTO scheduled_items
SELECT id, kind, kind || ':' || task_id::text || ':' || level, due_at, 'pending', office_id, instance_id,
       task_id, level, role, NULL, 0, NULL, NULL, NULL, NULL, due_at
FROM sla_steps WHERE status = 'pending';

INSERT INTO scheduled_items
SELECT md5(random()::text || id::text)::uuid, 'engine-timer', 'engine-timer:' || id::text, due_at, 'pending', office_id,
       instance_id, NULL, 0, NULL, id::text, 0, NULL, NULL, NULL, NULL, due_at
FROM timers WHERE status = 'pending';

INSERT INTO scheduled_items
SELECT md5(random()::text || id::text)::uuid, 'service-task', 'service-task:' || id::text, next_attempt_at, 'pending', office_id,
       instance_id, NULL, 0, NULL, id::text, attempts, last_error, NULL, NULL, NULL, created_at
FROM jobs WHERE status = 'pending';

INSERT INTO scheduled_items
SELECT md5(random()::text || id::text)::uuid, 'delivery', 'delivery:' || id::text, next_attempt_at, 'pending', office_id,
       NULL, NULL, 0, NULL, id::text, attempts, last_error, NULL, NULL, NULL, created_at
FROM notification_deliveries WHERE status = 'pending';

DROP TABLE sla_steps;
DROP TABLE sla_notifications;

-- The Testing environment's clock offset, so a restart keeps the simulated date.
CREATE TABLE service_settings (
    name text NOT NULL,
    value text NOT NULL,
    CONSTRAINT pk_service_settings PRIMARY KEY (name)
);

DROP TABLE IF EXISTS qrtz_fired_triggers;
DROP TABLE IF EXISTS qrtz_paused_trigger_grps;
DROP TABLE IF EXISTS qrtz_scheduler_state;
DROP TABLE IF EXISTS qrtz_locks;
DROP TABLE IF EXISTS qrtz_simprop_triggers;
DROP TABLE IF EXISTS qrtz_simple_triggers;
DROP TABLE IF EXISTS qrtz_cron_triggers;
DROP TABLE IF EXISTS qrtz_blob_triggers;
DROP TABLE IF EXISTS qrtz_triggers;
DROP TABLE IF EXISTS qrtz_job_details;
DROP TABLE IF EXISTS qrtz_calendars;
