using Microsoft.Data.Sqlite;
using Npgsql;

namespace Madoguchi.Web.Platform.Data;

/// <summary>
/// Tells a database that cannot be reached or cannot write just now (PostgreSQL down, restarting or shutting
/// connections; SQLite busy past its timeout, out of disk, failing I/O or refused after a <see cref="StorageFault"/>)
/// from a fault in the app. Such a request is answered 503 with Retry-After: nothing was acknowledged, and the same
/// request sent again later is safe.
/// </summary>
public static class DatabaseOutage
{
    public static bool Is(Exception exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            if (e is NpgsqlException { IsTransient: true }
                || e is SqliteException { SqliteErrorCode: 5 or 6 or 13 or 14 } // BUSY, LOCKED, FULL, CANTOPEN
                || e is StorageFaultException
                || StorageFault.IsFatal(e))
            {
                return true;
            }
        }
        return false;
    }

    public static int StatusCode(Exception exception) => Is(exception) ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status500InternalServerError;

    /// <summary>How long a client is asked to wait before sending again.</summary>
    public const string RetryAfterSeconds = "5";
}
