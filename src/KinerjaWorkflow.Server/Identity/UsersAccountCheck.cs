using System.Security.Claims;
using KinerjaWorkflow.Server.Persistence;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

namespace KinerjaWorkflow.Server.Identity;

/// <summary>
/// Makes an admin's changes count for tokens and cookies already issued: every request's principal is checked
/// against the account as stored. A disabled or removed account is signed out (the request is anonymous, so
/// a 401); roles and the admin flag are taken from the database, not from the token. Accounts are cached
/// briefly; a change on this node drops its entry at once, other nodes see it within <see cref="CacheFor"/>.
/// </summary>
public sealed class UsersAccountCheck(IDbContextFactory<KinerjaDbContext> contexts, IMemoryCache cache) : IClaimsTransformation
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(30);

    private const string CheckedClaim = "kinerja:account_checked";

    public async Task<ClaimsPrincipal> TransformAsync(ClaimsPrincipal principal)
    {
        if (principal.HasClaim(c => c.Type == CheckedClaim) || principal.FindCurrentUser() is not { } user)
        {
            return principal;
        }

        var account = await cache.GetOrCreateAsync(Key(user.UserName), async entry =>
        {
            entry.AbsoluteExpirationRelativeToNow = CacheFor;
            return await LoadAsync(user.UserName);
        });
        if (account is null || account.IsDisabled || account.OfficeId != user.OfficeId)
        {
            return new ClaimsPrincipal(new ClaimsIdentity());
        }

        var current = user with { Roles = account.Roles, IsAdmin = account.IsAdmin };
        var checkedPrincipal = current.ToClaimsPrincipal(principal.Identity!.AuthenticationType!);
        ((ClaimsIdentity)checkedPrincipal.Identity!).AddClaim(new Claim(CheckedClaim, "true"));
        return checkedPrincipal;
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
        return new StoredAccount(user.OfficeId, user.IsAdmin, user.IsDisabled, roles.ToHashSet(StringComparer.Ordinal));
    }

    private sealed record StoredAccount(string OfficeId, bool IsAdmin, bool IsDisabled, IReadOnlySet<string> Roles);
}
