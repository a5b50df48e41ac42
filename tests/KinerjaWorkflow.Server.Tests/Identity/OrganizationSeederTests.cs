using KinerjaWorkflow.Server.Identity;
using KinerjaWorkflow.Server.Offices;
using KinerjaWorkflow.Server.Persistence;
using KinerjaWorkflow.Server.Tests.Persistence;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace KinerjaWorkflow.Server.Tests.Identity;

public sealed class OrganizationSeederTests
{
    private const string OfficeId = "dinas-bmcktr-sumbar";
    private static readonly DateTimeOffset Now = new(2025, 6, 2, 1, 0, 0, TimeSpan.Zero);

    /// <summary>Few iterations: these tests check that the hash verifies, not that it is slow to crack.</summary>
    private static readonly PasswordHasher<UserRecord> Hasher = new(Options.Create(new PasswordHasherOptions { IterationCount = 1_000 }));

    [Fact]
    public async Task Seeds_the_office_its_roles_and_its_users()
    {
        using var database = await TestDatabase.CreateMigratedAsync();

        await SeedAsync(database, OrganizationLoaderTests.Sumbar);

        await using var db = database.NewContext();
        var office = await db.Offices.SingleAsync();
        office.Should().BeEquivalentTo(new { Id = OfficeId, Name = "Dinas Bina Marga, Cipta Karya dan Tata Ruang Provinsi Sumatera Barat", TimeZone = "Asia/Jakarta", OrganizationYaml = OrganizationLoaderTests.Sumbar });
        (await db.OfficeRoles.ToListAsync()).Should().BeEquivalentTo(new[]
        {
            new OfficeRoleRecord { OfficeId = OfficeId, Name = "Kepala Dinas", SupervisorRole = null },
            new OfficeRoleRecord { OfficeId = OfficeId, Name = "Sekretaris", SupervisorRole = "Kepala Dinas" },
            new OfficeRoleRecord { OfficeId = OfficeId, Name = "Bidang", SupervisorRole = "Sekretaris" },
            new OfficeRoleRecord { OfficeId = OfficeId, Name = "Tim SAKIP", SupervisorRole = "Sekretaris" },
        });
        var users = await db.Users.OrderBy(u => u.UserName).ToListAsync();
        users.Select(u => (u.UserName, u.DisplayName, u.OfficeId, u.IsAdmin, u.Email, u.CreatedAt)).Should().Equal(
            ("budi", "Budi Santoso", OfficeId, false, null, Now),
            ("erasukma", "Erasukma Munaf, ST, MMI", OfficeId, true, "erasukma@binamarga.sumbarprov.example", Now),
            ("fadli", "Fadli, SE", OfficeId, false, null, Now));
        (await RolesOfAsync(db, "budi")).Should().BeEquivalentTo("Bidang", "Tim SAKIP");
    }

    [Fact]
    public async Task Seeding_unchanged_files_again_changes_nothing()
    {
        using var database = await TestDatabase.CreateMigratedAsync();
        var first = await SeedAsync(database, OrganizationLoaderTests.Sumbar);

        var second = await SeedAsync(database, OrganizationLoaderTests.Sumbar);

        first.Changes.Should().BePositive();
        second.Should().Be(new OrganizationSeedResult(Offices: 1, Users: 3, Changes: 0));
    }

    [Fact]
    public async Task Follows_roles_and_supervisors_changed_in_the_file()
    {
        using var database = await TestDatabase.CreateMigratedAsync();
        await SeedAsync(database, OrganizationLoaderTests.Sumbar);
        var changed = OrganizationLoaderTests.Sumbar
            .Replace("roles: [Bidang, Tim SAKIP]", "roles: [Bidang]", StringComparison.Ordinal)
            .Replace("  - name: Tim SAKIP\n    supervisor: Sekretaris\n", "", StringComparison.Ordinal)
            .Replace("  - name: Bidang\n    supervisor: Sekretaris", "  - name: Bidang\n    supervisor: Kepala Dinas", StringComparison.Ordinal)
            .Replace("name: Budi Santoso", "name: Budi Santoso, S.T.", StringComparison.Ordinal);

        await SeedAsync(database, changed);

        await using var db = database.NewContext();
        (await RolesOfAsync(db, "budi")).Should().Equal("Bidang");
        (await db.OfficeRoles.Select(r => r.Name).ToListAsync()).Should().NotContain("Tim SAKIP");
        (await db.OfficeRoles.SingleAsync(r => r.Name == "Bidang")).SupervisorRole.Should().Be("Kepala Dinas");
        (await db.Users.SingleAsync(u => u.UserName == "budi")).DisplayName.Should().Be("Budi Santoso, S.T.");
    }

    [Theory]
    [InlineData("Development")]
    [InlineData("Testing")]
    public async Task Demo_users_get_the_demo_password_where_demo_passwords_are_allowed(string environment)
    {
        using var database = await TestDatabase.CreateMigratedAsync();

        await SeedAsync(database, OrganizationLoaderTests.Sumbar, environment, demoPassword: "rahasia-demo");

        await using var db = database.NewContext();
        foreach (var user in await db.Users.ToListAsync())
        {
            Hasher.VerifyHashedPassword(user, user.PasswordHash, "rahasia-demo").Should().Be(PasswordVerificationResult.Success);
        }
    }

    [Fact]
    public async Task Demo_users_have_no_usable_password_in_production()
    {
        using var database = await TestDatabase.CreateMigratedAsync();

        await SeedAsync(database, OrganizationLoaderTests.Sumbar, "Production");

        await using var db = database.NewContext();
        (await db.Users.Select(u => u.PasswordHash).ToListAsync()).Should().AllBe("");
    }

    [Fact]
    public async Task A_password_a_user_already_has_is_kept()
    {
        using var database = await TestDatabase.CreateMigratedAsync();
        await SeedAsync(database, OrganizationLoaderTests.Sumbar, demoPassword: "pertama");

        await SeedAsync(database, OrganizationLoaderTests.Sumbar, demoPassword: "kedua");

        await using var db = database.NewContext();
        var user = await db.Users.SingleAsync(u => u.UserName == "budi");
        Hasher.VerifyHashedPassword(user, user.PasswordHash, "pertama").Should().Be(PasswordVerificationResult.Success);
    }

    [Fact]
    public async Task At_a_production_start_accounts_still_holding_the_demo_password_wait_for_a_new_one()
    {
        using var database = await TestDatabase.CreateMigratedAsync();
        await SeedAsync(database, OrganizationLoaderTests.Sumbar, environment: "Development");
        await using (var db = database.NewContext())
        {
            var fadli = await db.Users.SingleAsync(u => u.UserName == "fadli");
            fadli.PasswordHash = Hasher.HashPassword(fadli, "sandi-sungguhan-2025");
            await db.SaveChangesAsync();
        }

        await SeedAsync(database, OrganizationLoaderTests.Sumbar, environment: "Production");

        await using var after = database.NewContext();
        (await after.Users.OrderBy(u => u.UserName).Select(u => new { u.UserName, u.NeedsNewPassword }).ToListAsync())
            .Should().Equal(new { UserName = "budi", NeedsNewPassword = true }, new { UserName = "erasukma", NeedsNewPassword = true }, new { UserName = "fadli", NeedsNewPassword = false });
    }

    [Fact]
    public async Task A_demo_password_configured_for_development_is_retired_too()
    {
        using var database = await TestDatabase.CreateMigratedAsync();
        await SeedAsync(database, OrganizationLoaderTests.Sumbar, environment: "Development", demoPassword: "demo-lain-2025");

        await SeedAsync(database, OrganizationLoaderTests.Sumbar, environment: "Production", demoPassword: "demo-lain-2025");

        await using var after = database.NewContext();
        (await after.Users.CountAsync(u => u.NeedsNewPassword)).Should().Be(3);
    }

    [Fact]
    public async Task The_operator_gives_a_waiting_account_its_first_password_and_a_later_start_keeps_the_admins_one()
    {
        using var database = await TestDatabase.CreateMigratedAsync();
        await SeedAsync(database, OrganizationLoaderTests.Sumbar, environment: "Development");

        await SeedAsync(database, OrganizationLoaderTests.Sumbar, environment: "Production", initialPasswords: new() { ["erasukma"] = "sandi-awal-operator" });
        await using (var db = database.NewContext())
        {
            var erasukma = await db.Users.SingleAsync(u => u.UserName == "erasukma");
            erasukma.NeedsNewPassword.Should().BeFalse();
            Hasher.VerifyHashedPassword(erasukma, erasukma.PasswordHash, "sandi-awal-operator").Should().Be(PasswordVerificationResult.Success);
            erasukma.PasswordHash = Hasher.HashPassword(erasukma, "sandi-pilihan-admin");
            await db.SaveChangesAsync();
        }

        await SeedAsync(database, OrganizationLoaderTests.Sumbar, environment: "Production", initialPasswords: new() { ["erasukma"] = "sandi-awal-operator" });

        await using var after = database.NewContext();
        var stored = await after.Users.SingleAsync(u => u.UserName == "erasukma");
        Hasher.VerifyHashedPassword(stored, stored.PasswordHash, "sandi-pilihan-admin").Should().Be(PasswordVerificationResult.Success);
        (await after.Users.SingleAsync(u => u.UserName == "budi")).NeedsNewPassword.Should().BeTrue();
    }

    private static async Task<OrganizationSeedResult> SeedAsync(
        TestDatabase database, string yaml, string environment = "Testing", string demoPassword = "kinerja2025", Dictionary<string, string>? initialPasswords = null)
    {
        await using var db = database.NewContext();
        var seeder = new OrganizationSeeder(
            db,
            Hasher,
            Options.Create(new KinerjaIdentityOptions { DemoPassword = demoPassword, InitialPasswords = initialPasswords ?? [] }),
            TestDatabase.Environment(database.Folder, environment),
            new FakeTimeProvider(Now),
            NullLogger<OrganizationSeeder>.Instance);
        return await seeder.SeedAsync([OrganizationLoader.Parse(OfficeId, yaml)], CancellationToken.None);
    }

    private static Task<List<string>> RolesOfAsync(KinerjaDbContext db, string userName) =>
        db.UserRoles
            .Where(r => db.Users.Any(u => u.Id == r.UserId && u.UserName == userName))
            .Select(r => r.RoleName)
            .ToListAsync();
}
