using System.Text.Json;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Madoguchi.Web.Platform.Outbox;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Madoguchi.Web.Platform.Mail;

public sealed class MailOptions
{
    /// <summary>Pickup writes .eml files to a folder (demo, tests); Smtp sends through a relay.</summary>
    public string Mode { get; set; } = "Pickup";
    public string PickupDirectory { get; set; } = "App_Data/mail";
    public string From { get; set; } = "Madoguchi <no-reply@madoguchi.invalid>";
    public string SmtpHost { get; set; } = "127.0.0.1";
    public int SmtpPort { get; set; } = 25;
    public bool SmtpStartTls { get; set; }
    public string? SmtpUser { get; set; }
    public string? SmtpPassword { get; set; }
    /// <summary>A second relay for when the first cannot be reached or refuses service (4xx); none when its host is empty.</summary>
    public SmtpRelay Fallback { get; set; } = new();

    internal IReadOnlyList<SmtpRelay> Relays
    {
        get
        {
            var first = new SmtpRelay { Host = SmtpHost, Port = SmtpPort, StartTls = SmtpStartTls, User = SmtpUser, Password = SmtpPassword };
            return Fallback.Host.Length > 0 ? [first, Fallback] : [first];
        }
    }
}

public sealed class SmtpRelay
{
    public string Host { get; set; } = "";
    public int Port { get; set; } = 25;
    public bool StartTls { get; set; }
    public string? User { get; set; }
    public string? Password { get; set; }
}

public sealed record MailPayload(string To, string Subject, string Body);

public static class MailExtensions
{
    public const string Type = "mail";

    public static IHostApplicationBuilder AddMail(this IHostApplicationBuilder builder)
    {
        builder.Services.Configure<MailOptions>(builder.Configuration.GetSection("Mail"));
        builder.Services.PostConfigure<MailOptions>(o =>
        {
            if (!Path.IsPathRooted(o.PickupDirectory))
            {
                o.PickupDirectory = Path.Combine(builder.Environment.ContentRootPath, o.PickupDirectory);
            }
        });
        builder.Services.AddSingleton<IOutboxHandler, MailHandler>();
        builder.Services.AddSingleton<MailPickup>();
        return builder;
    }

    /// <summary>Queues a mail in the caller's transaction.</summary>
    public static OutboxMessage QueueMail(this AppDb db, TimeProvider clock, string to, string subject, string body) =>
        db.Enqueue(clock, Type, new MailPayload(to, subject, body));
}

/// <summary>
/// Sends queued mail. The outbox message id becomes the Message-Id and the pickup file name, so a redelivery is the same mail.
/// Through a relay, one connection carries a whole dispatch batch: a rush of confirmations costs one connect, STARTTLS and
/// login per batch instead of per mail, and stays under relays' connection-rate limits. When the relay cannot be reached
/// or refuses service, the batch goes on through the fallback relay; the next batch tries the first one again.
/// </summary>
internal sealed class MailHandler(IOptions<MailOptions> options, ILogger<MailHandler> log) : IOutboxHandler, IDisposable
{
    private readonly SemaphoreSlim connection = new(1, 1);
    private SmtpClient? smtp;
    private int relay;

    public string Type => MailExtensions.Type;

    public async Task HandleAsync(Guid messageId, string payload, CancellationToken ct)
    {
        var mail = JsonSerializer.Deserialize<MailPayload>(payload) ?? throw new InvalidOperationException("Empty mail payload.");
        var o = options.Value;
        using var message = new MimeMessage { MessageId = $"{messageId:N}@madoguchi", Subject = mail.Subject };
        message.From.Add(MailboxAddress.Parse(o.From));
        message.To.Add(MailboxAddress.Parse(mail.To));
        message.Body = new TextPart("plain") { Text = mail.Body };

        if (string.Equals(o.Mode, "Smtp", StringComparison.OrdinalIgnoreCase))
        {
            await SendAsync(message, o.Relays, ct);
            return;
        }

        Directory.CreateDirectory(o.PickupDirectory);
        var path = Path.Combine(o.PickupDirectory, $"{messageId:N}.eml");
        var temp = path + ".tmp";
        await message.WriteToAsync(temp, ct);
        File.Move(temp, path, overwrite: true);
    }

    private async Task SendAsync(MimeMessage message, IReadOnlyList<SmtpRelay> relays, CancellationToken ct)
    {
        await connection.WaitAsync(ct);
        try
        {
            for (; ; relay++)
            {
                try
                {
                    await SendThroughAsync(message, relays[relay], ct);
                    return;
                }
                catch (Exception e) when (relay + 1 < relays.Count && Unavailable(e) && !ct.IsCancellationRequested)
                {
                    log.LogWarning("Mail relay {Host}:{Port} unavailable ({Error}); going on through the fallback relay", relays[relay].Host, relays[relay].Port, e.GetType().Name);
                    await CloseAsync();
                }
            }
        }
        catch
        {
            await CloseAsync();
            throw;
        }
        finally
        {
            connection.Release();
        }
    }

    private async Task SendThroughAsync(MimeMessage message, SmtpRelay to, CancellationToken ct)
    {
        var reused = smtp is { IsConnected: true };
        try
        {
            await (await ConnectedAsync(to, ct)).SendAsync(message, ct);
        }
        catch (Exception e) when (reused && Dropped(e))
        {
            // The relay closed a connection this batch had open (an idle timeout, a cap of mails per connection):
            // the mail goes again at once on a new connection. Should the relay have taken it before hanging up, the
            // copy carries the same Message-Id, as any redelivery does.
            await CloseAsync();
            await (await ConnectedAsync(to, ct)).SendAsync(message, ct);
        }
    }

    private static bool Dropped(Exception e) =>
        e is SmtpProtocolException or ServiceNotConnectedException or IOException
        || e is SmtpCommandException { StatusCode: SmtpStatusCode.ServiceNotAvailable };

    /// <summary>The relay, not the mail, is the trouble: unreachable, gone, or refusing for now (4xx). A 5xx about a recipient is not.</summary>
    private static bool Unavailable(Exception e) =>
        Dropped(e) || e is System.Net.Sockets.SocketException or TimeoutException or AuthenticationException or SslHandshakeException
        || e is SmtpCommandException { StatusCode: < (SmtpStatusCode)500 };

    private async Task<SmtpClient> ConnectedAsync(SmtpRelay to, CancellationToken ct)
    {
        if (smtp is { IsConnected: true })
        {
            return smtp;
        }
        smtp?.Dispose();
        smtp = new SmtpClient { Timeout = 30_000 };
        await smtp.ConnectAsync(to.Host, to.Port, to.StartTls ? SecureSocketOptions.StartTls : SecureSocketOptions.None, ct);
        if (!string.IsNullOrEmpty(to.User))
        {
            await smtp.AuthenticateAsync(to.User, to.Password ?? "", ct);
        }
        return smtp;
    }

    public async Task EndBatchAsync()
    {
        await connection.WaitAsync();
        try
        {
            await CloseAsync();
            relay = 0;
        }
        finally
        {
            connection.Release();
        }
    }

    private async Task CloseAsync()
    {
        if (smtp is null)
        {
            return;
        }
        try
        {
            if (smtp.IsConnected)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await smtp.DisconnectAsync(quit: true, timeout.Token);
            }
        }
        catch (Exception e) when (e is IOException or SmtpProtocolException or SmtpCommandException or OperationCanceledException or ServiceNotConnectedException)
        {
            // The mail already went (or did not, and is retried); a failed goodbye changes nothing.
        }
        smtp.Dispose();
        smtp = null;
    }

    public void Dispose()
    {
        smtp?.Dispose();
        connection.Dispose();
    }
}

/// <summary>Reads the pickup folder for the demo mail page.</summary>
public sealed class MailPickup(IOptions<MailOptions> options)
{
    public sealed record Item(string Id, DateTime At, string To, string Subject, string Body);

    public async Task<IReadOnlyList<Item>> ListAsync(CancellationToken ct)
    {
        var dir = options.Value.PickupDirectory;
        if (!Directory.Exists(dir))
        {
            return [];
        }
        var items = new List<Item>();
        foreach (var file in Directory.EnumerateFiles(dir, "*.eml").OrderByDescending(File.GetLastWriteTimeUtc).Take(100))
        {
            using var message = await MimeMessage.LoadAsync(file, ct);
            items.Add(new Item(Path.GetFileNameWithoutExtension(file), File.GetLastWriteTimeUtc(file),
                message.To.ToString(), message.Subject ?? "", message.TextBody ?? ""));
        }
        return items;
    }
}
