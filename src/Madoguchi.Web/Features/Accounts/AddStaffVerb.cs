using Madoguchi.Web.Platform;

namespace Madoguchi.Web.Features.Accounts;

/// <summary>
/// Creates a staff account and prints its initial password and second-factor secret once, for the operator
/// to hand over. Nothing else ever shows them.
/// </summary>
internal sealed class AddStaffVerb : IVerb
{
    public string Name => "add-staff";

    public string Usage => "add-staff <login-id> --name <name> --roles <r,…> --departments <d,…>";

    public async Task<int> RunAsync(IServiceProvider services, string[] args)
    {
        var db = services.GetRequiredService<AppDb>();
        string? Option(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
        static List<string> List(string? value) => [.. (value ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
        var loginId = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal));
        var password = StaffAccounts.NewPassword();
        var (account, error) = await StaffAccounts.CreateAsync(
            db, services.GetRequiredService<TotpSecrets>(), services.GetRequiredService<TimeProvider>(), "operator",
            loginId ?? "", Option("--name") ?? "", List(Option("--roles")), List(Option("--departments")), password);
        if (account is null)
        {
            Console.Error.WriteLine(error);
            return 1;
        }
        Console.WriteLine($"Staff account '{account.Staff.LoginId}' created.");
        Console.WriteLine($"Initial password: {password}");
        Console.WriteLine($"Second factor (add to an authenticator app): {account.OtpAuthUri}");
        return 0;
    }
}
