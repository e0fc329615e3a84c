using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Madoguchi.Web.Platform.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AwaitingIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_applications_Status_DueOn_SubmittedAt",
                table: "applications",
                columns: new[] { "Status", "DueOn", "SubmittedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_applications_Status_DueOn_SubmittedAt",
                table: "applications");
        }
    }
}
