using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Madoguchi.Web.Platform.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class PaymentNextCheck : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "NextCheckAt",
                table: "payments",
                type: "TEXT",
                nullable: false,
                defaultValue: new DateTime(1, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified));

            migrationBuilder.CreateIndex(
                name: "IX_payments_Status_NextCheckAt",
                table: "payments",
                columns: new[] { "Status", "NextCheckAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_payments_Status_NextCheckAt",
                table: "payments");

            migrationBuilder.DropColumn(
                name: "NextCheckAt",
                table: "payments");
        }
    }
}
