using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Madoguchi.Web.Platform.Data.Migrations.Sqlite
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
                type: "TEXT",
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
