-- Sign-in hardening (version 8, PostgreSQL): server-side sessions that sign-out and disabling end, a growing
-- lockout, and accounts that must get a new password before they sign in again. Applied scripts are never edited.

-- How many times in a row the account was locked: each lock lasts longer, up to a cap.
ALTER TABLE users ADD COLUMN lockouts integer NOT NULL DEFAULT 0;
-- Set at a Production start on accounts still holding the demo password; cleared when an admin sets one.
ALTER TABLE users ADD COLUMN needs_new_password boolean NOT NULL DEFAULT false;

-- One sign-in (a bearer token or a page cookie); the token or cookie carries the id, and a request is
-- refused once the session has ended.
CREATE TABLE user_sessions (
    id uuid NOT NULL,
    user_id uuid NOT NULL,
    created_at bigint NOT NULL,
    expires_at bigint NOT NULL,
    ended_at bigint NULL,
    CONSTRAINT pk_user_sessions PRIMARY KEY (id),
    CONSTRAINT fk_user_sessions_users_user_id FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
);
CREATE INDEX ix_user_sessions_user_id ON user_sessions (user_id);
