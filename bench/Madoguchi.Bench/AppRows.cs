using System.Data.Common;
using Npgsql;

namespace Madoguchi.Bench;

/// <summary>
/// The rows one submission leaves in the app's own tables, taken from the database the app has just filled: the
/// application, its two timeline steps, its audit entry and its confirmation mail in the outbox, every column as the
/// app stored it. <see cref="Writer"/> writes them again under fresh keys with prepared statements, so the raw-insert
/// ceiling and the bare endpoint store what a submission stores, into the same tables with the same indexes.
/// </summary>
internal sealed class AppRows
{
    internal sealed record Row(string Table, string[] Columns, object?[] Values, string?[] Types);

    private readonly Row application;
    private readonly Row[] events;
    private readonly Row audit;
    private readonly Row outbox;

    private AppRows(Row application, Row[] events, Row audit, Row outbox) =>
        (this.application, this.events, this.audit, this.outbox) = (application, events, audit, outbox);

    /// <summary>The newest received application that the app filed through the API (not a copy written here), with its rows.</summary>
    public static async Task<AppRows> ReadAsync(DbConnection connection)
    {
        var application = (await RowsAsync(connection, "applications", """WHERE "Status" = 'received' AND "RequestKey" LIKE 'api:%' ORDER BY "CreatedAt" DESC LIMIT 1""")).Single();
        var id = Convert.ToString(application.Values[Array.IndexOf(application.Columns, "Id")], System.Globalization.CultureInfo.InvariantCulture)!;
        var lower = id.ToLowerInvariant();
        var events = await RowsAsync(connection, "application_events", $"""WHERE "ApplicationId" = {Literal(connection, id)}""");
        var audit = (await RowsAsync(connection, "audit_entries", $"""WHERE "Subject" = 'application:{lower}'""")).Single();
        // Copies written before carry the same mail; any of them is the same row.
        var outbox = (await RowsAsync(connection, "outbox_messages", $"""WHERE "Payload" LIKE '%{lower}%' LIMIT 1""")).Single();
        if (events.Count != 2)
        {
            throw new InvalidOperationException($"Expected the application's two timeline steps, found {events.Count}.");
        }
        return new AppRows(application, [.. events], audit, outbox);
    }

    private static string Literal(DbConnection connection, string id) => connection is NpgsqlConnection ? $"'{id}'::uuid" : $"'{id}'";

    private static async Task<List<Row>> RowsAsync(DbConnection connection, string table, string where)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = $"""SELECT * FROM {table} {where}""";
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<Row>();
        while (await reader.ReadAsync())
        {
            var columns = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToArray();
            var values = Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? null : reader.GetValue(i)).ToArray();
            var types = Enumerable.Range(0, reader.FieldCount).Select(i => reader is NpgsqlDataReader ? reader.GetDataTypeName(i) : null).ToArray();
            rows.Add(new Row(table, columns, values, types));
        }
        return rows;
    }

    /// <summary>
    /// Prepared inserts of one submission's rows on one connection; <see cref="Writer.WriteAsync"/> fills in fresh keys.
    /// Where the provider batches (PostgreSQL) the five go to the server in one round trip, as EF Core sends them.
    /// Without <paramref name="prepare"/> they are left to the connection's automatic preparation, as the app's are.
    /// </summary>
    public async Task<Writer> WriterAsync(DbConnection connection, bool prepare = true)
    {
        Row[] rows = [application, .. events, audit, outbox];
        var batch = connection.CanCreateBatch ? connection.CreateBatch() : null;
        var commands = new List<(Row Row, DbParameterCollection Parameters, DbCommand? Command)>();
        foreach (var row in rows)
        {
            var sql = $"""INSERT INTO {row.Table} ({string.Join(", ", row.Columns.Select(c => $"\"{c}\""))}) VALUES ({string.Join(", ", row.Columns.Select((_, i) => batch is null ? $"@p{i}" : $"${i + 1}"))})""";
            DbParameterCollection parameters;
            DbCommand? command = null;
            if (batch is not null)
            {
                var batchCommand = batch.CreateBatchCommand();
                batchCommand.CommandText = sql;
                batch.BatchCommands.Add(batchCommand);
                parameters = batchCommand.Parameters;
            }
            else
            {
                command = connection.CreateCommand();
                command.CommandText = sql;
                parameters = command.Parameters;
            }
            for (var i = 0; i < row.Columns.Length; i++)
            {
                DbParameter parameter = batch is null ? command!.CreateParameter() : new NpgsqlParameter();
                if (batch is null) parameter.ParameterName = $"p{i}";
                parameter.Value = row.Values[i] ?? DBNull.Value;
                if (parameter is NpgsqlParameter typed)
                {
                    typed.DataTypeName = row.Types[i];
                }
                parameters.Add(parameter);
            }
            commands.Add((row, parameters, command));
        }
        var writer = new Writer(commands, batch);
        if (prepare) await writer.PrepareAsync();
        return writer;
    }

    public sealed class Writer(List<(Row Row, DbParameterCollection Parameters, DbCommand? Command)> commands, DbBatch? batch) : IAsyncDisposable
    {
        internal async Task PrepareAsync()
        {
            if (batch is not null) await batch.PrepareAsync();
            foreach (var (_, _, command) in commands) if (command is not null) await command.PrepareAsync();
        }

        /// <summary>Writes one submission's rows in <paramref name="transaction"/>: new ids, reference, key and audit sequence.</summary>
        public async Task WriteAsync(DbTransaction transaction, long sequence)
        {
            var id = Guid.CreateVersion7();
            var reference = $"B{sequence:D9}";
            foreach (var (row, parameters, command) in commands)
            {
                Set(row, parameters, "Id", template => NewId(template, row.Table == "applications" ? id : Guid.CreateVersion7()));
                Set(row, parameters, "ApplicationId", template => NewId(template, id));
                Set(row, parameters, "Reference", _ => reference);
                Set(row, parameters, "RequestKey", _ => reference);
                Set(row, parameters, "Sequence", _ => sequence);
                Set(row, parameters, "Subject", _ => $"application:{id}");
                if (row.Table == "outbox_messages")
                {
                    Set(row, parameters, "Status", _ => "Pending");
                    Set(row, parameters, "ProcessedAt", _ => null);
                }
                if (command is not null)
                {
                    command.Transaction = transaction;
                    await command.ExecuteNonQueryAsync();
                }
            }
            if (batch is not null)
            {
                batch.Transaction = transaction;
                await batch.ExecuteNonQueryAsync();
            }
        }

        private static void Set(Row row, DbParameterCollection parameters, string column, Func<object?, object?> value)
        {
            var i = Array.IndexOf(row.Columns, column);
            if (i >= 0) parameters[i].Value = value(row.Values[i]) ?? DBNull.Value;
        }

        /// <summary>A key in the form the template has: a uuid on PostgreSQL, upper-case text (as EF Core stores it) on SQLite.</summary>
        private static object NewId(object? template, Guid id) => template is string ? id.ToString().ToUpperInvariant() : id;

        public async ValueTask DisposeAsync()
        {
            if (batch is not null) await batch.DisposeAsync();
            foreach (var (_, _, command) in commands) if (command is not null) await command.DisposeAsync();
        }
    }
}
