using System.Collections.Concurrent;
using KinerjaWorkflow.Server.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;

namespace KinerjaWorkflow.Server.Offices;

/// <summary>
/// How pages and messages name a person: "Nofriza Rahmi (Kepala Seksi)", never the username people sign in
/// with. One place so every view names people alike, as they are now.
/// </summary>
public sealed class PeopleNames(KinerjaDbContext db, KnownPeople known)
{
    /// <summary>The service setting that changes with every change to a person's name, office or roles.</summary>
    public const string StampSetting = "people-stamp";

    /// <summary>The labels kept at the stamp this unit of work read, once it hands it over; until then none.</summary>
    private ConcurrentDictionary<(string OfficeId, string UserName), string>? _kept;

    /// <summary>
    /// The stored people stamp as a query of the unit read it with its own rows: the unit's later lookups may answer
    /// from the labels read at that stamp (<see cref="KnownPeople"/>). Only a unit that changes no person hands it over.
    /// </summary>
    public void TakeStamp(string? stamp) => _kept = known.At(stamp);

    /// <summary>
    /// Writes a fresh people stamp in <paramref name="db"/>'s unit of work when it adds or removes a person or a role of
    /// one, or changes a person's name, username or office, so the stamp commits with the change it marks.
    /// </summary>
    public static async Task RestampIfChangedAsync(KinerjaDbContext db, CancellationToken ct)
    {
        if (db.ChangeTracker.Entries().Any(ChangesALabel))
        {
            await ServiceSettingRecord.RestampAsync(db, StampSetting, ct);
        }
    }

    private static bool ChangesALabel(EntityEntry entry) => entry.Entity switch
    {
        UserRecord => entry.State is EntityState.Added or EntityState.Deleted
            || (entry.State is EntityState.Modified
                && (entry.Property(nameof(UserRecord.DisplayName)).IsModified
                    || entry.Property(nameof(UserRecord.UserName)).IsModified
                    || entry.Property(nameof(UserRecord.OfficeId)).IsModified)),
        UserRoleRecord => entry.State is EntityState.Added or EntityState.Deleted or EntityState.Modified,
        _ => false,
    };

    /// <summary>
    /// Adds to <paramref name="names"/> the label of each of <paramref name="wanted"/> it does not name yet: an answer that
    /// already knows some people as they are now (from the command it ran) asks only for the rest, or for nobody.
    /// </summary>
    public async Task AddMissingAsync(string officeId, Dictionary<string, string> names, IEnumerable<string?> wanted, CancellationToken ct)
    {
        var others = wanted.Where(userName => userName is not null && !names.ContainsKey(userName)).ToList();
        if (others.Count == 0)
        {
            return;
        }

        foreach (var (userName, label) in await OfAsync(officeId, others, ct))
        {
            names[userName] = label;
        }
    }

    /// <summary>The label of each known username of the office; a username the office does not know is left out.</summary>
    public async Task<IReadOnlyDictionary<string, string>> OfAsync(string officeId, IEnumerable<string?> userNames, CancellationToken ct)
    {
        var wanted = userNames.OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (_kept is { } kept)
        {
            wanted.RemoveAll(userName =>
            {
                if (!kept.TryGetValue((officeId, userName), out var label))
                {
                    return false;
                }

                labels[userName] = label;
                return true;
            });
        }

        if (wanted.Count == 0)
        {
            return labels;
        }

        var read = await ReadAsync(officeId, wanted, ct);
        foreach (var (userName, label) in read)
        {
            labels[userName] = label;
            _kept?.TryAdd((officeId, userName), label);
        }

        return labels;
    }

    private async Task<Dictionary<string, string>> ReadAsync(string officeId, List<string> wanted, CancellationToken ct)
    {
        // One row per role, or one with no role; a person's rows come together, ordered by their key.
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        var roles = new List<string>();
        NameRow? person = null;
        await foreach (var row in RowsOf(officeId, wanted).WithCancellation(ct))
        {
            if (person is not null && row.UserName != person.UserName)
            {
                labels[person.UserName] = SortedLabel(person.DisplayName, roles);
                roles.Clear();
            }

            person = row;
            if (row.RoleName is not null)
            {
                roles.Add(row.RoleName);
            }
        }

        if (person is not null)
        {
            labels[person.UserName] = SortedLabel(person.DisplayName, roles);
        }

        return labels;
    }

    /// <summary>
    /// Up to <see cref="Few"/> people in a statement that is always the same, the unused places repeating the first name;
    /// more in one whose list EF expands at every call, which costs more than the query. Either way flat rows of the users
    /// joined to their roles, one round trip, without EF's shaping of a list of roles per user.
    /// </summary>
    private IAsyncEnumerable<NameRow> RowsOf(string officeId, List<string> wanted) =>
        wanted.Count <= Few
            ? NamedFew.For(db)(db, officeId, wanted[0], wanted[Math.Min(1, wanted.Count - 1)], wanted[Math.Min(2, wanted.Count - 1)], wanted[^1])
            : Named.For(db)(db, officeId, wanted);

    /// <summary>A task's answer names at most four people: its holder, who completed it, who completed the step before, who sent it back.</summary>
    private const int Few = 4;

    private static readonly CompiledPerModel<Func<KinerjaDbContext, string, string, string, string, string, IAsyncEnumerable<NameRow>>> NamedFew = new(() =>
        EF.CompileAsyncQuery<KinerjaDbContext, string, string, string, string, string, NameRow>((KinerjaDbContext db, string officeId, string a, string b, string c, string d) =>
            from u in db.Users
            where u.OfficeId == officeId && (u.UserName == a || u.UserName == b || u.UserName == c || u.UserName == d)
            join r in db.UserRoles on u.Id equals r.UserId into roles
            from r in roles.DefaultIfEmpty()
            orderby u.Id
            select new NameRow(u.UserName, u.DisplayName, r!.RoleName)));

    private static readonly CompiledPerModel<Func<KinerjaDbContext, string, List<string>, IAsyncEnumerable<NameRow>>> Named = new(() =>
        EF.CompileAsyncQuery<KinerjaDbContext, string, List<string>, NameRow>((KinerjaDbContext db, string officeId, List<string> wanted) =>
            from u in db.Users
            where u.OfficeId == officeId && wanted.Contains(u.UserName)
            join r in db.UserRoles on u.Id equals r.UserId into roles
            from r in roles.DefaultIfEmpty()
            orderby u.Id
            select new NameRow(u.UserName, u.DisplayName, r!.RoleName)));

    private sealed record NameRow(string UserName, string DisplayName, string? RoleName);

    public async Task<string?> OfAsync(string officeId, string? userName, CancellationToken ct) =>
        userName is null ? null : (await OfAsync(officeId, [userName], ct)).GetValueOrDefault(userName, userName);

    public static string Label(string displayName, IReadOnlyList<string> roles) =>
        roles.Count == 0 ? displayName : $"{displayName} ({string.Join(", ", roles)})";

    /// <summary><see cref="Label"/> of roles in any order: sorts them in place, as a person's roles are shown.</summary>
    public static string SortedLabel(string displayName, List<string> roles)
    {
        roles.Sort(StringComparer.Ordinal);
        return Label(displayName, (IReadOnlyList<string>)roles);
    }
}

public static class PeopleNamesExtensions
{
    /// <summary>The person's label, or the username itself for an account the office no longer has.</summary>
    public static string? NameOf(this IReadOnlyDictionary<string, string> names, string? userName) =>
        userName is null ? null : names.GetValueOrDefault(userName, userName);
}
