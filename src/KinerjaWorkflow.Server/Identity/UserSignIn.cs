using KinerjaWorkflow.Server.Persistence;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace KinerjaWorkflow.Server.Identity;

public enum SignInStatus
{
    Succeeded,

    /// <summary>Unknown user, wrong password, or a locked account: the caller is not told which.</summary>
    InvalidCredentials,

    /// <summary>Too many attempts from this address or for this username; <see cref="SignInAttempt.RetryAfter"/> says how long to wait.</summary>
    Throttled,

    /// <summary>The right password for an account an office admin disabled, or one waiting for a new password.</summary>
    Disabled,
}

public sealed record SignInAttempt(SignInStatus Status, CurrentUser? User = null, TimeSpan? RetryAfter = null);

/// <summary>
/// Checks a username and password. Failures are counted in the database in one statement each, so parallel
/// guesses cannot get more tries than <see cref="KinerjaIdentityOptions.MaxFailedSignIns"/> in; then the account
/// is locked for a short window that doubles with each lock in a row, up to a cap. A locked account answers as
/// a wrong password does, and an unknown user costs a password hash too; every refusal takes at least
/// <see cref="KinerjaIdentityOptions.RefusedSignInAnswerTime"/>, so neither the answer nor its time tells which
/// usernames exist.
/// </summary>
public sealed partial class UserSignIn(
    KinerjaDbContext db,
    IPasswordHasher<UserRecord> passwordHasher,
    SignInThrottle throttle,
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

    private static readonly Lazy<string> NoUserHash = new(() => new PasswordHasher<UserRecord>().HashPassword(NoUser, Guid.NewGuid().ToString()));

    /// <summary>Usernames are stored trimmed and in lower case.</summary>
    public static string Normalize(string userName) => userName.Trim().ToLowerInvariant();

    /// <param name="knownDevice">
    /// The device of <see cref="KnownDevices"/> the client is known as for this username, if any: its tries are
    /// neither held by the account's lock nor counted towards it, but limited on their own.
    /// </param>
    public async Task<SignInAttempt> SignInAsync(string userName, string password, string? clientAddress, string? knownDevice, CancellationToken cancellationToken)
    {
        var started = timeProvider.GetTimestamp();
        var attempt = await CheckAsync(userName, password, clientAddress, knownDevice, cancellationToken);
        if (attempt.Status is SignInStatus.InvalidCredentials or SignInStatus.Disabled)
        {
            var rest = options.Value.RefusedSignInAnswerTime - timeProvider.GetElapsedTime(started);
            if (rest > TimeSpan.Zero)
            {
                await Task.Delay(rest, timeProvider, cancellationToken);
            }
        }

        return attempt;
    }

    private async Task<SignInAttempt> CheckAsync(string userName, string password, string? clientAddress, string? knownDevice, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var normalized = Normalize(userName);

        // A known device that has used up its own tries is treated as any other client from then on.
        var device = knownDevice is not null && throttle.DeviceMayTry(knownDevice) ? knownDevice : null;
        if (throttle.Refusal(clientAddress, normalized, device) is { } wait)
        {
            LogThrottled(logger, normalized, clientAddress);
            return new SignInAttempt(SignInStatus.Throttled, RetryAfter: wait);
        }

        var now = timeProvider.GetUtcNow();
        var user = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.UserName == normalized, cancellationToken);
        if (user is null)
        {
            passwordHasher.VerifyHashedPassword(NoUser, NoUserHash.Value, password);
            LogUnknownUser(logger, normalized, clientAddress);
            return new SignInAttempt(SignInStatus.InvalidCredentials);
        }

        if (device is not null)
        {
            var onDevice = Verify(user, password);
            if (onDevice == PasswordVerificationResult.Failed)
            {
                LogWrongPasswordOnKnownDevice(logger, user.UserName, clientAddress);
                return new SignInAttempt(SignInStatus.InvalidCredentials);
            }

            return await SucceedAsync(user, password, onDevice, cancellationToken);
        }

        // The try is counted before the password is checked: only MaxFailedSignIns tries get past this, however many race.
        var counted = await db.Users
            .Where(u => u.Id == user.Id && (u.LockedUntil == null || u.LockedUntil <= now) && u.FailedLogins < settings.MaxFailedSignIns)
            .ExecuteUpdateAsync(u => u.SetProperty(x => x.FailedLogins, x => x.FailedLogins + 1), cancellationToken);
        var verification = Verify(user, password);
        if (counted == 0)
        {
            LogRefusedWhileLocked(logger, user.UserName, clientAddress);
            return new SignInAttempt(SignInStatus.InvalidCredentials);
        }

        if (verification == PasswordVerificationResult.Failed)
        {
            await LockIfDueAsync(user, now, settings, clientAddress, cancellationToken);
            return new SignInAttempt(SignInStatus.InvalidCredentials);
        }

        return await SucceedAsync(user, password, verification, cancellationToken);
    }

    /// <summary>The right password: the failure count and any lock end, and a disabled account is still refused.</summary>
    private async Task<SignInAttempt> SucceedAsync(UserRecord user, string password, PasswordVerificationResult verification, CancellationToken cancellationToken)
    {
        var newHash = verification == PasswordVerificationResult.SuccessRehashNeeded ? passwordHasher.HashPassword(user, password) : user.PasswordHash;
        await db.Users.Where(u => u.Id == user.Id).ExecuteUpdateAsync(
            u => u.SetProperty(x => x.FailedLogins, 0).SetProperty(x => x.Lockouts, 0).SetProperty(x => x.LockedUntil, (DateTimeOffset?)null).SetProperty(x => x.PasswordHash, newHash),
            cancellationToken);
        if (user.IsDisabled || user.NeedsNewPassword)
        {
            LogRefusedDisabled(logger, user.UserName, user.NeedsNewPassword);
            return new SignInAttempt(SignInStatus.Disabled);
        }

        var roles = await db.UserRoles
            .Where(r => r.UserId == user.Id)
            .Select(r => r.RoleName)
            .ToListAsync(cancellationToken);
        LogSignedIn(logger, user.UserName, user.OfficeId);
        return new SignInAttempt(
            SignInStatus.Succeeded,
            new CurrentUser(user.UserName, user.DisplayName, user.OfficeId, roles.ToHashSet(StringComparer.Ordinal), user.IsAdmin));
    }

    /// <summary>An account without a password costs a hash too, and never matches.</summary>
    private PasswordVerificationResult Verify(UserRecord user, string password)
    {
        if (user.PasswordHash.Length > 0)
        {
            return passwordHasher.VerifyHashedPassword(user, user.PasswordHash, password);
        }

        passwordHasher.VerifyHashedPassword(NoUser, NoUserHash.Value, password);
        return PasswordVerificationResult.Failed;
    }

    /// <summary>How long the lock after <paramref name="lockouts"/> earlier locks in a row lasts.</summary>
    public static TimeSpan LockoutFor(int lockouts, KinerjaIdentityOptions settings)
    {
        var doubled = settings.LockoutDuration * Math.Pow(2, Math.Min(lockouts, 20));
        return doubled < settings.MaxLockoutDuration ? doubled : settings.MaxLockoutDuration;
    }

    private async Task LockIfDueAsync(
        UserRecord user, DateTimeOffset now, KinerjaIdentityOptions settings, string? clientAddress, CancellationToken cancellationToken)
    {
        var lockedUntil = now + LockoutFor(user.Lockouts, settings);

        // Only the try that reached the limit locks; the count starts again once the lock ends.
        var locked = await db.Users
            .Where(u => u.Id == user.Id && u.FailedLogins >= settings.MaxFailedSignIns)
            .ExecuteUpdateAsync(
                u => u.SetProperty(x => x.FailedLogins, 0).SetProperty(x => x.Lockouts, x => x.Lockouts + 1).SetProperty(x => x.LockedUntil, lockedUntil),
                cancellationToken);
        if (locked > 0)
        {
            LogLockedOut(logger, user.UserName, settings.MaxFailedSignIns, lockedUntil, clientAddress);
        }
        else
        {
            LogWrongPassword(logger, user.UserName, clientAddress);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "User {UserName} of office {OfficeId} signed in")]
    private static partial void LogSignedIn(ILogger logger, string userName, string officeId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sign-in refused: no user {UserName} (from {ClientAddress})")]
    private static partial void LogUnknownUser(ILogger logger, string userName, string? clientAddress);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sign-in refused: wrong password for {UserName} from a device known for it (from {ClientAddress})")]
    private static partial void LogWrongPasswordOnKnownDevice(ILogger logger, string userName, string? clientAddress);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sign-in refused: wrong password for {UserName} (from {ClientAddress})")]
    private static partial void LogWrongPassword(ILogger logger, string userName, string? clientAddress);

    [LoggerMessage(Level = LogLevel.Warning, Message = "User {UserName} locked out after {FailedSignIns} failed sign-ins, until {LockedUntil} (last from {ClientAddress})")]
    private static partial void LogLockedOut(ILogger logger, string userName, int failedSignIns, DateTimeOffset lockedUntil, string? clientAddress);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sign-in refused: {UserName} is disabled (waiting for a new password: {NeedsNewPassword})")]
    private static partial void LogRefusedDisabled(ILogger logger, string userName, bool needsNewPassword);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sign-in refused: {UserName} is locked out (from {ClientAddress})")]
    private static partial void LogRefusedWhileLocked(ILogger logger, string userName, string? clientAddress);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sign-in refused: too many attempts for {UserName} or from {ClientAddress}")]
    private static partial void LogThrottled(ILogger logger, string userName, string? clientAddress);
}
