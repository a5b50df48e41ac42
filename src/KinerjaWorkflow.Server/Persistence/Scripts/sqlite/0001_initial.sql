-- KinerjaWorkflow schema, version 1 (SQLite). Applied scripts are never edited: changes go in a new script.
-- Instants are INTEGER Unix milliseconds (UTC); ids are TEXT GUIDs; booleans are INTEGER 0/1.

CREATE TABLE "offices" (
    "id" TEXT NOT NULL CONSTRAINT "pk_offices" PRIMARY KEY,
    "name" TEXT NOT NULL,
    "time_zone" TEXT NOT NULL,
    "organization_yaml" TEXT NOT NULL
);

CREATE TABLE "office_roles" (
    "office_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "supervisor_role" TEXT NULL,
    CONSTRAINT "pk_office_roles" PRIMARY KEY ("office_id", "name"),
    CONSTRAINT "fk_office_roles_offices_office_id" FOREIGN KEY ("office_id") REFERENCES "offices" ("id") ON DELETE CASCADE
);

CREATE TABLE "users" (
    "id" TEXT NOT NULL CONSTRAINT "pk_users" PRIMARY KEY,
    "user_name" TEXT NOT NULL,
    "display_name" TEXT NOT NULL,
    "office_id" TEXT NOT NULL,
    "password_hash" TEXT NOT NULL,
    "is_admin" INTEGER NOT NULL,
    "email" TEXT NULL,
    "failed_logins" INTEGER NOT NULL,
    "locked_until" INTEGER NULL,
    "created_at" INTEGER NOT NULL,
    CONSTRAINT "fk_users_offices_office_id" FOREIGN KEY ("office_id") REFERENCES "offices" ("id") ON DELETE RESTRICT
);
CREATE UNIQUE INDEX "ix_users_user_name" ON "users" ("user_name");
CREATE INDEX "ix_users_office_id" ON "users" ("office_id");

CREATE TABLE "user_roles" (
    "user_id" TEXT NOT NULL,
    "role_name" TEXT NOT NULL,
    CONSTRAINT "pk_user_roles" PRIMARY KEY ("user_id", "role_name"),
    CONSTRAINT "fk_user_roles_users_user_id" FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON DELETE CASCADE
);

CREATE TABLE "definitions" (
    "id" TEXT NOT NULL CONSTRAINT "pk_definitions" PRIMARY KEY,
    "key" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "office_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "xml" TEXT NOT NULL,
    "content_hash" TEXT NOT NULL,
    "deployed_at" INTEGER NOT NULL,
    "deployed_by" TEXT NULL,
    "source" TEXT NULL
);
CREATE UNIQUE INDEX "ix_definitions_key_version" ON "definitions" ("key", "version");

CREATE TABLE "instances" (
    "id" TEXT NOT NULL CONSTRAINT "pk_instances" PRIMARY KEY,
    "definition_id" TEXT NOT NULL,
    "definition_key" TEXT NOT NULL,
    "definition_version" INTEGER NOT NULL,
    "office_id" TEXT NOT NULL,
    "business_key" TEXT NULL,
    "status" TEXT NOT NULL,
    "started_at" INTEGER NOT NULL,
    "started_by" TEXT NULL,
    "ended_at" INTEGER NULL,
    "parent_instance_id" TEXT NULL,
    "has_incident" INTEGER NOT NULL,
    "state_json" TEXT NOT NULL,
    "version" INTEGER NOT NULL
);
CREATE INDEX "ix_instances_office_id_status" ON "instances" ("office_id", "status");
CREATE INDEX "ix_instances_definition_key" ON "instances" ("definition_key");

CREATE TABLE "tasks" (
    "id" TEXT NOT NULL CONSTRAINT "pk_tasks" PRIMARY KEY,
    "instance_id" TEXT NOT NULL,
    "office_id" TEXT NOT NULL,
    "definition_key" TEXT NOT NULL,
    "definition_version" INTEGER NOT NULL,
    "business_key" TEXT NULL,
    "step_id" TEXT NOT NULL,
    "step_name" TEXT NOT NULL,
    "step_number" INTEGER NULL,
    "roles" TEXT NOT NULL,
    "assignee" TEXT NULL,
    "status" TEXT NOT NULL,
    "created_at" INTEGER NOT NULL,
    "expected_at" INTEGER NULL,
    "due_at" INTEGER NULL,
    "completed_at" INTEGER NULL,
    "completed_by" TEXT NULL,
    "outcome" TEXT NULL,
    "comment" TEXT NULL,
    "loop_index" INTEGER NULL,
    "loop_item" TEXT NULL
);
CREATE INDEX "ix_tasks_office_id_status_due_at" ON "tasks" ("office_id", "status", "due_at");
CREATE INDEX "ix_tasks_instance_id" ON "tasks" ("instance_id");
CREATE INDEX "ix_tasks_assignee" ON "tasks" ("assignee");

CREATE TABLE "audit_entries" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_audit_entries" PRIMARY KEY AUTOINCREMENT,
    "instance_id" TEXT NOT NULL,
    "office_id" TEXT NOT NULL,
    "at" INTEGER NOT NULL,
    "user_name" TEXT NULL,
    "action" TEXT NOT NULL,
    "from_step" TEXT NULL,
    "to_step" TEXT NULL,
    "task_id" TEXT NULL,
    "detail" TEXT NULL
);
CREATE INDEX "ix_audit_entries_instance_id_id" ON "audit_entries" ("instance_id", "id");

CREATE TABLE "idempotency_keys" (
    "key" TEXT NOT NULL,
    "user_name" TEXT NOT NULL,
    "task_id" TEXT NOT NULL,
    "status_code" INTEGER NOT NULL,
    "response_json" TEXT NOT NULL,
    "created_at" INTEGER NOT NULL,
    CONSTRAINT "pk_idempotency_keys" PRIMARY KEY ("user_name", "key")
);

CREATE TABLE "jobs" (
    "id" TEXT NOT NULL CONSTRAINT "pk_jobs" PRIMARY KEY,
    "instance_id" TEXT NOT NULL,
    "office_id" TEXT NOT NULL,
    "step_id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "payload_json" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL,
    "next_attempt_at" INTEGER NOT NULL,
    "last_error" TEXT NULL,
    "created_at" INTEGER NOT NULL
);
CREATE INDEX "ix_jobs_status_next_attempt_at" ON "jobs" ("status", "next_attempt_at");

CREATE TABLE "timers" (
    "id" TEXT NOT NULL CONSTRAINT "pk_timers" PRIMARY KEY,
    "instance_id" TEXT NOT NULL,
    "office_id" TEXT NOT NULL,
    "step_id" TEXT NOT NULL,
    "purpose" TEXT NOT NULL,
    "due_at" INTEGER NOT NULL,
    "status" TEXT NOT NULL
);
CREATE INDEX "ix_timers_status_due_at" ON "timers" ("status", "due_at");

CREATE TABLE "data_protection_keys" (
    "friendly_name" TEXT NOT NULL CONSTRAINT "pk_data_protection_keys" PRIMARY KEY,
    "xml" TEXT NOT NULL
);
