using System.ComponentModel;
using System.Net.Mail;
using System.Text.RegularExpressions;
using KinerjaWorkflow.Server.Errors;
using KinerjaWorkflow.Server.Identity;
using KinerjaWorkflow.Server.Offices;
using KinerjaWorkflow.Server.Persistence;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace KinerjaWorkflow.Server.Users;

/// <summary>
/// An office admin manages the users of their office and their roles. Users of other offices do not exist for
/// them (404). Every change is written to the office's admin audit in the same transaction.
/// </summary>
public sealed partial class UsersAdministration(
    KinerjaDbContext db,
    IPasswordHasher<UserRecord> passwordHasher,
    OfficeDirectory offices,
    UsersAccountCheck accounts,
    UserSessions sessions,
    IOptions<KinerjaIdentityOptions> identity,
    TimeProvider clock,
    ILogger<UsersAdministration> logger)
{
    public const int MinPasswordLength = 8;
    public const int MaxPasswordLength = 128;
    public const int MaxUserNameLength = 64;
    public const int MaxDisplayNameLength = 200;
    private const int MaxAuditEntries = 500;

    public async Task<IReadOnlyList<UserView>> ListAsync(CurrentUser admin, CancellationToken ct)
    {
        RequireAdmin(admin);
        var users = await db.Users.AsNoTracking().Where(u => u.OfficeId == admin.OfficeId).OrderBy(u => u.UserName).ToListAsync(ct);
        var ids = users.Select(u => u.Id).ToList();
        var roles = (await db.UserRoles.AsNoTracking().Where(r => ids.Contains(r.UserId)).ToListAsync(ct)).ToLookup(r => r.UserId, r => r.RoleName);
        return users.Select(u => UserView.From(u, roles[u.Id])).ToList();
    }

    public async Task<UserView> GetAsync(CurrentUser admin, string userName, CancellationToken ct)
    {
        RequireAdmin(admin);
        var user = await FindAsync(admin, userName, ct);
        return await ViewAsync(user, ct);
    }

    public async Task<UserView> CreateAsync(CurrentUser admin, CreateUserRequest request, CancellationToken ct)
    {
        RequireAdmin(admin);
        var userName = (request.Username ?? "").Trim().ToLowerInvariant();
        if (userName.Length == 0)
        {
            throw new RuleViolation("username wajib diisi.");
        }

        if (userName.Length > MaxUserNameLength || !UserNamePattern().IsMatch(userName))
        {
            throw new RuleViolation(
                $"username hanya boleh huruf kecil, angka, titik, garis bawah dan tanda hubung, diawali huruf atau angka, paling panjang {MaxUserNameLength}.");
        }

        var name = (request.Name ?? "").Trim();
        if (name.Length is 0 or > MaxDisplayNameLength)
        {
            throw new RuleViolation($"name (nama lengkap) wajib diisi, paling panjang {MaxDisplayNameLength} karakter.");
        }

        var email = string.IsNullOrWhiteSpace(request.Email) ? null : request.Email.Trim();
        if (email is not null && (email.Length > MaxDisplayNameLength || !MailAddress.TryCreate(email, out _)))
        {
            throw new RuleViolation($"email '{email}' tidak sah.");
        }

        CheckPassword(request.Password);
        var roles = await OfficeRolesAsync(admin, request.Roles ?? [], ct);
        if (await db.Users.AnyAsync(u => u.UserName == userName, ct))
        {
            throw new ConflictError($"Nama pengguna '{userName}' sudah dipakai.");
        }

        var now = clock.GetUtcNow();
        var user = new UserRecord
        {
            Id = Guid.CreateVersion7(now),
            UserName = userName,
            DisplayName = name,
            OfficeId = admin.OfficeId,
            PasswordHash = "",
            IsAdmin = request.IsAdmin == true,
            Email = email,
            CreatedAt = now,
        };
        user.PasswordHash = passwordHasher.HashPassword(user, request.Password!);
        db.Users.Add(user);
        db.UserRoles.AddRange(roles.Select(r => new UserRoleRecord { UserId = user.Id, RoleName = r }));
        Audit(admin, UsersAuditActions.Created, userName, $"peran: {Describe(roles)}; admin: {YesNo(user.IsAdmin)}");
        await SaveAsync(userName, ct);
        logger.LogInformation("User {Target} created in office {OfficeId} by {User}", userName, admin.OfficeId, admin.UserName);
        return UserView.From(user, roles);
    }

    /// <summary>Replaces the user's roles (and the admin flag, when given).</summary>
    public async Task<UserView> SetRolesAsync(CurrentUser admin, string userName, SetRolesRequest request, CancellationToken ct)
    {
        RequireAdmin(admin);
        if (request.Roles is null)
        {
            throw new RuleViolation("roles wajib diisi (daftar peran; kosong untuk mencabut semua).");
        }

        var user = await FindAsync(admin, userName, ct, tracked: true);
        var roles = await OfficeRolesAsync(admin, request.Roles, ct);
        if (user.UserName == admin.UserName && request.IsAdmin == false)
        {
            throw new RuleViolation("Anda tidak dapat mencabut hak admin Anda sendiri.");
        }

        var current = await db.UserRoles.Where(r => r.UserId == user.Id).ToListAsync(ct);
        var before = current.Select(r => r.RoleName).Order(StringComparer.Ordinal).ToList();
        var wasAdmin = user.IsAdmin;
        db.UserRoles.RemoveRange(current.Where(r => !roles.Contains(r.RoleName)));
        db.UserRoles.AddRange(roles.Where(r => !before.Contains(r)).Select(r => new UserRoleRecord { UserId = user.Id, RoleName = r }));
        user.IsAdmin = request.IsAdmin ?? user.IsAdmin;
        if (!before.SequenceEqual(roles) || wasAdmin != user.IsAdmin)
        {
            Audit(
                admin,
                UsersAuditActions.RolesChanged,
                user.UserName,
                $"peran: {Describe(before)} → {Describe(roles)}; admin: {YesNo(wasAdmin)} → {YesNo(user.IsAdmin)}");
            await SaveAsync(user.UserName, ct);
            logger.LogInformation("Roles of {Target} set to {Roles} (admin {IsAdmin}) by {User}", user.UserName, roles, user.IsAdmin, admin.UserName);
        }

        return UserView.From(user, roles);
    }

    /// <summary>
    /// Sets a new password, lifts any lockout and the wait for a new password, and ends the user's sessions (an
    /// admin setting their own keeps only the session they do it from: a session someone else holds ends too); the
    /// password itself is never logged or audited.
    /// </summary>
    public async Task<UserView> SetPasswordAsync(CurrentUser admin, Guid? adminSession, string userName, SetPasswordRequest request, CancellationToken ct)
    {
        RequireAdmin(admin);
        CheckPassword(request.Password);
        var user = await FindAsync(admin, userName, ct, tracked: true);
        user.PasswordHash = passwordHasher.HashPassword(user, request.Password!);
        user.FailedLogins = 0;
        user.Lockouts = 0;
        user.LockedUntil = null;
        user.NeedsNewPassword = false;
        Audit(admin, UsersAuditActions.PasswordSet, user.UserName, null);
        await SaveAsync(user.UserName, ct);
        await sessions.EndAllAsync(user.UserName, ct, except: user.UserName == admin.UserName ? adminSession : null);
        logger.LogInformation("Password of {Target} set by {User}", user.UserName, admin.UserName);
        return await ViewAsync(user, ct);
    }

    public async Task<UserView> SetDisabledAsync(CurrentUser admin, string userName, bool disabled, CancellationToken ct)
    {
        RequireAdmin(admin);
        var user = await FindAsync(admin, userName, ct, tracked: true);
        if (disabled && user.UserName == admin.UserName)
        {
            throw new RuleViolation("Anda tidak dapat menonaktifkan akun Anda sendiri.");
        }

        if (user.IsDisabled != disabled)
        {
            user.IsDisabled = disabled;
            if (!disabled)
            {
                user.FailedLogins = 0;
                user.LockedUntil = null;
            }

            Audit(admin, disabled ? UsersAuditActions.Disabled : UsersAuditActions.Enabled, user.UserName, null);
            await SaveAsync(user.UserName, ct);
            if (disabled)
            {
                await sessions.EndAllAsync(user.UserName, ct);
            }

            logger.LogInformation("User {Target} {Change} by {User}", user.UserName, disabled ? "disabled" : "enabled", admin.UserName);
        }

        return await ViewAsync(user, ct);
    }

    /// <summary>Lifts a lockout at once and forgets the failures that led to it.</summary>
    public async Task<UserView> UnlockAsync(CurrentUser admin, string userName, CancellationToken ct)
    {
        RequireAdmin(admin);
        var user = await FindAsync(admin, userName, ct, tracked: true);
        var wasLocked = user.LockedUntil > clock.GetUtcNow();
        user.FailedLogins = 0;
        user.Lockouts = 0;
        user.LockedUntil = null;
        if (wasLocked)
        {
            Audit(admin, UsersAuditActions.Unlocked, user.UserName, null);
            logger.LogInformation("User {Target} unlocked by {User}", user.UserName, admin.UserName);
        }

        await SaveAsync(user.UserName, ct);
        return await ViewAsync(user, ct);
    }

    public async Task<IReadOnlyList<UsersAuditView>> AuditAsync(CurrentUser admin, CancellationToken ct)
    {
        RequireAdmin(admin);
        var entries = await db.Set<UsersAuditRecord>().AsNoTracking()
            .Where(a => a.OfficeId == admin.OfficeId)
            .OrderByDescending(a => a.Id)
            .Take(MaxAuditEntries)
            .ToListAsync(ct);
        return entries.Select(a => new UsersAuditView(a.At, a.UserName, a.Action, a.Target, a.Detail)).ToList();
    }

    private static void RequireAdmin(CurrentUser user)
    {
        if (!user.IsAdmin)
        {
            throw new ForbiddenError("Hanya admin kantor yang dapat mengelola pengguna dan peran.");
        }
    }

    /// <summary>
    /// The demo password is public (README, the Development banner): a Production start disables every account
    /// holding it, so an admin may not give it to anyone, in any environment.
    /// </summary>
    private void CheckPassword(string? password)
    {
        if (string.IsNullOrEmpty(password))
        {
            throw new RuleViolation("password wajib diisi.");
        }

        if (password.Length is < MinPasswordLength or > MaxPasswordLength)
        {
            throw new RuleViolation($"Kata sandi harus {MinPasswordLength} sampai {MaxPasswordLength} karakter.");
        }

        if (identity.Value.DemoPasswords.Contains(password))
        {
            throw new RuleViolation("Kata sandi demo tidak boleh dipakai untuk akun: pilih kata sandi lain.");
        }
    }

    private async Task<List<string>> OfficeRolesAsync(CurrentUser admin, IEnumerable<string?> requested, CancellationToken ct)
    {
        var organization = (await offices.GetAsync(admin.OfficeId, ct)).Organization;
        var roles = requested.Select(r => (r ?? "").Trim()).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var unknown = roles.Where(r => !organization.HasRole(r)).ToList();
        return unknown.Count == 0
            ? roles
            : throw new RuleViolation(
                $"Peran tidak dikenal di kantor ini: {string.Join(", ", unknown.Select(r => $"'{r}'"))}. Peran yang ada: {string.Join(", ", organization.Roles.Select(r => r.Name))}.");
    }

    private async Task<UserRecord> FindAsync(CurrentUser admin, string userName, CancellationToken ct, bool tracked = false)
    {
        var name = userName.Trim().ToLowerInvariant();
        var users = tracked ? db.Users : db.Users.AsNoTracking();
        return await users.FirstOrDefaultAsync(u => u.UserName == name && u.OfficeId == admin.OfficeId, ct)
            ?? throw new NotFoundError($"Pengguna '{userName}' tidak ditemukan.");
    }

    private async Task<UserView> ViewAsync(UserRecord user, CancellationToken ct)
    {
        var roles = await db.UserRoles.AsNoTracking().Where(r => r.UserId == user.Id).Select(r => r.RoleName).ToListAsync(ct);
        return UserView.From(user, roles);
    }

    private void Audit(CurrentUser admin, string action, string target, string? detail) =>
        db.Add(UsersAuditRecord.By(admin, clock.GetUtcNow(), action, target, detail));

    private async Task SaveAsync(string changedUser, CancellationToken ct)
    {
        await PeopleNames.RestampIfChangedAsync(db, ct);
        await db.SaveChangesAsync(ct);
        accounts.Forget(changedUser);
    }

    private static string Describe(IEnumerable<string> roles) => roles.Any() ? string.Join(", ", roles) : "(tidak ada)";

    private static string YesNo(bool value) => value ? "ya" : "tidak";

    [GeneratedRegex(@"^[a-z0-9][a-z0-9._-]*$")]
    private static partial Regex UserNamePattern();
}

public sealed record UserView(
    string Username,
    string Name,
    string? Email,
    string Office,
    IReadOnlyList<string> Roles,
    bool IsAdmin,
    bool IsDisabled,
    DateTimeOffset? LockedUntil,
    DateTimeOffset CreatedAt,
    bool NeedsNewPassword)
{
    public static UserView From(UserRecord user, IEnumerable<string> roles) => new(
        user.UserName,
        user.DisplayName,
        user.Email,
        user.OfficeId,
        roles.Order(StringComparer.Ordinal).ToList(),
        user.IsAdmin,
        user.IsDisabled,
        user.LockedUntil,
        user.CreatedAt,
        user.NeedsNewPassword);
}

public sealed record CreateUserRequest(
    [property: Description("Nama pengguna untuk masuk: huruf kecil, angka, titik, garis bawah, tanda hubung.")] string? Username,
    [property: Description("Nama lengkap dengan gelar.")] string? Name,
    [property: Description("Alamat email untuk notifikasi (opsional).")] string? Email,
    [property: Description("Kata sandi awal, 8 sampai 128 karakter.")] string? Password,
    [property: Description("Peran (Pelaksana) di kantor ini.")] IReadOnlyList<string?>? Roles,
    [property: Description("Admin kantor: menerapkan SOP dan mengelola pengguna.")] bool? IsAdmin);

public sealed record SetRolesRequest(
    [property: Description("Daftar peran pengganti; kosong mencabut semua peran.")] IReadOnlyList<string?>? Roles,
    [property: Description("Hak admin; tidak diisi berarti tidak berubah.")] bool? IsAdmin);

public sealed record SetPasswordRequest(
    [property: Description("Kata sandi baru, 8 sampai 128 karakter.")] string? Password);

public sealed record UsersAuditView(DateTimeOffset At, string User, string Action, string Target, string? Detail);
