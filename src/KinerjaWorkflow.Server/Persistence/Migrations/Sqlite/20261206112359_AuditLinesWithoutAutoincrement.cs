using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace KinerjaWorkflow.Server.Persistence.Migrations.Sqlite
{
    /// <summary>
    /// The trail's lines numbered without AUTOINCREMENT (<see cref="SqliteKinerjaDbContext"/> says why). SQLite cannot
    /// change a column's AUTOINCREMENT in place, so the table is rebuilt here by hand, in the migration's one
    /// transaction: EF's own rebuild runs after every other operation of its migration, and would drop the append-only
    /// triggers with the old table after they had been made again.
    /// </summary>
    public partial class AuditLinesWithoutAutoincrement : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder) => migrationBuilder.Sql(Rebuild(autoincrement: false));

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.Sql(Rebuild(autoincrement: true));

        /// <summary>
        /// The table with its columns in their order, its lines with their numbers, its index, and its triggers
        /// (Baseline, AuditTrailNoReplace). Dropping a table fires none of its triggers.
        /// </summary>
        private static string Rebuild(bool autoincrement) => $$"""
            CREATE TABLE "audit_entries_rebuilt" (
                "id" INTEGER NOT NULL CONSTRAINT "pk_audit_entries" PRIMARY KEY{{(autoincrement ? " AUTOINCREMENT" : "")}},
                "instance_id" TEXT NOT NULL,
                "sequence" INTEGER NOT NULL,
                "office_id" TEXT NOT NULL,
                "at" INTEGER NOT NULL,
                "actor" TEXT NOT NULL,
                "user_name" TEXT NULL,
                "actor_name" TEXT NULL,
                "actor_roles" TEXT NULL,
                "action" TEXT NOT NULL,
                "from_step" TEXT NULL,
                "to_steps" TEXT NULL,
                "task_id" TEXT NULL,
                "item" TEXT NULL,
                "detail" TEXT NULL,
                "comment" TEXT NULL,
                "variables" TEXT NULL,
                "documents" TEXT NULL
            );
            INSERT INTO "audit_entries_rebuilt"
            SELECT "id", "instance_id", "sequence", "office_id", "at", "actor", "user_name", "actor_name", "actor_roles", "action",
                "from_step", "to_steps", "task_id", "item", "detail", "comment", "variables", "documents"
            FROM "audit_entries" ORDER BY "id";
            DROP TABLE "audit_entries";
            ALTER TABLE "audit_entries_rebuilt" RENAME TO "audit_entries";
            CREATE INDEX "ix_audit_entries_instance_id_sequence" ON "audit_entries" ("instance_id", "sequence");
            CREATE TRIGGER "audit_entries_no_update" BEFORE UPDATE ON "audit_entries"
            BEGIN
                SELECT RAISE(ABORT, 'audit_entries is append-only: a line of the audit trail cannot be changed');
            END;
            CREATE TRIGGER "audit_entries_no_delete" BEFORE DELETE ON "audit_entries"
            BEGIN
                SELECT RAISE(ABORT, 'audit_entries is append-only: a line of the audit trail cannot be deleted');
            END;
            CREATE TRIGGER "audit_entries_no_replace" BEFORE INSERT ON "audit_entries"
            WHEN EXISTS (SELECT 1 FROM "audit_entries" WHERE "id" = NEW."id")
            BEGIN
                SELECT RAISE(ABORT, 'audit_entries is append-only: a line of the audit trail cannot be replaced');
            END;
            """;
    }
}
