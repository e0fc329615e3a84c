using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Madoguchi.Web.Platform.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Casework : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "AssignedTo",
                table: "applications",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<DateOnly>(
                name: "DueOn",
                table: "applications",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "case_notes",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    ApplicationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    StaffId = table.Column<Guid>(type: "TEXT", nullable: false),
                    StaffName = table.Column<string>(type: "TEXT", maxLength: 120, nullable: false),
                    At = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Text = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_case_notes", x => x.Id);
                    table.ForeignKey(
                        name: "FK_case_notes_applications_ApplicationId",
                        column: x => x.ApplicationId,
                        principalTable: "applications",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "decisions",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    ApplicationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Outcome = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    AmountYen = table.Column<int>(type: "INTEGER", nullable: true),
                    Text = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                    Route = table.Column<string>(type: "TEXT", maxLength: 60, nullable: false),
                    ProposedBy = table.Column<Guid>(type: "TEXT", nullable: false),
                    ProposedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 12, nullable: false),
                    DocumentHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    DecidedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    NoticeNumber = table.Column<string>(type: "TEXT", maxLength: 60, nullable: true),
                    Revision = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_decisions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_decisions_applications_ApplicationId",
                        column: x => x.ApplicationId,
                        principalTable: "applications",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "kpi_snapshots",
                columns: table => new
                {
                    Month = table.Column<string>(type: "TEXT", maxLength: 7, nullable: false),
                    Report = table.Column<string>(type: "TEXT", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_kpi_snapshots", x => x.Month);
                });

            migrationBuilder.CreateTable(
                name: "notice_sequences",
                columns: table => new
                {
                    Year = table.Column<int>(type: "INTEGER", nullable: false),
                    Last = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_notice_sequences", x => x.Year);
                });

            migrationBuilder.CreateTable(
                name: "approval_steps",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    DecisionId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Order = table.Column<int>(type: "INTEGER", nullable: false),
                    Label = table.Column<string>(type: "TEXT", maxLength: 60, nullable: false),
                    Role = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Department = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    SubstituteRole = table.Column<string>(type: "TEXT", maxLength: 20, nullable: true),
                    DelegatedWhen = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    DelegatedUpToYen = table.Column<int>(type: "INTEGER", nullable: true),
                    Status = table.Column<string>(type: "TEXT", maxLength: 12, nullable: false),
                    DecidedBy = table.Column<Guid>(type: "TEXT", nullable: true),
                    DecidedByName = table.Column<string>(type: "TEXT", maxLength: 120, nullable: true),
                    DecidedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    Comment = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    Substitute = table.Column<bool>(type: "INTEGER", nullable: false),
                    Delegated = table.Column<bool>(type: "INTEGER", nullable: false),
                    DocumentHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_approval_steps", x => x.Id);
                    table.ForeignKey(
                        name: "FK_approval_steps_decisions_DecisionId",
                        column: x => x.DecisionId,
                        principalTable: "decisions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_applications_Department_DueOn_SubmittedAt_Status_Office_Channel_ProcedureCode",
                table: "applications",
                columns: new[] { "Department", "DueOn", "SubmittedAt", "Status", "Office", "Channel", "ProcedureCode" });

            migrationBuilder.CreateIndex(
                name: "IX_applications_ProcedureCode_DueOn_SubmittedAt_Status_Office_Channel",
                table: "applications",
                columns: new[] { "ProcedureCode", "DueOn", "SubmittedAt", "Status", "Office", "Channel" });

            migrationBuilder.CreateIndex(
                name: "IX_approval_steps_DecisionId",
                table: "approval_steps",
                column: "DecisionId");

            migrationBuilder.CreateIndex(
                name: "IX_approval_steps_Status_Department_Role",
                table: "approval_steps",
                columns: new[] { "Status", "Department", "Role" });

            migrationBuilder.CreateIndex(
                name: "IX_case_notes_ApplicationId_At",
                table: "case_notes",
                columns: new[] { "ApplicationId", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_decisions_ApplicationId_ProposedAt",
                table: "decisions",
                columns: new[] { "ApplicationId", "ProposedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_decisions_NoticeNumber",
                table: "decisions",
                column: "NoticeNumber",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "approval_steps");

            migrationBuilder.DropTable(
                name: "case_notes");

            migrationBuilder.DropTable(
                name: "kpi_snapshots");

            migrationBuilder.DropTable(
                name: "notice_sequences");

            migrationBuilder.DropTable(
                name: "decisions");

            migrationBuilder.DropIndex(
                name: "IX_applications_Department_DueOn_SubmittedAt_Status_Office_Channel_ProcedureCode",
                table: "applications");

            migrationBuilder.DropIndex(
                name: "IX_applications_ProcedureCode_DueOn_SubmittedAt_Status_Office_Channel",
                table: "applications");

            migrationBuilder.DropColumn(
                name: "AssignedTo",
                table: "applications");

            migrationBuilder.DropColumn(
                name: "DueOn",
                table: "applications");
        }
    }
}
