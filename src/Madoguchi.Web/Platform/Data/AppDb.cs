using Madoguchi.Web.Features.Accounts;
using Madoguchi.Web.Features.Applications;
using Madoguchi.Web.Features.Approvals;
using Madoguchi.Web.Features.Casework;
using Madoguchi.Web.Features.Payments;
using Madoguchi.Web.Features.Payments.LocalProvider;
using Madoguchi.Web.Features.Catalog;
using Madoguchi.Web.Features.Counters;
using Madoguchi.Web.Features.Guide;
using Madoguchi.Web.Features.Insights;
using Madoguchi.Web.Platform.Outbox;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Madoguchi.Web.Platform.Data;

/// <summary>The one DbContext. Features use it directly; the two subclasses below only carry a migration set each.</summary>
public class AppDb(DbContextOptions options) : DbContext(options), IDataProtectionKeyContext
{
    public DbSet<Resident> Residents => Set<Resident>();
    public DbSet<HouseholdMember> HouseholdMembers => Set<HouseholdMember>();
    public DbSet<StaffMember> StaffMembers => Set<StaffMember>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();
    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();
    public DbSet<Office> Offices => Set<Office>();
    public DbSet<Department> Departments => Set<Department>();
    public DbSet<CatalogDocument> CatalogDocuments => Set<CatalogDocument>();
    public DbSet<SavedPlan> SavedPlans => Set<SavedPlan>();
    public DbSet<CounterService> CounterServices => Set<CounterService>();
    public DbSet<Counter> Counters => Set<Counter>();
    public DbSet<Ticket> Tickets => Set<Ticket>();
    public DbSet<TicketSequence> TicketSequences => Set<TicketSequence>();
    public DbSet<OfficeQueue> OfficeQueues => Set<OfficeQueue>();
    public DbSet<Appointment> Appointments => Set<Appointment>();
    public DbSet<Application> Applications => Set<Application>();
    public DbSet<ApplicationEvent> ApplicationEvents => Set<ApplicationEvent>();
    public DbSet<AttachedFile> Attachments => Set<AttachedFile>();
    public DbSet<SavedBankAccount> SavedBankAccounts => Set<SavedBankAccount>();
    public DbSet<Payment> Payments => Set<Payment>();
    public DbSet<PaymentRefund> PaymentRefunds => Set<PaymentRefund>();
    public DbSet<WebhookReceipt> WebhookReceipts => Set<WebhookReceipt>();
    public DbSet<LocalProviderPayment> LocalProviderPayments => Set<LocalProviderPayment>();
    public DbSet<LocalProviderEvent> LocalProviderEvents => Set<LocalProviderEvent>();
    public DbSet<CaseNote> CaseNotes => Set<CaseNote>();
    public DbSet<Decision> Decisions => Set<Decision>();
    public DbSet<ApprovalStep> ApprovalSteps => Set<ApprovalStep>();
    public DbSet<KpiSnapshot> KpiSnapshots => Set<KpiSnapshot>();

    public bool IsPostgres => Database.ProviderName == "Npgsql.EntityFrameworkCore.PostgreSQL";

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(AppDb).Assembly);
        modelBuilder.Entity<DataProtectionKey>().ToTable("data_protection_keys");
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Every DateTime is UTC. SQLite hands values back as Unspecified; stamp them on the way out.
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcConverter>();
    }

    /// <summary>
    /// The entries of one type the context tracks, as they stand: without the scan of every tracked entity for changes
    /// that <see cref="ChangeTracker.Entries{TEntity}"/> and <c>DbSet.Local</c> begin with, which a save makes anyway.
    /// Right for entities put in the unit of work with <c>Add</c>, whose state needs no scan to be known.
    /// </summary>
    public List<EntityEntry<T>> Tracked<T>() where T : class
    {
        var detect = ChangeTracker.AutoDetectChangesEnabled;
        ChangeTracker.AutoDetectChangesEnabled = false;
        try
        {
            return [.. ChangeTracker.Entries<T>()];
        }
        finally
        {
            ChangeTracker.AutoDetectChangesEnabled = detect;
        }
    }

    /// <summary>
    /// Keeps the connection open until the returned handle is disposed, instead of opening and closing it around each
    /// query: for a request that runs several. On SQLite every open of a pooled connection registers EF Core's SQL
    /// functions again, and the handles it replaces are left to the finalizer.
    /// </summary>
    public async Task<IAsyncDisposable> KeepOpenAsync(CancellationToken ct)
    {
        await Database.OpenConnectionAsync(ct);
        return new Closing(this);
    }

    private sealed class Closing(AppDb db) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await db.Database.CloseConnectionAsync();
    }

    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        if (!Tracked<AuditEntry>().Any(e => e.State == EntityState.Added))
        {
            return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        }
        // Audit entries are chained: the link to the previous entry is made inside the transaction that stores them.
        return await AuditLog.SaveChainedAsync(this, () => base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken), cancellationToken);
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess) =>
        SaveChangesAsync(acceptAllChangesOnSuccess).GetAwaiter().GetResult();

    private sealed class UtcConverter() : ValueConverter<DateTime, DateTime>(
        v => v.Kind == DateTimeKind.Utc ? v : v.ToUniversalTime(),
        v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
}

public sealed class SqliteAppDb : AppDb
{
    public SqliteAppDb(DbContextOptions<SqliteAppDb> options) : base(options)
    {
        // Every save in a transaction, even of one row, so that every save queues at the write gate (SqliteWriteGate).
        Database.AutoTransactionBehavior = AutoTransactionBehavior.Always;
    }
}

public sealed class PostgresAppDb(DbContextOptions<PostgresAppDb> options) : AppDb(options);
