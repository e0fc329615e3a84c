using MimeKit;

namespace Madoguchi.Tests.Infrastructure;

/// <summary>Reads the mail pickup folder the app writes to, waiting for the outbox to deliver.</summary>
public static class Mailbox
{
    public static async Task<MimeMessage> WaitForAsync(string folder, Func<MimeMessage, bool> match, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (DateTime.UtcNow < deadline)
        {
            foreach (var message in await ReadAllAsync(folder))
            {
                if (match(message)) return message;
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"No matching mail arrived in {folder}.");
    }

    public static async Task<IReadOnlyList<MimeMessage>> ReadAllAsync(string folder)
    {
        if (!Directory.Exists(folder)) return [];
        var messages = new List<MimeMessage>();
        foreach (var file in Directory.GetFiles(folder, "*.eml"))
        {
            messages.Add(await MimeMessage.LoadAsync(file));
        }
        return messages;
    }

    public static string LinkIn(MimeMessage message, string pathPrefix)
    {
        var text = message.TextBody ?? "";
        var start = text.IndexOf("http", StringComparison.Ordinal);
        while (start >= 0)
        {
            var end = text.IndexOfAny([' ', '\n', '\r'], start);
            var url = end < 0 ? text[start..] : text[start..end];
            if (new Uri(url).AbsolutePath.StartsWith(pathPrefix, StringComparison.Ordinal)) return url;
            start = text.IndexOf("http", start + 1, StringComparison.Ordinal);
        }
        throw new InvalidOperationException($"No link to {pathPrefix} in the mail.");
    }
}
