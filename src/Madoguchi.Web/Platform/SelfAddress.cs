using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Madoguchi.Web.Platform;

/// <summary>Where this app itself listens, for work that has no request to take an address from.</summary>
internal static class SelfAddress
{
    /// <summary>The first plain-HTTP listener that is not the staff one, with wildcard hosts made loopback; null before the server listens.</summary>
    public static Uri? Of(IServer server, int? staffPort)
    {
        foreach (var address in server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [])
        {
            if (Uri.TryCreate(address.Replace("://+", "://localhost", StringComparison.Ordinal).Replace("://*", "://localhost", StringComparison.Ordinal), UriKind.Absolute, out var uri)
                && uri.Scheme == Uri.UriSchemeHttp && uri.Port != staffPort)
            {
                var host = uri.Host is "localhost" or "0.0.0.0" or "[::]" or "::" ? "127.0.0.1" : uri.Host;
                return new UriBuilder(uri) { Host = host }.Uri;
            }
        }
        return null;
    }
}

/// <summary>Sends requests for the demo identity provider's logical host to this app's own listener: the stand-in is this app, reached over real HTTP.</summary>
internal sealed class DemoLoopbackHandler(IServer server, string logicalHost, int? staffPort) : DelegatingHandler(new SocketsHttpHandler())
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.RequestUri is { } uri && uri.Host == logicalHost)
        {
            var self = SelfAddress.Of(server, staffPort)
                ?? throw new InvalidOperationException($"The demo stand-in at {logicalHost} needs the app to listen on a plain-HTTP address (Kestrel).");
            request.RequestUri = new UriBuilder(uri) { Scheme = self.Scheme, Host = self.Host, Port = self.Port }.Uri;
        }
        return base.SendAsync(request, cancellationToken);
    }
}
