using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace Madoguchi.Web.Platform.Audit;

public sealed class AuditOptions
{
    /// <summary>A folder off the database (another machine's share, write-once storage) where checkpoints are appended; none when empty.</summary>
    public string CheckpointDirectory { get; set; } = "";

    /// <summary>The secret that signs checkpoints: from the environment or a secret store, never the database or the repository.</summary>
    public string CheckpointKey { get; set; } = "";

    public double CheckpointMinutes { get; set; } = 5;
}

/// <summary>A signed statement that the chain reached entry <see cref="Sequence"/> with <see cref="Hash"/> at <see cref="At"/>; <see cref="Genuine"/> is false for a line whose signature does not verify.</summary>
public sealed record AuditCheckpoint(long Sequence, string Hash, DateTime At, bool Genuine);

/// <summary>
/// Signed checkpoints of the head of the audit chain, appended to files off the database (ADR 0005). The chain shows an
/// entry changed, removed, inserted or reordered, but not entries cut from its end, nor a chain rewritten from some
/// entry on by someone who can write the database; a checkpoint does: the chain must reach it, with its hash.
/// One file per machine, one line per checkpoint, so nodes sharing the folder never write into the same file.
/// </summary>
public sealed class AuditCheckpoints(IOptions<AuditOptions> options)
{
    private sealed record Line(long Sequence, string Hash, DateTime At, string Mac);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public bool Enabled => options.Value.CheckpointDirectory.Length > 0;

    /// <summary>Appends a checkpoint and syncs it to the disk before returning (one writer per process: <see cref="AuditCheckpointWriter"/>).</summary>
    public async Task AppendAsync(long sequence, string hash, DateTime at, CancellationToken ct)
    {
        var folder = options.Value.CheckpointDirectory;
        Directory.CreateDirectory(folder);
        at = Utc(at);
        var line = JsonSerializer.Serialize(new Line(sequence, hash, at, Mac(sequence, hash, at)), Json) + "\n";
        await using var file = new FileStream(Path.Combine(folder, $"{MachineFile()}.jsonl"), FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
        await file.WriteAsync(Encoding.UTF8.GetBytes(line), ct);
        file.Flush(flushToDisk: true);
    }

    /// <summary>Every checkpoint of every machine; a line that cannot be read, or whose signature does not verify, comes back not genuine.</summary>
    public async Task<IReadOnlyList<AuditCheckpoint>> ReadAsync(CancellationToken ct)
    {
        var folder = options.Value.CheckpointDirectory;
        if (!Enabled || !Directory.Exists(folder)) return [];
        var found = new List<AuditCheckpoint>();
        foreach (var path in Directory.EnumerateFiles(folder, "*.jsonl"))
        {
            foreach (var text in await File.ReadAllLinesAsync(path, ct))
            {
                if (text.Length == 0) continue;
                Line? line = null;
                try { line = JsonSerializer.Deserialize<Line>(text, Json); } catch (JsonException) { }
                found.Add(line is null
                    ? new AuditCheckpoint(0, "", default, false)
                    : new AuditCheckpoint(line.Sequence, line.Hash ?? "", Utc(line.At), CryptographicOperations.FixedTimeEquals(
                        Encoding.ASCII.GetBytes(line.Mac ?? ""), Encoding.ASCII.GetBytes(Mac(line.Sequence, line.Hash ?? "", line.At)))));
            }
        }
        return found;
    }

    private string Mac(long sequence, string hash, DateTime at) => Convert.ToHexStringLower(HMACSHA256.HashData(
        Encoding.UTF8.GetBytes(options.Value.CheckpointKey),
        Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{sequence}\n{hash}\n{Utc(at):O}"))));

    /// <summary>Entries are stored in UTC; SQLite hands them back without a kind.</summary>
    private static DateTime Utc(DateTime at) => at.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(at, DateTimeKind.Utc) : at.ToUniversalTime();

    private static string MachineFile() => string.Concat(Environment.MachineName.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_'));
}

/// <summary>Writes a checkpoint of the chain's head every few minutes when it has moved on.</summary>
public sealed class AuditCheckpointWriter(IServiceScopeFactory scopes, AuditCheckpoints checkpoints, IOptions<AuditOptions> options, ILogger<AuditCheckpointWriter> log)
    : PeriodicService(log)
{
    private long written;

    protected override TimeSpan Interval => TimeSpan.FromMinutes(options.Value.CheckpointMinutes);

    public override async Task RunOnceAsync(CancellationToken ct)
    {
        if (!checkpoints.Enabled) return;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDb>();
        var head = await db.AuditEntries.AsNoTracking().OrderByDescending(e => e.Sequence).Select(e => new { e.Sequence, e.Hash, e.At }).FirstOrDefaultAsync(ct);
        if (head is null || head.Sequence <= written) return;
        await checkpoints.AppendAsync(head.Sequence, head.Hash, head.At, ct);
        written = head.Sequence;
    }
}
