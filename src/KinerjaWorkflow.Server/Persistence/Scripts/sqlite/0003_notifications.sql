-- KinerjaWorkflow schema, version 3 (SQLite): in-app notifications and their outbound deliveries (outbox).

CREATE TABLE "notifications" (
    "id" TEXT NOT NULL CONSTRAINT "pk_notifications" PRIMARY KEY,
    "user_name" TEXT NOT NULL,
    "office_id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "instance_id" TEXT NULL,
    "task_id" TEXT NULL,
    "deduplication_key" TEXT NOT NULL,
    "created_at" INTEGER NOT NULL,
    "read_at" INTEGER NULL
);
CREATE UNIQUE INDEX "ix_notifications_user_name_deduplication_key" ON "notifications" ("user_name", "deduplication_key");
CREATE INDEX "ix_notifications_user_name_created_at" ON "notifications" ("user_name", "created_at");

CREATE TABLE "notification_deliveries" (
    "id" TEXT NOT NULL CONSTRAINT "pk_notification_deliveries" PRIMARY KEY,
    "office_id" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "target" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "deduplication_key" TEXT NOT NULL,
    "payload_json" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL,
    "next_attempt_at" INTEGER NOT NULL,
    "last_error" TEXT NULL,
    "created_at" INTEGER NOT NULL,
    "delivered_at" INTEGER NULL
);
CREATE UNIQUE INDEX "ix_notification_deliveries_channel_target_deduplication_key" ON "notification_deliveries" ("channel", "target", "deduplication_key");
CREATE INDEX "ix_notification_deliveries_status_next_attempt_at" ON "notification_deliveries" ("status", "next_attempt_at");
CREATE INDEX "ix_notification_deliveries_office_id_status" ON "notification_deliveries" ("office_id", "status");
