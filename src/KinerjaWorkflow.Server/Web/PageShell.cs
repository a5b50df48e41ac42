using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Antiforgery;

namespace KinerjaWorkflow.Server.Web;

/// <summary>One page: its title, its menu entry, its bundle (ClientApp/src/pages/&lt;entry&gt;.js) and what its script needs.</summary>
public sealed record PageSpec(string Title, string Menu, string Entry, IReadOnlyDictionary<string, object?>? Parameters = null);

/// <summary>
/// The layout every signed-in page shares, rendered on the server so the header (office, name, menus) is there
/// before any script runs; the page's own script fills <c>#app</c> from the JSON API.
/// </summary>
public static class PageShell
{
    private static readonly JsonSerializerOptions PageDataJson = new(JsonSerializerDefaults.Web)
    {
        // The default encoder escapes <, > and &, so the JSON cannot close its <script> element.
        Encoder = JavaScriptEncoder.Default,
    };

    private static readonly (string Menu, string Label, string Path, Func<PageContext, bool> Visible)[] Menus =
    [
        ("tugas", "Kotak Tugas", PagePaths.Inbox, _ => true),
        ("instans", "Proses berjalan", PagePaths.Instances, _ => true),
        ("dasbor", "Dasbor", PagePaths.Dashboard, c => c.MaySeeDashboard),
        ("desainer", "Desainer SOP", PagePaths.Designer, c => c.User.IsAdmin),
        ("kalender", "Kalender Libur", PagePaths.Calendars, c => c.User.IsAdmin),
        ("cadangan", "Cadangan", PagePaths.Backups, c => c.User.IsAdmin),
        ("jadwal", "Jadwal (Hangfire)", PagePaths.Schedule, c => c.User.IsAdmin),
    ];

    public static IResult Render(HttpContext http, PageContext context, PageSpec page, ClientAssets assets, WebOptions options, TimeProvider clock, int status = StatusCodes.Status200OK)
    {
        if (assets.BuildId is null)
        {
            return NotBuilt();
        }

        var antiforgery = http.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(http);
        var html = new StringBuilder(4096);
        var e = HtmlEncoder.Default;
        var user = context.User;
        var organization = context.Office.Organization;
        html.Append("<!doctype html>\n<html lang=\"id\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<title>").Append(e.Encode(page.Title)).Append(" · KinerjaWorkflow</title>\n")
            .Append("<link rel=\"icon\" href=\"/favicon.svg\" type=\"image/svg+xml\">\n")
            .Append("<link rel=\"stylesheet\" href=\"").Append(e.Encode(assets.Style(page.Entry))).Append("\">\n");
        foreach (var chunk in assets.Preloads(page.Entry))
        {
            html.Append("<link rel=\"modulepreload\" href=\"").Append(e.Encode(chunk)).Append("\">\n");
        }

        html.Append("</head>\n<body data-page=\"").Append(e.Encode(page.Entry)).Append("\">\n")
            .Append("<a class=\"skip-link\" href=\"#main\">Langsung ke isi halaman</a>\n")
            .Append("<header class=\"app-header\">\n")
            .Append("<a class=\"brand\" href=\"").Append(PagePaths.Inbox).Append("\">")
            .Append("<span class=\"brand-mark\" aria-hidden=\"true\">K</span><span class=\"brand-name\">KinerjaWorkflow</span>")
            .Append("<span class=\"visually-hidden\">, ke kotak tugas</span></a>\n")
            // On a narrow screen the menus and the account fold behind this button (base.css, page.js).
            .Append("<button type=\"button\" class=\"menu-button\" id=\"menu-button\" aria-expanded=\"false\" aria-controls=\"header-menu\">")
            .Append("<span class=\"menu-icon\" aria-hidden=\"true\"></span>Menu</button>\n")
            .Append("<div class=\"header-menu\" id=\"header-menu\">\n")
            .Append("<nav class=\"main-nav\" aria-label=\"Menu utama\"><ul>\n");
        foreach (var menu in Menus.Where(m => m.Visible(context)))
        {
            html.Append("<li><a href=\"").Append(menu.Path).Append('"');
            if (menu.Menu == page.Menu)
            {
                html.Append(" aria-current=\"page\"");
            }

            html.Append('>').Append(e.Encode(menu.Label)).Append("</a></li>\n");
        }

        html.Append("</ul></nav>\n<div class=\"header-user\">\n")
            .Append("<span class=\"office\" id=\"user-office\" title=\"").Append(e.Encode(organization.Name)).Append("\">")
            .Append(e.Encode(organization.ShortName)).Append("</span>\n")
            .Append("<span class=\"user-name\" id=\"user-name\">").Append(e.Encode(user.DisplayName)).Append("</span>\n")
            .Append("<form method=\"post\" action=\"").Append(PagePaths.SignOut).Append("\" class=\"signout\">")
            .Append("<input type=\"hidden\" name=\"").Append(SignInPage.AntiforgeryField).Append("\" value=\"").Append(e.Encode(antiforgery.RequestToken ?? "")).Append("\">")
            .Append("<button type=\"submit\" class=\"button-quiet\">Keluar</button></form>\n")
            .Append("</div>\n</div>\n")
            .Append("<button type=\"button\" class=\"notif-button\" id=\"notif-button\" aria-expanded=\"false\" aria-controls=\"notif-panel\">")
            .Append("<span class=\"notif-icon\" aria-hidden=\"true\"></span><span class=\"visually-hidden\">Notifikasi belum dibaca:</span>")
            .Append("<span class=\"notif-count\" id=\"notif-count\" data-count=\"0\">0</span></button>\n")
            .Append("</header>\n")
            .Append("<section id=\"notif-panel\" class=\"notif-panel\" hidden aria-label=\"Notifikasi\"></section>\n")
            .Append("<div id=\"toasts\" class=\"toasts\" role=\"status\" aria-live=\"polite\"></div>\n")
            .Append("<main id=\"main\" tabindex=\"-1\">\n<div id=\"app\" class=\"app\" aria-busy=\"true\"><p class=\"loading\">Memuat…</p></div>\n</main>\n")
            .Append("<script type=\"application/json\" id=\"page-data\">")
            .Append(JsonSerializer.Serialize(PageData(context, page, options, clock), PageDataJson))
            .Append("</script>\n")
            .Append("<script type=\"module\" src=\"").Append(e.Encode(assets.Script(page.Entry))).Append("\"></script>\n")
            .Append("</body>\n</html>\n");
        return Results.Content(html.ToString(), "text/html; charset=utf-8", statusCode: status);
    }

    private static Dictionary<string, object?> PageData(PageContext context, PageSpec page, WebOptions options, TimeProvider clock)
    {
        var organization = context.Office.Organization;
        return new Dictionary<string, object?>
        {
            ["title"] = page.Title,
            ["user"] = new
            {
                username = context.User.UserName,
                name = context.User.DisplayName,
                roles = context.User.Roles.Order(StringComparer.Ordinal).ToList(),
                isAdmin = context.User.IsAdmin,
                isSupervisor = context.IsSupervisor,
            },
            ["office"] = new
            {
                id = organization.OfficeId,
                name = organization.Name,
                shortName = organization.ShortName,
                timeZone = organization.TimeZoneId,
            },
            ["serverNow"] = clock.GetUtcNow(),
            ["notificationPollSeconds"] = options.NotificationPollInterval.TotalSeconds,
            ["params"] = page.Parameters ?? new Dictionary<string, object?>(),
        };
    }

    private static IResult NotBuilt() => Results.Content(
        "<!doctype html><html lang=\"id\"><meta charset=\"utf-8\"><title>KinerjaWorkflow</title>"
        + "<p>Halaman web belum dibangun di sini (wwwroot/dist tidak ada). Jalankan <code>dotnet build</code> "
        + "dengan Node.js dan npm terpasang, lalu muat ulang halaman.</p></html>",
        "text/html; charset=utf-8",
        statusCode: StatusCodes.Status503ServiceUnavailable);
}
