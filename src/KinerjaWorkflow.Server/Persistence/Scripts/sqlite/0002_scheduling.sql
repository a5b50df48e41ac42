-- KinerjaWorkflow schema, version 2 (SQLite): the SLA plan of every task with a deadline, the reminders and
-- escalations decided from it (unique per task, kind and level: each is delivered exactly once), and the
-- occurrences of timer start events that started an instance. Quartz provisions its own qrtz_ tables.

CREATE TABLE "sla_steps" (
    "id" TEXT NOT NULL CONSTRAINT "pk_sla_steps" PRIMARY KEY,
    "task_id" TEXT NOT NULL,
    "instance_id" TEXT NOT NULL,
    "office_id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "level" INTEGER NOT NULL,
    "role" TEXT NULL,
    "due_at" INTEGER NOT NULL,
    "status" TEXT NOT NULL
);
CREATE UNIQUE INDEX "ix_sla_steps_task_id_kind_level" ON "sla_steps" ("task_id", "kind", "level");
CREATE INDEX "ix_sla_steps_status_due_at" ON "sla_steps" ("status", "due_at");

CREATE TABLE "sla_notifications" (
    "id" TEXT NOT NULL CONSTRAINT "pk_sla_notifications" PRIMARY KEY,
    "step_id" TEXT NOT NULL,
    "task_id" TEXT NOT NULL,
    "instance_id" TEXT NOT NULL,
    "office_id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "level" INTEGER NOT NULL,
    "recipients" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "decided_at" INTEGER NOT NULL,
    "status" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL,
    "next_attempt_at" INTEGER NULL,
    "delivered_at" INTEGER NULL,
    "last_error" TEXT NULL
);
CREATE UNIQUE INDEX "ix_sla_notifications_task_id_kind_level" ON "sla_notifications" ("task_id", "kind", "level");
CREATE INDEX "ix_sla_notifications_status" ON "sla_notifications" ("status");

CREATE TABLE "timer_starts" (
    "definition_key" TEXT NOT NULL,
    "start_event_id" TEXT NOT NULL,
    "occurrence_at" INTEGER NOT NULL,
    "office_id" TEXT NOT NULL,
    "business_key" TEXT NOT NULL,
    "started_at" INTEGER NOT NULL,
    CONSTRAINT "pk_timer_starts" PRIMARY KEY ("definition_key", "start_event_id", "occurrence_at")
);
