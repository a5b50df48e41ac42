-- Sign-in hardening (version 8, SQLite): server-side sessions that sign-out and disabling end, a growing
-- lockout, and accounts that must get a new password before they sign in again. Applied scripts are never edited.

-- How many times in a row the account was locked: each lock lasts longer, up to a cap.
ALTER TABLE "users" ADD COLUMN "lockouts" INTEGER NOT NULL DEFAULT 0;
-- Set at a Production start on accounts still holding the demo password; cleared when an admin sets one.
ALTER TABLE "users" ADD COLUMN "needs_new_password" INTEGER NOT NULL DEFAULT 0;

-- One sign-in (a bearer token or a page cookie); the token or cookie carries the id, and a request is
-- refused once the session has ended.
CREATE TABLE "user_sessions" (
    "id" TEXT NOT NULL CONSTRAINT "pk_user_sessions" PRIMARY KEY,
    "user_id" TEXT NOT NULL,
    "created_at" INTEGER NOT NULL,
    "expires_at" INTEGER NOT NULL,
    "ended_at" INTEGER NULL,
    CONSTRAINT "fk_user_sessions_users_user_id" FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON DELETE CASCADE
);
CREATE INDEX "ix_user_sessions_user_id" ON "user_sessions" ("user_id");
