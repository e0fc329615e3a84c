namespace Madoguchi.Web.Platform;

/// <summary>
/// A background job that runs at start and then every <see cref="Interval"/>. A failed run is logged and the next one
/// comes as usual, so a passing database hiccup never stops the job. After a storage fault the runs are refused quietly.
/// </summary>
public abstract class PeriodicService(ILogger log) : BackgroundService
{
    protected abstract TimeSpan Interval { get; }

    public abstract Task RunOnceAsync(CancellationToken ct);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        do
        {
            try
            {
                await RunOnceAsync(stoppingToken);
            }
            catch (Data.StorageFaultException)
            {
                // Logged once when the fault was seen; the job waits for the restart like every other writer.
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogWarning(e, "{Job} failed; it runs again in {Interval}", GetType().Name, Interval);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
