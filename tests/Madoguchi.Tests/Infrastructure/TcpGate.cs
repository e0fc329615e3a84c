using System.Net;
using System.Net.Sockets;

namespace Madoguchi.Tests.Infrastructure;

/// <summary>
/// A TCP forwarder between the app and its database that a test can shut: open connections are reset and new ones
/// refused, as when the database server goes down, until it is opened again on the same port.
/// </summary>
public sealed class TcpGate : IAsyncDisposable
{
    private readonly string targetHost;
    private readonly int targetPort;
    private readonly List<TcpClient> connections = [];
    private TcpListener? listener;
    private CancellationTokenSource? accepting;

    private TcpGate(string targetHost, int targetPort)
    {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        Accept(listener);
    }

    public int Port { get; }

    public static TcpGate To(string host, int port) => new(host, port);

    /// <summary>Resets every connection through the gate and refuses new ones.</summary>
    public void Shut()
    {
        accepting?.Cancel();
        listener?.Stop();
        listener = null;
        lock (connections)
        {
            foreach (var connection in connections)
            {
                if (connection.Client is { } socket)
                {
                    socket.LingerState = new LingerOption(true, 0);
                }
                connection.Dispose();
            }
            connections.Clear();
        }
    }

    public void Open()
    {
        listener = new TcpListener(IPAddress.Loopback, Port);
        listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Start();
        Accept(listener);
    }

    private void Accept(TcpListener on)
    {
        accepting = new CancellationTokenSource();
        var ct = accepting.Token;
        _ = Task.Run(async () =>
        {
            while (!ct.IsCancellationRequested)
            {
                TcpClient inbound;
                try
                {
                    inbound = await on.AcceptTcpClientAsync(ct);
                }
                catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
                {
                    return;
                }
                var outbound = new TcpClient();
                try
                {
                    await outbound.ConnectAsync(targetHost, targetPort, ct);
                }
                catch (Exception e) when (e is OperationCanceledException or SocketException)
                {
                    inbound.Dispose();
                    outbound.Dispose();
                    continue;
                }
                lock (connections)
                {
                    connections.Add(inbound);
                    connections.Add(outbound);
                }
                _ = PumpAsync(inbound, outbound);
                _ = PumpAsync(outbound, inbound);
            }
        }, ct);
    }

    private static async Task PumpAsync(TcpClient from, TcpClient to)
    {
        try
        {
            await from.GetStream().CopyToAsync(to.GetStream());
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
        {
        }
        from.Dispose();
        to.Dispose();
    }

    public ValueTask DisposeAsync()
    {
        Shut();
        accepting?.Dispose();
        return ValueTask.CompletedTask;
    }
}
