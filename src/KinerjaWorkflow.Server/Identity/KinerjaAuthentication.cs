using Microsoft.AspNetCore.Authentication.BearerToken;

namespace KinerjaWorkflow.Server.Identity;

/// <summary>Authentication scheme names.</summary>
public static class KinerjaAuthentication
{
    /// <summary>
    /// The default scheme: a bearer token when the request carries one, the sign-in cookie when it carries that,
    /// otherwise bearer for /api (a 401) and the cookie for pages (a redirect to sign in).
    /// </summary>
    public const string DefaultScheme = "kinerja";
    public const string BearerScheme = BearerTokenDefaults.AuthenticationScheme;
    public const string CookieScheme = "kinerja.cookie";
    public const string CookieName = "kinerja.auth";
}

/// <summary>Authorization policy names.</summary>
public static class KinerjaPolicies
{
    /// <summary>Admins: design and publish SOPs.</summary>
    public const string Admin = "admin";
}
