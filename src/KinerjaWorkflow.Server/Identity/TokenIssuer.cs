using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.Extensions.Options;

namespace KinerjaWorkflow.Server.Identity;

public sealed record IssuedToken(string Token, DateTimeOffset ExpiresAt);

/// <summary>
/// Issues bearer tokens the built-in BearerToken handler accepts: a data-protected authentication ticket, as
/// the handler's own sign-in makes, but returned to the caller in the API's own response shape.
/// </summary>
public sealed class TokenIssuer(
    IOptionsMonitor<BearerTokenOptions> bearerOptions,
    IOptions<KinerjaIdentityOptions> options,
    TimeProvider timeProvider)
{
    public IssuedToken Issue(CurrentUser user, Guid sessionId)
    {
        var now = timeProvider.GetUtcNow();

        // The ticket keeps its expiry to the second (RFC 1123); say exactly what the handler will enforce.
        var expiresAt = DateTimeOffset.FromUnixTimeSeconds((now + options.Value.TokenLifetime).ToUnixTimeSeconds());
        var properties = new AuthenticationProperties { IssuedUtc = now, ExpiresUtc = expiresAt };
        var scheme = KinerjaAuthentication.BearerScheme;
        var ticket = new AuthenticationTicket(user.ToClaimsPrincipal(scheme, sessionId), properties, $"{scheme}:AccessToken");
        return new IssuedToken(bearerOptions.Get(scheme).BearerTokenProtector.Protect(ticket), expiresAt);
    }
}
