-- The task inbox (version 4, SQLite): list indexes, output documents, escalation acknowledgements,
-- disabled accounts and the office administration audit. Applied scripts are never edited.

-- Keyset pages of one status walk this index in (due_at, created_at, id) order without sorting.
CREATE INDEX "ix_tasks_office_id_status_due_at_created_at_id" ON "tasks" ("office_id", "status", "due_at", "created_at", "id");
-- "Mine": a person's own tasks of one status, in the same order.
CREATE INDEX "ix_tasks_office_id_assignee_status_due_at_created_at_id" ON "tasks" ("office_id", "assignee", "status", "due_at", "created_at", "id");

ALTER TABLE "users" ADD COLUMN "is_disabled" INTEGER NOT NULL DEFAULT 0;

-- An output document of a task. The bytes live on disk, content-addressed by their SHA-256.
CREATE TABLE "attachments" (
    "id" TEXT NOT NULL CONSTRAINT "pk_attachments" PRIMARY KEY,
    "office_id" TEXT NOT NULL,
    "task_id" TEXT NOT NULL,
    "instance_id" TEXT NOT NULL,
    "file_name" TEXT NOT NULL,
    "content_type" TEXT NOT NULL,
    "size_bytes" INTEGER NOT NULL,
    "sha256" TEXT NOT NULL,
    "uploaded_by" TEXT NOT NULL,
    "uploaded_at" INTEGER NOT NULL,
    CONSTRAINT "fk_attachments_tasks_task_id" FOREIGN KEY ("task_id") REFERENCES "tasks" ("id") ON DELETE CASCADE
);
CREATE INDEX "ix_attachments_task_id" ON "attachments" ("task_id");
CREATE INDEX "ix_attachments_sha256" ON "attachments" ("sha256");

-- A supervisor's acknowledgement of an escalation notification they received.
CREATE TABLE "escalation_acknowledgements" (
    "notification_id" TEXT NOT NULL CONSTRAINT "pk_escalation_acknowledgements" PRIMARY KEY,
    "office_id" TEXT NOT NULL,
    "user_name" TEXT NOT NULL,
    "task_id" TEXT NULL,
    "acknowledged_at" INTEGER NOT NULL,
    "note" TEXT NULL
);

-- Append-only: what an office admin changed about users and roles.
CREATE TABLE "admin_audit" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_admin_audit" PRIMARY KEY AUTOINCREMENT,
    "office_id" TEXT NOT NULL,
    "at" INTEGER NOT NULL,
    "user_name" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "target" TEXT NOT NULL,
    "detail" TEXT NULL
);
CREATE INDEX "ix_admin_audit_office_id_id" ON "admin_audit" ("office_id", "id");
