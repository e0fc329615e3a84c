using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Madoguchi.Web.Platform.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ResidentLanguage : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Language",
                table: "residents",
                type: "character varying(8)",
                maxLength: 8,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Language",
                table: "residents");
        }
    }
}
