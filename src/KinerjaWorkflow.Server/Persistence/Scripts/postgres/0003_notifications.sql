-- KinerjaWorkflow schema, version 3 (PostgreSQL): in-app notifications and their outbound deliveries (outbox).

CREATE TABLE notifications (
    id uuid NOT NULL,
    user_name text NOT NULL,
    office_id text NOT NULL,
    kind text NOT NULL,
    subject text NOT NULL,
    message text NOT NULL,
    instance_id uuid NULL,
    task_id uuid NULL,
    deduplication_key text NOT NULL,
    created_at bigint NOT NULL,
    read_at bigint NULL,
    CONSTRAINT pk_notifications PRIMARY KEY (id)
);
CREATE UNIQUE INDEX ix_notifications_user_name_deduplication_key ON notifications (user_name, deduplication_key);
CREATE INDEX ix_notifications_user_name_created_at ON notifications (user_name, created_at);

CREATE TABLE notification_deliveries (
    id uuid NOT NULL,
    office_id text NOT NULL,
    channel text NOT NULL,
    target text NOT NULL,
    kind text NOT NULL,
    deduplication_key text NOT NULL,
    payload_json text NOT NULL,
    status text NOT NULL,
    attempts integer NOT NULL,
    next_attempt_at bigint NOT NULL,
    last_error text NULL,
    created_at bigint NOT NULL,
    delivered_at bigint NULL,
    CONSTRAINT pk_notification_deliveries PRIMARY KEY (id)
);
CREATE UNIQUE INDEX ix_notification_deliveries_channel_target_deduplication_key ON notification_deliveries (channel, target, deduplication_key);
CREATE INDEX ix_notification_deliveries_status_next_attempt_at ON notification_deliveries (status, next_attempt_at);
CREATE INDEX ix_notification_deliveries_office_id_status ON notification_deliveries (office_id, status);
