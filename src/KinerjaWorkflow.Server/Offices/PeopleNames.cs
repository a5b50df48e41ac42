using KinerjaWorkflow.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace KinerjaWorkflow.Server.Offices;

/// <summary>
/// How pages and messages name a person: "Nofriza Rahmi (Kepala Seksi)", never the username people sign in
/// with. One place so every view names people alike.
/// </summary>
public sealed class PeopleNames(KinerjaDbContext db)
{
    /// <summary>The label of each known username of the office; a username the office does not know is left out.</summary>
    public async Task<IReadOnlyDictionary<string, string>> OfAsync(string officeId, IEnumerable<string?> userNames, CancellationToken ct)
    {
        var wanted = userNames.OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        if (wanted.Count == 0)
        {
            return new Dictionary<string, string>(StringComparer.Ordinal);
        }

        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        await foreach (var user in Named.For(db)(db, officeId, wanted).WithCancellation(ct))
        {
            labels[user.UserName] = Label(user.DisplayName, user.Roles.Order(StringComparer.Ordinal).ToList());
        }

        return labels;
    }

    /// <summary>Compiled, the roles joined, one round trip: every view that names people calls this, a completion's answer too.</summary>
    private static readonly CompiledPerModel<Func<KinerjaDbContext, string, List<string>, IAsyncEnumerable<StoredName>>> Named = new(() =>
        EF.CompileAsyncQuery<KinerjaDbContext, string, List<string>, StoredName>((KinerjaDbContext db, string officeId, List<string> wanted) =>
            db.Users.AsNoTracking()
                .Where(u => u.OfficeId == officeId && wanted.Contains(u.UserName))
                .Select(u => new StoredName(u.UserName, u.DisplayName, db.UserRoles.Where(r => r.UserId == u.Id).Select(r => r.RoleName).ToList()))));

    private sealed record StoredName(string UserName, string DisplayName, List<string> Roles);

    public async Task<string?> OfAsync(string officeId, string? userName, CancellationToken ct) =>
        userName is null ? null : (await OfAsync(officeId, [userName], ct)).GetValueOrDefault(userName, userName);

    public static string Label(string displayName, IReadOnlyList<string> roles) =>
        roles.Count == 0 ? displayName : $"{displayName} ({string.Join(", ", roles)})";
}

public static class PeopleNamesExtensions
{
    /// <summary>The person's label, or the username itself for an account the office no longer has.</summary>
    public static string? NameOf(this IReadOnlyDictionary<string, string> names, string? userName) =>
        userName is null ? null : names.GetValueOrDefault(userName, userName);
}
