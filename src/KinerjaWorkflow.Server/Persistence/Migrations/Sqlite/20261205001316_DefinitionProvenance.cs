using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace KinerjaWorkflow.Server.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class DefinitionProvenance : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "change_note",
                table: "definitions",
                type: "TEXT",
                nullable: true);

            // Versions stored before provenance: an admin's deploy was recorded as "api", and a file's deploy by its
            // path with no note, so each gets what a deploy records now.
            migrationBuilder.Sql("UPDATE definitions SET source = 'designer' WHERE source = 'api';");
            migrationBuilder.Sql("UPDATE definitions SET change_note = 'Diterbitkan dari berkas workflows/' || source WHERE source <> 'designer';");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("UPDATE definitions SET source = 'api' WHERE source = 'designer';");

            migrationBuilder.DropColumn(
                name: "change_note",
                table: "definitions");
        }
    }
}
