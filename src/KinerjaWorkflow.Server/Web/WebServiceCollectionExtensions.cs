using KinerjaWorkflow.Server.Identity;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace KinerjaWorkflow.Server.Web;

public static class WebServiceCollectionExtensions
{
    /// <summary>
    /// The web pages: sign-in with the cookie scheme, the page shell, the bundled front-end, and the endpoints only
    /// the pages need (Waktu preview, the current office, the dashboard).
    /// </summary>
    public static IServiceCollection AddKinerjaWeb(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<WebOptions>()
            .Bind(configuration.GetSection(WebOptions.SectionName))
            .Validate(o => o.NotificationPollInterval > TimeSpan.Zero, "Web:NotificationPollInterval must be positive.")
            .ValidateOnStart();
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "kinerja.af";

            // Antiforgery's own default sends its cookie over plain HTTP too; every page outside Development and
            // Testing is HTTPS (the redirect), so there it is always Secure.
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.FormFieldName = SignInPage.AntiforgeryField;
        });
        services.PostConfigure<CookieAuthenticationOptions>(KinerjaAuthentication.CookieScheme, o =>
        {
            o.LoginPath = PagePaths.SignIn;
            o.LogoutPath = PagePaths.SignOut;
            o.AccessDeniedPath = PagePaths.SignIn;
        });
        services.AddSingleton<ClientAssets>();
        services.AddScoped<PageContextFactory>();
        services.AddScoped<PageRenderer>();
        services.AddScoped<WaktuService>();
        return services;
    }
}

/// <summary>The "Web" configuration section.</summary>
public sealed class WebOptions
{
    public const string SectionName = "Web";

    /// <summary>How often the pages ask for unread notifications when the live stream is not available.</summary>
    public TimeSpan NotificationPollInterval { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>The pages' addresses, in the users' language.</summary>
public static class PagePaths
{
    public const string SignIn = "/masuk";
    public const string SignOut = "/keluar";
    public const string Inbox = "/tugas";
    public const string Instances = "/instans";
    public const string Designer = "/desainer";

    /// <summary>The SOP-AP sheet of a definition version: /sop/{key}/versi/{version}.</summary>
    public const string Sheet = "/sop";
    public const string Dashboard = "/dasbor";
    public const string Calendars = "/kalender";
    public const string Backups = "/cadangan";

    /// <summary>Hangfire's dashboard of the schedule's jobs, for admins.</summary>
    public const string Schedule = Scheduling.HangfireHosting.DashboardPath;
}
