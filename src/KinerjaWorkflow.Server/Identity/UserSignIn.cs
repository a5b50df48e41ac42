using KinerjaWorkflow.Server.Persistence;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace KinerjaWorkflow.Server.Identity;

public enum SignInStatus
{
    Succeeded,

    /// <summary>Unknown user or wrong password: the caller is not told which.</summary>
    InvalidCredentials,

    /// <summary>Too many failed attempts; <see cref="SignInAttempt.LockedUntil"/> says until when.</summary>
    LockedOut,

    /// <summary>The right password for an account an office admin disabled.</summary>
    Disabled,
}

public sealed record SignInAttempt(SignInStatus Status, CurrentUser? User = null, DateTimeOffset? LockedUntil = null);

/// <summary>Checks a username and password, counting failures and locking the account after too many.</summary>
public sealed partial class UserSignIn(
    KinerjaDbContext db,
    IPasswordHasher<UserRecord> passwordHasher,
    IOptions<KinerjaIdentityOptions> options,
    TimeProvider timeProvider,
    ILogger<UserSignIn> logger)
{
    private static readonly UserRecord NoUser = new()
    {
        Id = Guid.Empty,
        UserName = "",
        DisplayName = "",
        OfficeId = "",
        PasswordHash = "",
    };

    /// <summary>
    /// Verified when the username is unknown, so an unknown user costs as much time as a wrong password and the
    /// response time does not tell which usernames exist.
    /// </summary>
    private static readonly Lazy<string> NoUserHash = new(() => new PasswordHasher<UserRecord>().HashPassword(NoUser, Guid.NewGuid().ToString()));

    public async Task<SignInAttempt> SignInAsync(string userName, string password, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var normalized = userName.Trim().ToLowerInvariant();
        var now = timeProvider.GetUtcNow();
        var user = await db.Users.SingleOrDefaultAsync(u => u.UserName == normalized, cancellationToken);
        if (user is null)
        {
            passwordHasher.VerifyHashedPassword(NoUser, NoUserHash.Value, password);
            LogUnknownUser(logger, normalized);
            return new SignInAttempt(SignInStatus.InvalidCredentials);
        }

        if (user.LockedUntil > now)
        {
            LogRefusedWhileLocked(logger, user.UserName, user.LockedUntil.Value);
            return new SignInAttempt(SignInStatus.LockedOut, LockedUntil: user.LockedUntil);
        }

        var verification = user.PasswordHash.Length == 0
            ? PasswordVerificationResult.Failed
            : passwordHasher.VerifyHashedPassword(user, user.PasswordHash, password);
        if (verification == PasswordVerificationResult.Failed)
        {
            return await RecordFailureAsync(user, now, settings, cancellationToken);
        }

        if (user.IsDisabled)
        {
            LogRefusedDisabled(logger, user.UserName);
            return new SignInAttempt(SignInStatus.Disabled);
        }

        if (verification == PasswordVerificationResult.SuccessRehashNeeded)
        {
            user.PasswordHash = passwordHasher.HashPassword(user, password);
        }

        user.FailedLogins = 0;
        user.LockedUntil = null;
        await db.SaveChangesAsync(cancellationToken);

        var roles = await db.UserRoles
            .Where(r => r.UserId == user.Id)
            .Select(r => r.RoleName)
            .ToListAsync(cancellationToken);
        LogSignedIn(logger, user.UserName, user.OfficeId);
        return new SignInAttempt(
            SignInStatus.Succeeded,
            new CurrentUser(user.UserName, user.DisplayName, user.OfficeId, roles.ToHashSet(StringComparer.Ordinal), user.IsAdmin));
    }

    private async Task<SignInAttempt> RecordFailureAsync(
        UserRecord user, DateTimeOffset now, KinerjaIdentityOptions settings, CancellationToken cancellationToken)
    {
        user.FailedLogins++;
        if (user.FailedLogins < settings.MaxFailedSignIns)
        {
            await db.SaveChangesAsync(cancellationToken);
            LogWrongPassword(logger, user.UserName, user.FailedLogins);
            return new SignInAttempt(SignInStatus.InvalidCredentials);
        }

        // The count starts again once the lock ends, so the next failure after it does not lock at once.
        user.FailedLogins = 0;
        user.LockedUntil = now + settings.LockoutDuration;
        await db.SaveChangesAsync(cancellationToken);
        LogLockedOut(logger, user.UserName, settings.MaxFailedSignIns, user.LockedUntil.Value);
        return new SignInAttempt(SignInStatus.LockedOut, LockedUntil: user.LockedUntil);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "User {UserName} of office {OfficeId} signed in")]
    private static partial void LogSignedIn(ILogger logger, string userName, string officeId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sign-in refused: no user {UserName}")]
    private static partial void LogUnknownUser(ILogger logger, string userName);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sign-in refused: wrong password for {UserName} ({FailedSignIns} failure(s) in a row)")]
    private static partial void LogWrongPassword(ILogger logger, string userName, int failedSignIns);

    [LoggerMessage(Level = LogLevel.Warning, Message = "User {UserName} locked out after {FailedSignIns} failed sign-ins, until {LockedUntil}")]
    private static partial void LogLockedOut(ILogger logger, string userName, int failedSignIns, DateTimeOffset lockedUntil);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sign-in refused: {UserName} is disabled")]
    private static partial void LogRefusedDisabled(ILogger logger, string userName);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sign-in refused: {UserName} is locked out until {LockedUntil}")]
    private static partial void LogRefusedWhileLocked(ILogger logger, string userName, DateTimeOffset lockedUntil);
}
