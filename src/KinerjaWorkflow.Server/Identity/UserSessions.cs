using KinerjaWorkflow.Server.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace KinerjaWorkflow.Server.Identity;

/// <summary>Open live streams of a user, closed when a session of theirs ends; implemented by the notifications feature.</summary>
public interface IUserStreams
{
    /// <summary>
    /// Ends every open stream of the user. A stream whose session is still live reconnects on its own (server-sent
    /// events do); one whose session ended gets a 401.
    /// </summary>
    void Close(string userName);
}

/// <summary>
/// Server-side sessions: each sign-in gets a row whose id its token or cookie carries, and a request is refused
/// once its session has ended, so sign-out and an admin's disabling take effect at once. Whether a session is
/// live is cached for <see cref="UsersAccountCheck.CacheFor"/>; an end on this node drops the entry at once,
/// other nodes of a cluster see it within that time.
/// </summary>
public sealed partial class UserSessions(
    IDbContextFactory<KinerjaDbContext> contexts,
    IMemoryCache cache,
    IOptions<KinerjaIdentityOptions> options,
    IEnumerable<IUserStreams> streams,
    TimeProvider clock,
    ILogger<UserSessions> logger)
{
    public async Task<Guid> StartAsync(string userName, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var userId = await db.Users.Where(u => u.UserName == userName).Select(u => u.Id).SingleAsync(ct);
        var now = clock.GetUtcNow();
        // A user's expired sessions are of no further use; clearing them here keeps the table to live ones.
        await db.Set<UserSessionRecord>().Where(s => s.UserId == userId && s.ExpiresAt < now).ExecuteDeleteAsync(ct);
        var session = new UserSessionRecord
        {
            Id = Guid.CreateVersion7(now),
            UserId = userId,
            CreatedAt = now,
            ExpiresAt = now + options.Value.TokenLifetime,
        };
        db.Add(session);
        await db.SaveChangesAsync(ct);
        return session.Id;
    }

    public async Task<bool> IsLiveAsync(Guid sessionId) =>
        await cache.GetOrCreateAsync(Key(sessionId), async entry =>
        {
            entry.AbsoluteExpirationRelativeToNow = UsersAccountCheck.CacheFor;
            await using var db = await contexts.CreateDbContextAsync();
            var now = clock.GetUtcNow();
            return await db.Set<UserSessionRecord>().AnyAsync(s => s.Id == sessionId && s.EndedAt == null && s.ExpiresAt > now);
        });

    /// <summary>Sign-out: this session ends, and the user's open streams close.</summary>
    public async Task EndAsync(string userName, Guid sessionId, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow();
        await db.Set<UserSessionRecord>()
            .Where(s => s.Id == sessionId && s.EndedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.EndedAt, now), ct);
        cache.Remove(Key(sessionId));
        CloseStreams(userName);
        LogSignedOut(logger, userName, sessionId);
    }

    /// <summary>
    /// Every session of the user ends (disabled, or a new password set), but <paramref name="except"/>; returns how
    /// many were open.
    /// </summary>
    public async Task<int> EndAllAsync(string userName, CancellationToken ct, Guid? except = null)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow();
        var userId = await db.Users.Where(u => u.UserName == userName).Select(u => u.Id).SingleAsync(ct);
        var ending = db.Set<UserSessionRecord>().Where(s => s.UserId == userId && s.EndedAt == null && s.Id != except);
        var open = await ending.Select(s => s.Id).ToListAsync(ct);
        await ending
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.EndedAt, now), ct);
        foreach (var id in open)
        {
            cache.Remove(Key(id));
        }

        CloseStreams(userName);
        LogSessionsEnded(logger, userName, open.Count);
        return open.Count;
    }

    private void CloseStreams(string userName)
    {
        foreach (var stream in streams)
        {
            stream.Close(userName);
        }
    }

    private static string Key(Guid sessionId) => "kinerja:session:" + sessionId;

    [LoggerMessage(Level = LogLevel.Information, Message = "User {UserName} signed out: session {SessionId} ended")]
    private static partial void LogSignedOut(ILogger logger, string userName, Guid sessionId);

    [LoggerMessage(Level = LogLevel.Information, Message = "All {Count} open session(s) of {UserName} ended")]
    private static partial void LogSessionsEnded(ILogger logger, string userName, int count);
}
