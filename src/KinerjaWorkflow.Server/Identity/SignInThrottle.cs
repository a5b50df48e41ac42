using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace KinerjaWorkflow.Server.Identity;

/// <summary>
/// Limits sign-in attempts per client address (in a short burst and per minute) and per username, over the token
/// API and the sign-in page alike. An unknown username is limited exactly as a real one, so the limit tells nothing
/// about who exists.
/// </summary>
public sealed class SignInThrottle : IDisposable
{
    private readonly PartitionedRateLimiter<string> _perAddressBurst;
    private readonly PartitionedRateLimiter<string> _perAddress;
    private readonly PartitionedRateLimiter<string> _perUser;
    private readonly PartitionedRateLimiter<string> _perDevice;

    public SignInThrottle(IOptions<KinerjaIdentityOptions> options)
    {
        var settings = options.Value;
        _perAddressBurst = Limiter(settings.SignInBurstPerAddress, settings.SignInBurstWindow);
        _perAddress = Limiter(settings.SignInsPerAddress, settings.SignInWindow);
        _perUser = Limiter(settings.SignInsPerUser, settings.SignInWindow);
        _perDevice = Limiter(settings.MaxFailedSignIns, settings.MaxLockoutDuration);
    }

    /// <summary>
    /// Null when the attempt may go ahead, otherwise how long to wait. A known device's tries count against the
    /// device, not the username, which a stranger's guesses may have used up.
    /// </summary>
    public TimeSpan? Refusal(string? clientAddress, string normalizedUserName, string? knownDevice = null)
    {
        using var burst = _perAddressBurst.AttemptAcquire(clientAddress ?? "");
        if (!burst.IsAcquired)
        {
            return RetryAfter(burst);
        }

        using var address = _perAddress.AttemptAcquire(clientAddress ?? "");
        if (!address.IsAcquired)
        {
            return RetryAfter(address);
        }

        using var user = _perUser.AttemptAcquire(knownDevice is null ? "user:" + normalizedUserName : "device:" + knownDevice);
        return user.IsAcquired ? null : RetryAfter(user);
    }

    /// <summary>
    /// Takes one of a known device's tries: as many as an account gets before its lock, per the longest lock, so a
    /// stolen device cookie guesses no faster than anyone else.
    /// </summary>
    public bool DeviceMayTry(string knownDevice)
    {
        using var lease = _perDevice.AttemptAcquire(knownDevice);
        return lease.IsAcquired;
    }

    public void Dispose()
    {
        _perAddressBurst.Dispose();
        _perAddress.Dispose();
        _perUser.Dispose();
        _perDevice.Dispose();
    }

    private static PartitionedRateLimiter<string> Limiter(int permits, TimeSpan window) =>
        PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = permits,
            Window = window,
            QueueLimit = 0,
            AutoReplenishment = true,
        }));

    private static TimeSpan RetryAfter(RateLimitLease lease) =>
        lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) && wait > TimeSpan.Zero ? wait : TimeSpan.FromSeconds(1);
}
