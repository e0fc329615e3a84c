using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Madoguchi.Web.Platform.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class AppointmentResident : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_appointments_ResidentId",
                table: "appointments",
                column: "ResidentId");

            migrationBuilder.AddForeignKey(
                name: "FK_appointments_residents_ResidentId",
                table: "appointments",
                column: "ResidentId",
                principalTable: "residents",
                principalColumn: "Id",
                onDelete: ReferentialAction.Cascade);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_appointments_residents_ResidentId",
                table: "appointments");

            migrationBuilder.DropIndex(
                name: "IX_appointments_ResidentId",
                table: "appointments");
        }
    }
}
