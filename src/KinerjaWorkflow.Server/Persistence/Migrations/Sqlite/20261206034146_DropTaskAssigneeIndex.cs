using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace KinerjaWorkflow.Server.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class DropTaskAssigneeIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_tasks_assignee",
                table: "tasks");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "ix_tasks_assignee",
                table: "tasks",
                column: "assignee");
        }
    }
}
