using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace KinerjaWorkflow.Server.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AuditTrailNoReplace : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // INSERT OR REPLACE (REPLACE INTO) removes the line it collides with without firing a DELETE trigger
            // (SQLite fires them on REPLACE only with recursive_triggers on), so it would rewrite a line the
            // no_update and no_delete triggers keep: an insert that names an existing line is refused before it runs.
            migrationBuilder.Sql("""
                CREATE TRIGGER "audit_entries_no_replace" BEFORE INSERT ON "audit_entries"
                WHEN EXISTS (SELECT 1 FROM "audit_entries" WHERE "id" = NEW."id")
                BEGIN
                    SELECT RAISE(ABORT, 'audit_entries is append-only: a line of the audit trail cannot be replaced');
                END;
                CREATE TRIGGER "admin_audit_no_replace" BEFORE INSERT ON "admin_audit"
                WHEN EXISTS (SELECT 1 FROM "admin_audit" WHERE "id" = NEW."id")
                BEGIN
                    SELECT RAISE(ABORT, 'admin_audit is append-only: a line of the audit trail cannot be replaced');
                END;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER "audit_entries_no_replace";
                DROP TRIGGER "admin_audit_no_replace";
                """);
        }
    }
}
