-- KinerjaWorkflow schema, version 5 (SQLite): the schedule is one table, scheduled_items. Every pending
-- reminder, escalation level, engine timer, timer start occurrence, service task and outbound delivery is a
-- row with its due instant, written in the transaction that creates it; Hangfire (its own storage) only runs
-- the rows the sweep finds due. The pending rows of the tables it replaces move into it, with new ids in the
-- text form EF Core writes (upper-case, hyphenated) so they compare equal to its parameters; Quartz's tables go.

CREATE TABLE "scheduled_items" (
    "id" TEXT NOT NULL CONSTRAINT "pk_scheduled_items" PRIMARY KEY,
    "kind" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "due_at" INTEGER NOT NULL,
    "status" TEXT NOT NULL,
    "office_id" TEXT NULL,
    "instance_id" TEXT NULL,
    "task_id" TEXT NULL,
    "level" INTEGER NOT NULL,
    "role" TEXT NULL,
    "reference" TEXT NULL,
    "attempts" INTEGER NOT NULL,
    "last_error" TEXT NULL,
    "job_id" TEXT NULL,
    "claimed_at" INTEGER NULL,
    "finished_at" INTEGER NULL,
    "created_at" INTEGER NOT NULL
);
CREATE UNIQUE INDEX "ix_scheduled_items_key" ON "scheduled_items" ("key");
CREATE INDEX "ix_scheduled_items_status_due_at" ON "scheduled_items" ("status", "due_at");
CREATE INDEX "ix_scheduled_items_task_id" ON "scheduled_items" ("task_id");

INSERT INTO "scheduled_items"
SELECT "id", "kind", "kind" || ':' || lower("task_id") || ':' || "level", "due_at", 'pending', "office_id", "instance_id",
       "task_id", "level", "role", NULL, 0, NULL, NULL, NULL, NULL, "due_at"
FROM "sla_steps" WHERE "status" = 'pending';

INSERT INTO "scheduled_items"
SELECT hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-' || hex(randomblob(2)) || '-' || hex(randomblob(2)) || '-' || hex(randomblob(6)), 'engine-timer', 'engine-timer:' || lower("id"), "due_at", 'pending', "office_id",
       "instance_id", NULL, 0, NULL, lower("id"), 0, NULL, NULL, NULL, NULL, "due_at"
FROM "timers" WHERE "status" = 'pending';

INSERT INTO "scheduled_items"
SELECT hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-' || hex(randomblob(2)) || '-' || hex(randomblob(2)) || '-' || hex(randomblob(6)), 'service-task', 'service-task:' || lower("id"), "next_attempt_at", 'pending', "office_id",
       "instance_id", NULL, 0, NULL, lower("id"), "attempts", "last_error", NULL, NULL, NULL, "created_at"
FROM "jobs" WHERE "status" = 'pending';

INSERT INTO "scheduled_items"
SELECT hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-' || hex(randomblob(2)) || '-' || hex(randomblob(2)) || '-' || hex(randomblob(6)), 'delivery', 'delivery:' || lower("id"), "next_attempt_at", 'pending', "office_id",
       NULL, NULL, 0, NULL, lower("id"), "attempts", "last_error", NULL, NULL, NULL, "created_at"
FROM "notification_deliveries" WHERE "status" = 'pending';

DROP TABLE "sla_steps";
DROP TABLE "sla_notifications";

-- The Testing environment's clock offset, so a restart keeps the simulated date.
CREATE TABLE "service_settings" (
    "name" TEXT NOT NULL CONSTRAINT "pk_service_settings" PRIMARY KEY,
    "value" TEXT NOT NULL
);

DROP TABLE IF EXISTS "qrtz_fired_triggers";
DROP TABLE IF EXISTS "qrtz_paused_trigger_grps";
DROP TABLE IF EXISTS "qrtz_scheduler_state";
DROP TABLE IF EXISTS "qrtz_locks";
DROP TABLE IF EXISTS "qrtz_simprop_triggers";
DROP TABLE IF EXISTS "qrtz_simple_triggers";
DROP TABLE IF EXISTS "qrtz_cron_triggers";
DROP TABLE IF EXISTS "qrtz_blob_triggers";
DROP TABLE IF EXISTS "qrtz_triggers";
DROP TABLE IF EXISTS "qrtz_job_details";
DROP TABLE IF EXISTS "qrtz_calendars";
