using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace KinerjaWorkflow.Server.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class DropRedundantIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_tasks_office_id_status_due_at",
                table: "tasks");

            migrationBuilder.DropIndex(
                name: "ix_audit_entries_instance_id_id",
                table: "audit_entries");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "ix_tasks_office_id_status_due_at",
                table: "tasks",
                columns: new[] { "office_id", "status", "due_at" });

            migrationBuilder.CreateIndex(
                name: "ix_audit_entries_instance_id_id",
                table: "audit_entries",
                columns: new[] { "instance_id", "id" });
        }
    }
}
