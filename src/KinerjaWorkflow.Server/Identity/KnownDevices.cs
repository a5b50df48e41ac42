using System.Globalization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;

namespace KinerjaWorkflow.Server.Identity;

/// <summary>
/// Browsers and clients that have signed in to an account before (OWASP's "device cookies"). A successful sign-in
/// leaves a signed cookie naming the account; a later sign-in to that account carrying it is judged on its own:
/// it is not held by the account's lock or the per-username limit, which a stranger's guesses fill, so a stranger
/// cannot keep the account's owner (an office's only admin) out. Its own wrong guesses are limited instead
/// (<see cref="SignInThrottle.DeviceMayGuess"/>).
/// </summary>
public sealed class KnownDevices(IDataProtectionProvider protection, IOptions<KinerjaIdentityOptions> options, TimeProvider clock)
{
    public const string CookieName = "kinerja.device";

    private readonly IDataProtector _protector = protection.CreateProtector("KinerjaWorkflow.KnownDevice");

    /// <summary>The device the request's cookie names for <paramref name="normalizedUserName"/>, or null.</summary>
    public string? Recognize(HttpContext http, string normalizedUserName)
    {
        if (!http.Request.Cookies.TryGetValue(CookieName, out var cookie) || string.IsNullOrEmpty(cookie))
        {
            return null;
        }

        string[] parts;
        try
        {
            parts = _protector.Unprotect(cookie).Split('\n');
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return null;
        }

        return parts.Length == 3
            && parts[0] == normalizedUserName
            && long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var issued)
            && DateTimeOffset.FromUnixTimeSeconds(issued) + options.Value.KnownDeviceLifetime > clock.GetUtcNow()
                ? parts[1]
                : null;
    }

    /// <summary>After a successful sign-in: this client is now known for the account.</summary>
    public void Remember(HttpContext http, string userName)
    {
        var now = clock.GetUtcNow();
        var payload = string.Join('\n', userName, Guid.CreateVersion7(now).ToString("N"), now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        http.Response.Cookies.Append(CookieName, _protector.Protect(payload), new CookieOptions
        {
            HttpOnly = true,
            Secure = http.Request.IsHttps,
            SameSite = SameSiteMode.Strict,
            Path = "/",
            MaxAge = options.Value.KnownDeviceLifetime,
        });
    }
}
