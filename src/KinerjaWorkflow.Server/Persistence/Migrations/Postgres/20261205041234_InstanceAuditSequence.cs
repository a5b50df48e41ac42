using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace KinerjaWorkflow.Server.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class InstanceAuditSequence : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "audit_sequence",
                table: "instances",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            // Instances started before the counter: their last line's number, so the next line follows it.
            migrationBuilder.Sql("""
                UPDATE "instances" SET "audit_sequence" = COALESCE(
                    (SELECT MAX("sequence") FROM "audit_entries" WHERE "audit_entries"."instance_id" = "instances"."id"), 0);
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "audit_sequence",
                table: "instances");
        }
    }
}
