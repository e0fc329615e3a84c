using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Madoguchi.Web.Platform;

/// <summary>
/// Sends requests for a demo stand-in's logical host (the demo identity provider, the local payment provider) to this
/// app's own listener: the stand-ins are this app, reached over real HTTP as the real services would be.
/// </summary>
internal sealed class DemoLoopbackHandler(IServer server, string logicalHost, int? staffPort) : DelegatingHandler(new SocketsHttpHandler())
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.RequestUri is { } uri && uri.Host == logicalHost)
        {
            var self = SelfAddress();
            request.RequestUri = new UriBuilder(uri) { Scheme = self.Scheme, Host = self.Host, Port = self.Port }.Uri;
        }
        return base.SendAsync(request, cancellationToken);
    }

    /// <summary>The first plain-HTTP listener that is not the staff one, with wildcard hosts made loopback.</summary>
    private Uri SelfAddress()
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
        throw new InvalidOperationException($"The demo stand-in at {logicalHost} needs the app to listen on a plain-HTTP address (Kestrel).");
    }
}
