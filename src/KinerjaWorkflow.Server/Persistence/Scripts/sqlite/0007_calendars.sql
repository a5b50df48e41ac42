-- Calendars an admin keeps (version 7, SQLite): national holidays, cuti bersama and each office's own closures
-- are data, seeded from workflows/calendars/*.csv for the years not yet here. Applied scripts are never edited.

-- A year whose national holidays and cuti bersama are complete: deadlines counted across any other year are
-- provisional. "source" says where the year's list came from (the repository's file, or an admin's upload).
CREATE TABLE "calendar_years" (
    "year" INTEGER NOT NULL CONSTRAINT "pk_calendar_years" PRIMARY KEY,
    "source" TEXT NOT NULL,
    "updated_at" INTEGER NOT NULL,
    "updated_by" TEXT NULL
);

-- One closed day: a national holiday or cuti bersama (office_id NULL, shared by every office), or one
-- office's own closure.
CREATE TABLE "calendar_days" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_calendar_days" PRIMARY KEY AUTOINCREMENT,
    "office_id" TEXT NULL,
    "date" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    CONSTRAINT "fk_calendar_days_offices_office_id" FOREIGN KEY ("office_id") REFERENCES "offices" ("id") ON DELETE CASCADE
);
CREATE INDEX "ix_calendar_days_date" ON "calendar_days" ("date");
CREATE INDEX "ix_calendar_days_office_id" ON "calendar_days" ("office_id");
