using System.Security.Claims;

namespace KinerjaWorkflow.Server.Identity;

/// <summary>The claim types a signed-in user's principal carries besides its name and roles.</summary>
public static class KinerjaClaims
{
    public const string OfficeId = "kinerja:office";
    public const string DisplayName = "kinerja:display_name";

    /// <summary>"true" for admins, who design and publish SOPs.</summary>
    public const string Admin = "kinerja:admin";

    /// <summary>The server-side session (<see cref="UserSessions"/>) the token or cookie belongs to.</summary>
    public const string Session = "kinerja:session";
}

/// <summary>Who is making a request, read from the token or cookie without touching the database.</summary>
public sealed record CurrentUser(string UserName, string DisplayName, string OfficeId, IReadOnlySet<string> Roles, bool IsAdmin)
{
    public bool HasRole(string role) => Roles.Contains(role);

    public ClaimsPrincipal ToClaimsPrincipal(string authenticationType, Guid? sessionId = null)
    {
        var claims = new List<Claim>
        {
            new(ClaimTypes.Name, UserName),
            new(KinerjaClaims.DisplayName, DisplayName),
            new(KinerjaClaims.OfficeId, OfficeId),
        };
        if (IsAdmin)
        {
            claims.Add(new Claim(KinerjaClaims.Admin, "true"));
        }

        if (sessionId is { } session)
        {
            claims.Add(new Claim(KinerjaClaims.Session, session.ToString()));
        }

        claims.AddRange(Roles.Order(StringComparer.Ordinal).Select(role => new Claim(ClaimTypes.Role, role)));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, authenticationType, ClaimTypes.Name, ClaimTypes.Role));
    }
}

public static class ClaimsPrincipalExtensions
{
    /// <summary>The signed-in user; throws when the principal is not an authenticated Kinerja user.</summary>
    public static CurrentUser ToCurrentUser(this ClaimsPrincipal principal) =>
        principal.FindCurrentUser()
        ?? throw new InvalidOperationException("The request has no signed-in user; require authorization on the endpoint.");

    /// <summary>The server-side session the principal's token or cookie belongs to, if it names one.</summary>
    public static Guid? FindSessionId(this ClaimsPrincipal principal) =>
        Guid.TryParse(principal.FindFirstValue(KinerjaClaims.Session), out var id) ? id : null;

    /// <summary>The signed-in user, or null for an anonymous request.</summary>
    public static CurrentUser? FindCurrentUser(this ClaimsPrincipal principal)
    {
        var userName = principal.FindFirstValue(ClaimTypes.Name);
        var officeId = principal.FindFirstValue(KinerjaClaims.OfficeId);
        if (principal.Identity?.IsAuthenticated != true || userName is null || officeId is null)
        {
            return null;
        }

        return new CurrentUser(
            userName,
            principal.FindFirstValue(KinerjaClaims.DisplayName) ?? userName,
            officeId,
            principal.FindAll(ClaimTypes.Role).Select(c => c.Value).ToHashSet(StringComparer.Ordinal),
            principal.HasClaim(KinerjaClaims.Admin, "true"));
    }
}
