using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Madoguchi.Tests.Infrastructure;

/// <summary>Every line the app logs, after the configured level filters, as a log shipper would receive it.</summary>
public sealed class LogCapture : ILoggerProvider
{
    public ConcurrentQueue<(string Category, LogLevel Level, string Message)> Lines { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(LogCapture capture, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            capture.Lines.Enqueue((category, logLevel, formatter(state, exception) + (exception is null ? "" : Environment.NewLine + exception)));
    }
}
