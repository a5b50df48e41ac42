-- KinerjaWorkflow schema, version 2 (PostgreSQL): the SLA plan of every task with a deadline, the reminders
-- and escalations decided from it (unique per task, kind and level: each is delivered exactly once), and the
-- occurrences of timer start events that started an instance. Quartz provisions its own qrtz_ tables.

CREATE TABLE sla_steps (
    id uuid NOT NULL,
    task_id uuid NOT NULL,
    instance_id uuid NOT NULL,
    office_id text NOT NULL,
    kind text NOT NULL,
    level integer NOT NULL,
    role text NULL,
    due_at bigint NOT NULL,
    status text NOT NULL,
    CONSTRAINT pk_sla_steps PRIMARY KEY (id)
);
CREATE UNIQUE INDEX ix_sla_steps_task_id_kind_level ON sla_steps (task_id, kind, level);
CREATE INDEX ix_sla_steps_status_due_at ON sla_steps (status, due_at);

CREATE TABLE sla_notifications (
    id uuid NOT NULL,
    step_id uuid NOT NULL,
    task_id uuid NOT NULL,
    instance_id uuid NOT NULL,
    office_id text NOT NULL,
    kind text NOT NULL,
    level integer NOT NULL,
    recipients text NOT NULL,
    subject text NOT NULL,
    text text NOT NULL,
    decided_at bigint NOT NULL,
    status text NOT NULL,
    attempts integer NOT NULL,
    next_attempt_at bigint NULL,
    delivered_at bigint NULL,
    last_error text NULL,
    CONSTRAINT pk_sla_notifications PRIMARY KEY (id)
);
CREATE UNIQUE INDEX ix_sla_notifications_task_id_kind_level ON sla_notifications (task_id, kind, level);
CREATE INDEX ix_sla_notifications_status ON sla_notifications (status);

CREATE TABLE timer_starts (
    definition_key text NOT NULL,
    start_event_id text NOT NULL,
    occurrence_at bigint NOT NULL,
    office_id text NOT NULL,
    business_key text NOT NULL,
    started_at bigint NOT NULL,
    CONSTRAINT pk_timer_starts PRIMARY KEY (definition_key, start_event_id, occurrence_at)
);
