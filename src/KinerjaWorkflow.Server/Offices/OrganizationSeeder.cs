using KinerjaWorkflow.Server.Identity;
using KinerjaWorkflow.Server.Persistence;
using KinerjaWorkflow.Server.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace KinerjaWorkflow.Server.Offices;

/// <summary>What a seeding run found and how many rows it inserted, updated or deleted.</summary>
public sealed record OrganizationSeedResult(int Offices, int Users, int Changes);

/// <summary>
/// Makes offices, their roles, and the users and their roles match the organization files. Running it again on
/// unchanged files changes nothing. Users missing from the files are left alone; a role taken away from a
/// listed user in the file is taken away in the database.
/// </summary>
public sealed partial class OrganizationSeeder(
    KinerjaDbContext db,
    IPasswordHasher<UserRecord> passwordHasher,
    IOptions<KinerjaIdentityOptions> options,
    IHostEnvironment environment,
    TimeProvider timeProvider,
    ILogger<OrganizationSeeder> logger)
{
    /// <summary>Demo passwords exist only where nobody real signs in.</summary>
    public bool DemoPasswordsAllowed => environment.IsDevelopment() || environment.IsEnvironment("Testing");

    public async Task<OrganizationSeedResult> SeedAsync(IReadOnlyList<Organization> organizations, CancellationToken cancellationToken)
    {
        foreach (var organization in organizations)
        {
            foreach (var warning in organization.Warnings)
            {
                LogOrganizationWarning(logger, organization.OfficeId, warning);
            }

            await SeedOfficeAsync(organization, cancellationToken);
        }

        var users = organizations.SelectMany(o => o.Users.Select(u => (Organization: o, User: u))).ToList();
        await SeedUsersAsync(users, cancellationToken);
        await PeopleNames.RestampIfChangedAsync(db, cancellationToken);
        var changes = await db.SaveChangesAsync(cancellationToken);
        LogSeeded(logger, organizations.Count, users.Count, changes);
        if (!DemoPasswordsAllowed)
        {
            await RetireDemoPasswordsAsync(cancellationToken);
        }

        await ApplyInitialPasswordsAsync(cancellationToken);

        if (DemoPasswordsAllowed && users.Count > 0)
        {
            LogDemoPassword(logger, environment.EnvironmentName, options.Value.DemoPassword);
        }

        return new OrganizationSeedResult(organizations.Count, users.Count, changes);
    }

    private async Task SeedOfficeAsync(Organization organization, CancellationToken cancellationToken)
    {
        var office = await db.Offices.FindAsync([organization.OfficeId], cancellationToken);
        if (office is null)
        {
            db.Offices.Add(new OfficeRecord
            {
                Id = organization.OfficeId,
                Name = organization.Name,
                TimeZone = organization.TimeZoneId,
                OrganizationYaml = organization.Yaml,
            });
        }
        else
        {
            office.Name = organization.Name;
            office.TimeZone = organization.TimeZoneId;
            office.OrganizationYaml = organization.Yaml;
        }

        var existing = await db.OfficeRoles
            .Where(r => r.OfficeId == organization.OfficeId)
            .ToDictionaryAsync(r => r.Name, StringComparer.Ordinal, cancellationToken);
        foreach (var role in organization.Roles)
        {
            if (existing.Remove(role.Name, out var record))
            {
                record.SupervisorRole = role.Supervisor;
            }
            else
            {
                db.OfficeRoles.Add(new OfficeRoleRecord { OfficeId = organization.OfficeId, Name = role.Name, SupervisorRole = role.Supervisor });
            }
        }

        db.OfficeRoles.RemoveRange(existing.Values);
    }

    private async Task SeedUsersAsync(List<(Organization Organization, OrganizationUser User)> users, CancellationToken cancellationToken)
    {
        var userNames = users.Select(u => u.User.UserName).ToList();
        var records = await db.Users
            .Where(u => userNames.Contains(u.UserName))
            .ToDictionaryAsync(u => u.UserName, StringComparer.Ordinal, cancellationToken);
        var ids = records.Values.Select(u => u.Id).ToList();
        var roleRecords = (await db.UserRoles.Where(r => ids.Contains(r.UserId)).ToListAsync(cancellationToken))
            .ToLookup(r => r.UserId);
        var now = timeProvider.GetUtcNow();

        foreach (var (organization, user) in users)
        {
            if (!records.TryGetValue(user.UserName, out var record))
            {
                record = new UserRecord
                {
                    Id = Guid.CreateVersion7(now),
                    UserName = user.UserName,
                    DisplayName = user.Name,
                    OfficeId = organization.OfficeId,
                    PasswordHash = "",
                    CreatedAt = now,
                };
                db.Users.Add(record);
                records[user.UserName] = record;
                if (!DemoPasswordsAllowed)
                {
                    LogCreatedWithoutPassword(logger, user.UserName, organization.OfficeId, environment.EnvironmentName);
                }
            }

            record.DisplayName = user.Name;
            record.OfficeId = organization.OfficeId;
            record.IsAdmin = user.IsAdmin;
            record.Email = user.Email;
            if (record.PasswordHash.Length == 0 && DemoPasswordsAllowed)
            {
                record.PasswordHash = passwordHasher.HashPassword(record, options.Value.DemoPassword);
            }

            var current = roleRecords[record.Id].ToList();
            db.UserRoles.RemoveRange(current.Where(r => !user.Roles.Contains(r.RoleName)));
            db.UserRoles.AddRange(user.Roles
                .Where(role => current.All(r => r.RoleName != role))
                .Select(role => new UserRoleRecord { UserId = record.Id, RoleName = role }));
        }
    }

    /// <summary>
    /// A database first used in Development still holds the demo password; outside Development and Testing each
    /// such account is refused until an admin sets a new password.
    /// </summary>
    private async Task RetireDemoPasswordsAsync(CancellationToken cancellationToken)
    {
        var demoPasswords = options.Value.DemoPasswords;
        var candidates = await db.Users.Where(u => u.PasswordHash != "" && !u.NeedsNewPassword).ToListAsync(cancellationToken);
        foreach (var user in candidates)
        {
            if (demoPasswords.Any(p => passwordHasher.VerifyHashedPassword(user, user.PasswordHash, p) != PasswordVerificationResult.Failed))
            {
                user.NeedsNewPassword = true;
                LogDemoPasswordRetired(logger, user.UserName, user.OfficeId, environment.EnvironmentName);
            }
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>How the operator lets the first admin in: nobody can sign in to a fresh Production database otherwise.</summary>
    private async Task ApplyInitialPasswordsAsync(CancellationToken cancellationToken)
    {
        foreach (var (userName, password) in options.Value.InitialPasswords)
        {
            var normalized = userName.Trim().ToLowerInvariant();
            var user = await db.Users.SingleOrDefaultAsync(u => u.UserName == normalized, cancellationToken);
            if (user is null)
            {
                LogInitialPasswordForNobody(logger, userName);
            }
            else if (user.PasswordHash.Length == 0 || user.NeedsNewPassword)
            {
                if (password.Length < UsersAdministration.MinPasswordLength || options.Value.DemoPasswords.Contains(password))
                {
                    throw new InvalidOperationException(
                        $"Identity:InitialPasswords:{userName} must be at least {UsersAdministration.MinPasswordLength} characters and not the demo password.");
                }

                user.PasswordHash = passwordHasher.HashPassword(user, password);
                user.NeedsNewPassword = false;
                LogInitialPasswordSet(logger, user.UserName);
            }
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Initial password from Identity:InitialPasswords set for {UserName}; remove the setting now that it is used")]
    private static partial void LogInitialPasswordSet(ILogger logger, string userName);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Identity:InitialPasswords names {UserName}, but there is no such user")]
    private static partial void LogInitialPasswordForNobody(ILogger logger, string userName);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Account {UserName} of office {OfficeId} still holds the demo password: it is disabled in the {Environment} environment until an admin sets a new password")]
    private static partial void LogDemoPasswordRetired(ILogger logger, string userName, string officeId, string environment);

    [LoggerMessage(Level = LogLevel.Information, Message = "Seeded {OfficeCount} office(s) and {UserCount} user(s) from organization files: {ChangeCount} row(s) changed")]
    private static partial void LogSeeded(ILogger logger, int officeCount, int userCount, int changeCount);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Organization of office {OfficeId}: {Warning}")]
    private static partial void LogOrganizationWarning(ILogger logger, string officeId, string warning);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Demo passwords are on ({Environment}): demo users sign in with the password {DemoPassword}")]
    private static partial void LogDemoPassword(ILogger logger, string environment, string demoPassword);

    [LoggerMessage(Level = LogLevel.Warning, Message = "User {UserName} of office {OfficeId} was created without a password: demo passwords are off in the {Environment} environment")]
    private static partial void LogCreatedWithoutPassword(ILogger logger, string userName, string officeId, string environment);
}
