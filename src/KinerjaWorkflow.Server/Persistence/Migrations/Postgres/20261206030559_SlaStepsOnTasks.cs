using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace KinerjaWorkflow.Server.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class SlaStepsOnTasks : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "next_sla_step_at",
                table: "tasks",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "sla_steps_scheduled",
                table: "tasks",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            // An open task given before this migration had every step of its plan written as a schedule row when it
            // was given: those rows stay its schedule, and its plan has no step left to write.
            migrationBuilder.Sql(
                """
                UPDATE tasks SET sla_steps_scheduled = (
                    SELECT COUNT(*) FROM scheduled_items s
                    WHERE s.task_id = tasks.id AND s.kind IN ('reminder', 'escalation'))
                WHERE status IN ('open', 'claimed')
                  AND id IN (SELECT task_id FROM scheduled_items WHERE kind IN ('reminder', 'escalation'));
                """);

            migrationBuilder.CreateIndex(
                name: "ix_tasks_next_sla_step_at",
                table: "tasks",
                column: "next_sla_step_at",
                filter: "\"status\" IN ('open', 'claimed') AND \"next_sla_step_at\" IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_tasks_next_sla_step_at",
                table: "tasks");

            migrationBuilder.DropColumn(
                name: "next_sla_step_at",
                table: "tasks");

            migrationBuilder.DropColumn(
                name: "sla_steps_scheduled",
                table: "tasks");
        }
    }
}
