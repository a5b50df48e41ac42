using System.Security.Claims;
using KinerjaWorkflow.Server.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

namespace KinerjaWorkflow.Server.Identity;

/// <summary>
/// Makes an admin's changes count for tokens and cookies already issued: a request's user is checked against
/// the account as stored and its session. A disabled or removed account, one waiting for a new password, and an
/// ended session (or a token that names none) are refused; roles and the admin flag come from the database,
/// not from the token. Accounts are cached briefly; a change on this node drops its entry at once,
/// other nodes see it within <see cref="CacheFor"/>.
/// </summary>
public sealed class UsersAccountCheck(IDbContextFactory<KinerjaDbContext> contexts, IMemoryCache cache, UserSessions sessions)
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(30);

    /// <summary>The principal with the stored roles, or null when the account may no longer be used.</summary>
    public async Task<ClaimsPrincipal?> CheckAsync(ClaimsPrincipal principal, CurrentUser user)
    {
        var account = await cache.GetOrCreateAsync(Key(user.UserName), async entry =>
        {
            entry.AbsoluteExpirationRelativeToNow = CacheFor;
            return await LoadAsync(user.UserName);
        });
        if (account is null || account.IsDisabled || account.NeedsNewPassword || account.OfficeId != user.OfficeId)
        {
            return null;
        }

        if (principal.FindSessionId() is not { } session || !await sessions.IsLiveAsync(session))
        {
            return null;
        }

        return account.IsAdmin == user.IsAdmin && account.Roles.SetEquals(user.Roles)
            ? principal
            : (user with { Roles = account.Roles, IsAdmin = account.IsAdmin }).ToClaimsPrincipal(principal.Identity!.AuthenticationType!, session);
    }

    public void Forget(string userName) => cache.Remove(Key(userName));

    private static string Key(string userName) => "kinerja:account:" + userName;

    private async Task<StoredAccount?> LoadAsync(string userName)
    {
        await using var db = await contexts.CreateDbContextAsync();
        var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.UserName == userName);
        if (user is null)
        {
            return null;
        }

        var roles = await db.UserRoles.AsNoTracking().Where(r => r.UserId == user.Id).Select(r => r.RoleName).ToListAsync();
        return new StoredAccount(user.OfficeId, user.IsAdmin, user.IsDisabled, user.NeedsNewPassword, roles.ToHashSet(StringComparer.Ordinal));
    }

    private sealed record StoredAccount(string OfficeId, bool IsAdmin, bool IsDisabled, bool NeedsNewPassword, IReadOnlySet<string> Roles);
}

/// <summary>
/// Runs after authentication: a signed-in user whose account was disabled or whose session ended becomes anonymous (so endpoints that
/// need a user answer 401), and everyone else carries the roles stored now.
/// </summary>
public sealed class UsersAccountMiddleware(RequestDelegate next, UsersAccountCheck accounts)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (context.User.FindCurrentUser() is { } user)
        {
            context.User = await accounts.CheckAsync(context.User, user) ?? new ClaimsPrincipal(new ClaimsIdentity());
        }

        await next(context);
    }
}
