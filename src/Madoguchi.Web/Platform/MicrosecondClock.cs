namespace Madoguchi.Web.Platform;

/// <summary>
/// The system clock to the microsecond. PostgreSQL keeps time no finer, so what the app answers at once and what it
/// reads back later are the same: a replayed request gets the same bytes, and a time compared with its stored copy
/// is equal.
/// </summary>
internal sealed class MicrosecondClock : TimeProvider
{
    public override DateTimeOffset GetUtcNow()
    {
        var now = base.GetUtcNow();
        return now.AddTicks(-(now.Ticks % TimeSpan.TicksPerMicrosecond));
    }
}
