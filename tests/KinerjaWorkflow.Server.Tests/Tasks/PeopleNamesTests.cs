using KinerjaWorkflow.Server.Offices;
using KinerjaWorkflow.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace KinerjaWorkflow.Server.Tests.Tasks;

/// <summary>
/// How people are named: a few names are read in one fixed statement, more in one with a list; both must name people
/// alike, roles in ordinal order, and leave out a username the office does not know.
/// </summary>
public sealed class PeopleNamesTests(InboxFixture inbox) : IClassFixture<InboxFixture>, IAsyncLifetime
{
    private const string Office = "kantor-uji-inbox";

    public async Task InitializeAsync()
    {
        using var scope = inbox.Server.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<KinerjaDbContext>();
        if (db.Users.Any(u => u.UserName == "dua.peran"))
        {
            return;
        }

        var twoRoles = NewUser("dua.peran", "Dua Peran");
        db.Users.AddRange(twoRoles, NewUser("tanpa.peran", "Tanpa Peran"));
        db.UserRoles.AddRange(
            new UserRoleRecord { UserId = twoRoles.Id, RoleName = "Pelaksana" },
            new UserRoleRecord { UserId = twoRoles.Id, RoleName = "Bendahara" });
        await db.SaveChangesAsync();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_few_names_carry_every_role_in_order_and_leave_out_unknown_usernames()
    {
        var names = await NamesAsync(["dua.peran", "tanpa.peran", Inbox.PelaksanaSatu, "tidak.ada"]);

        names.Should().BeEquivalentTo(new Dictionary<string, string>
        {
            ["dua.peran"] = "Dua Peran (Bendahara, Pelaksana)",
            ["tanpa.peran"] = "Tanpa Peran",
            [Inbox.PelaksanaSatu] = "Pelaksana Satu (Pelaksana)",
        });
    }

    [Fact]
    public async Task Many_names_are_named_as_each_alone()
    {
        string[] userNames = ["dua.peran", "tanpa.peran", Inbox.PelaksanaSatu, Inbox.PelaksanaDua, Inbox.Kepala, Inbox.Kasubbag, Inbox.Bendahara, "tidak.ada"];

        var together = await NamesAsync(userNames);

        var alone = new Dictionary<string, string>();
        foreach (var userName in userNames)
        {
            foreach (var (known, label) in await NamesAsync([userName]))
            {
                alone[known] = label;
            }
        }

        together.Should().HaveCount(7).And.BeEquivalentTo(alone);
    }

    [Fact]
    public async Task Missing_and_repeated_usernames_are_named_once()
    {
        var names = await NamesAsync([null, Inbox.PelaksanaSatu, null, Inbox.PelaksanaSatu]);

        names.Should().BeEquivalentTo(new Dictionary<string, string> { [Inbox.PelaksanaSatu] = "Pelaksana Satu (Pelaksana)" });
    }

    [Fact]
    public async Task A_unit_of_work_that_renames_a_person_or_changes_their_roles_writes_a_new_people_stamp_and_a_new_password_does_not()
    {
        using var scope = inbox.Server.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<KinerjaDbContext>();
        var person = NewUser("berganti.nama", "Nama Lama");
        db.Users.Add(person);
        var added = await SavedStampAsync(db);
        person.PasswordHash = "sandi-baru";
        var passwordChanged = await SavedStampAsync(db);
        person.DisplayName = "Nama Baru";
        var renamed = await SavedStampAsync(db);
        db.UserRoles.Add(new UserRoleRecord { UserId = person.Id, RoleName = "Pelaksana" });
        var roleGiven = await SavedStampAsync(db);
        db.UserRoles.Remove(await db.UserRoles.SingleAsync(r => r.UserId == person.Id));
        var roleTaken = await SavedStampAsync(db);

        added.Should().NotBeNull();
        passwordChanged.Should().Be(added);
        new[] { added, renamed, roleGiven, roleTaken }.Should().OnlyHaveUniqueItems();
    }

    private static async Task<string?> SavedStampAsync(KinerjaDbContext db)
    {
        await PeopleNames.RestampIfChangedAsync(db, CancellationToken.None);
        await db.SaveChangesAsync();
        return await db.Set<ServiceSettingRecord>().AsNoTracking().Where(s => s.Name == PeopleNames.StampSetting).Select(s => s.Value).SingleOrDefaultAsync();
    }

    private async Task<IReadOnlyDictionary<string, string>> NamesAsync(IEnumerable<string?> userNames)
    {
        using var scope = inbox.Server.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<PeopleNames>().OfAsync(Office, userNames, CancellationToken.None);
    }

    private static UserRecord NewUser(string userName, string displayName) => new()
    {
        Id = Guid.NewGuid(),
        UserName = userName,
        DisplayName = displayName,
        OfficeId = Office,
        PasswordHash = "-",
    };
}
