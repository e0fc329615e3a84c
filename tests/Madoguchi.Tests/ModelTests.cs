using System.Text.Json;
using Madoguchi.Web.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace Madoguchi.Tests;

public sealed class ModelTests
{
    [Fact]
    public void The_sqlite_migrations_match_the_model()
    {
        using var db = new SqliteDesignTimeFactory().CreateDbContext([]);
        Assert.False(db.Database.HasPendingModelChanges(), "Add a migration: dotnet ef migrations add <Name> -p src/Madoguchi.Web -c SqliteAppDb -o Platform/Data/Migrations/Sqlite");
    }

    [Fact]
    public void The_postgres_migrations_match_the_model()
    {
        using var db = new PostgresDesignTimeFactory().CreateDbContext([]);
        Assert.False(db.Database.HasPendingModelChanges(), "Add a migration: dotnet ef migrations add <Name> -p src/Madoguchi.Web -c PostgresAppDb -o Platform/Data/Migrations/Postgres");
    }

    [Fact]
    public void Both_providers_have_the_same_migrations()
    {
        using var sqlite = new SqliteDesignTimeFactory().CreateDbContext([]);
        using var postgres = new PostgresDesignTimeFactory().CreateDbContext([]);
        Assert.Equal(sqlite.Database.GetMigrations().Select(Name), postgres.Database.GetMigrations().Select(Name));
        static string Name(string id) => id[(id.IndexOf('_', StringComparison.Ordinal) + 1)..];
    }

    [Fact]
    public void Every_interface_string_exists_in_all_three_languages_with_the_same_placeholders()
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "Features", "Shared", "Resources");
        var languages = new[] { "ja", "en", "easy" }.ToDictionary(l => l, l => JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(Path.Combine(folder, $"{l}.json")))!);
        Assert.True(languages["ja"].Count > 100);
        foreach (var (language, strings) in languages)
        {
            Assert.Equal(languages["ja"].Keys.Order(), strings.Keys.Order());
            foreach (var (key, value) in strings)
            {
                Assert.False(string.IsNullOrWhiteSpace(value), $"{language}:{key} is empty");
                Assert.Equal(Placeholders(languages["ja"][key]), Placeholders(value));
            }
        }
        static string Placeholders(string s) => string.Concat(System.Text.RegularExpressions.Regex.Matches(s, @"\{\d\}").Select(m => m.Value).Order());
    }
}
