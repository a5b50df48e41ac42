using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace KinerjaWorkflow.Server.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class CalendarDaysUnique : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Before the indexes, only a check in code kept a day once per scope; a race could have written it twice.
            migrationBuilder.Sql("DELETE FROM calendar_days WHERE id NOT IN (SELECT MIN(id) FROM calendar_days GROUP BY office_id, date);");

            migrationBuilder.DropIndex(
                name: "ix_calendar_days_date",
                table: "calendar_days");

            migrationBuilder.DropIndex(
                name: "ix_calendar_days_office_id",
                table: "calendar_days");

            migrationBuilder.CreateIndex(
                name: "ix_calendar_days_date",
                table: "calendar_days",
                column: "date",
                unique: true,
                filter: "office_id IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_calendar_days_office_id_date",
                table: "calendar_days",
                columns: new[] { "office_id", "date" },
                unique: true,
                filter: "office_id IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_calendar_days_date",
                table: "calendar_days");

            migrationBuilder.DropIndex(
                name: "ix_calendar_days_office_id_date",
                table: "calendar_days");

            migrationBuilder.CreateIndex(
                name: "ix_calendar_days_date",
                table: "calendar_days",
                column: "date");

            migrationBuilder.CreateIndex(
                name: "ix_calendar_days_office_id",
                table: "calendar_days",
                column: "office_id");
        }
    }
}
