using KinerjaWorkflow.Server.Dashboard;
using KinerjaWorkflow.Server.Identity;
using KinerjaWorkflow.Server.Offices;
using KinerjaWorkflow.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace KinerjaWorkflow.Server.Web;

public static class WebEndpoints
{
    /// <summary>
    /// The bundled front-end (wwwroot), the pages (sign-in, inbox, task, instances, SOP sheet, designer, dashboard, calendars) and the
    /// JSON endpoints only the pages need.
    /// </summary>
    public static WebApplication MapKinerjaWeb(this WebApplication app)
    {
        app.UseClientAssetFiles();

        app.MapGet("/", () => Results.Redirect(PagePaths.Inbox)).ExcludeFromDescription();
        app.MapGet(PagePaths.SignIn, (HttpContext http, ClientAssets assets, string? returnUrl) => SignInPage.Show(http, assets, returnUrl))
            .AllowAnonymous()
            .ExcludeFromDescription();
        app.MapPost(PagePaths.SignIn, SignInPage.SubmitAsync)
            .AllowAnonymous()
            .DisableAntiforgery()
            .ExcludeFromDescription();
        app.MapPost(PagePaths.SignOut, SignInPage.SignOutAsync)
            .AllowAnonymous()
            .DisableAntiforgery()
            .ExcludeFromDescription();

        var pages = app.MapGroup("").RequireAuthorization().ExcludeFromDescription();
        pages.MapGet(PagePaths.Inbox, (HttpContext http, PageRenderer render, CancellationToken ct) =>
            render.PageAsync(http, new PageSpec("Kotak Tugas", "tugas", "inbox"), ct));
        pages.MapGet(PagePaths.Inbox + "/{id:guid}", (Guid id, HttpContext http, PageRenderer render, CancellationToken ct) =>
            render.PageAsync(http, new PageSpec("Tugas", "tugas", "task", new Dictionary<string, object?> { ["taskId"] = id }), ct));
        pages.MapGet(PagePaths.Instances, (HttpContext http, PageRenderer render, CancellationToken ct) =>
            render.PageAsync(http, new PageSpec("Proses berjalan", "instans", "instances"), ct));
        pages.MapGet(PagePaths.Instances + "/{id:guid}", (Guid id, HttpContext http, PageRenderer render, CancellationToken ct) =>
            render.PageAsync(http, new PageSpec("Proses berjalan", "instans", "instance", new Dictionary<string, object?> { ["instanceId"] = id }), ct));
        pages.MapGet(PagePaths.Sheet + "/{key}/versi/{version:int}", (string key, int version, HttpContext http, PageRenderer render, CancellationToken ct) =>
            render.PageAsync(http, new PageSpec("Lembar SOP", "instans", "sheet", new Dictionary<string, object?> { ["definitionKey"] = key, ["version"] = version }), ct));
        pages.MapGet(PagePaths.Designer, (HttpContext http, PageRenderer render, CancellationToken ct) =>
            render.PageAsync(http, new PageSpec("Desainer SOP", "desainer", "designer"), ct, c => c.User.IsAdmin, "Desainer SOP hanya untuk admin kantor."));
        pages.MapGet(PagePaths.Dashboard, (HttpContext http, PageRenderer render, CancellationToken ct) =>
            render.PageAsync(http, new PageSpec("Dasbor", "dasbor", "dashboard"), ct, c => c.MaySeeDashboard, "Dasbor hanya untuk atasan dan admin."));
        pages.MapGet(PagePaths.Calendars, (HttpContext http, PageRenderer render, CancellationToken ct) =>
            render.PageAsync(http, new PageSpec("Kalender Libur", "kalender", "calendars"), ct, c => c.User.IsAdmin, "Kalender libur hanya dapat diubah admin kantor."));
        pages.MapGet(PagePaths.Backups, (HttpContext http, PageRenderer render, CancellationToken ct) =>
            render.PageAsync(http, new PageSpec("Cadangan Data", "cadangan", "backups"), ct, c => c.User.IsAdmin, "Cadangan data hanya untuk admin kantor."));

        var api = app.MapGroup("/api").RequireAuthorization().WithTags("Halaman web");
        api.MapGet("/waktu/preview", async (string? text, string? unit, HttpContext http, WaktuService waktu, CancellationToken ct) =>
                TypedResults.Ok(await waktu.PreviewAsync(http.User.ToCurrentUser(), text, unit, ct)))
            .WithName("PreviewWaktu")
            .WithSummary("Pratinjau cara layanan membaca sebuah Waktu: durasi harapan dan tenggat, dan contoh tenggat di kantor pengguna")
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        api.MapPost("/waktu/remaining", async (WorkingTimeRequest request, HttpContext http, WaktuService waktu, CancellationToken ct) =>
                TypedResults.Ok(await waktu.RemainingAsync(http.User.ToCurrentUser(), request.Until, ct)))
            .WithName("WorkingTimeRemaining")
            .WithSummary("Sisa waktu kerja kantor pengguna dari sekarang sampai setiap waktu yang diberikan (menit; negatif bila sudah lewat)")
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        api.MapGet("/offices/current", CurrentOfficeAsync)
            .WithName("GetCurrentOffice")
            .WithSummary("Kantor pengguna: nama, zona waktu, jam kantor, peran dan atasannya, anggota aktif dan perannya, dan jam server saat ini");
        api.MapGet("/dashboard", async (DateOnly? from, DateOnly? to, HttpContext http, DashboardService dashboard, CancellationToken ct) =>
                TypedResults.Ok(await dashboard.GetAsync(http.User.ToCurrentUser(), from, to, ct)))
            .WithName("GetDashboard")
            .WithSummary("Dasbor atasan: ketepatan waktu, rata-rata waktu terhadap Mutu Baku, keterlambatan dan eskalasi per SOP dan per langkah")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        return app;
    }

    private static async Task<Ok<CurrentOfficeView>> CurrentOfficeAsync(
        HttpContext http, OfficeDirectory offices, KinerjaDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var user = http.User.ToCurrentUser();
        var office = await offices.GetAsync(user.OfficeId, ct);
        var organization = office.Organization;
        var users = await db.Users.AsNoTracking()
            .Where(u => u.OfficeId == user.OfficeId && !u.IsDisabled)
            .OrderBy(u => u.DisplayName)
            .Select(u => new { u.Id, u.UserName, u.DisplayName })
            .ToListAsync(ct);
        var userIds = users.Select(u => u.Id).ToList();
        var memberships = await db.UserRoles.AsNoTracking()
            .Where(r => userIds.Contains(r.UserId))
            .ToListAsync(ct);
        return TypedResults.Ok(new CurrentOfficeView(
            organization.OfficeId,
            organization.Name,
            organization.ShortName,
            organization.TimeZoneId,
            office.Calendar.ToLocal(clock.GetUtcNow()),
            organization.HeadRole,
            organization.Roles.Select(r => new OfficeRoleView(r.Name, r.Supervisor, r.IsHead)).ToList(),
            Enum.GetValues<DayOfWeek>()
                .Select(day => (day, hours: organization.OfficeHours.For(day)))
                .Where(x => x.hours is not null)
                .Select(x => new OfficeDayView(x.day.ToString().ToLowerInvariant(), x.hours!.Value.Open.ToString("HH\\:mm"), x.hours.Value.Close.ToString("HH\\:mm")))
                .ToList(),
            office.IsSupervisor(user),
            users.Select(u => new OfficeMemberView(
                    u.UserName,
                    u.DisplayName,
                    memberships.Where(m => m.UserId == u.Id).Select(m => m.RoleName).Order(StringComparer.Ordinal).ToList()))
                .ToList()));
    }
}

/// <summary>Renders a page for the signed-in user, or a refusal when the page is not for them.</summary>
public sealed class PageRenderer(PageContextFactory contexts, ClientAssets assets, IOptions<WebOptions> options, TimeProvider clock)
{
    public async Task<IResult> PageAsync(
        HttpContext http, PageSpec page, CancellationToken ct, Func<PageContext, bool>? allowed = null, string? refusal = null)
    {
        var context = await contexts.CreateAsync(http.User.ToCurrentUser(), ct);
        if (allowed is not null && !allowed(context))
        {
            var refused = new PageSpec("Tidak diizinkan", page.Menu, "forbidden", new Dictionary<string, object?> { ["message"] = refusal });
            return PageShell.Render(http, context, refused, assets, options.Value, clock, StatusCodes.Status403Forbidden);
        }

        return PageShell.Render(http, context, page, assets, options.Value, clock);
    }
}

public sealed record CurrentOfficeView(
    string Id,
    string Name,
    string ShortName,
    string TimeZone,
    DateTimeOffset Now,
    string HeadRole,
    IReadOnlyList<OfficeRoleView> Roles,
    IReadOnlyList<OfficeDayView> OfficeHours,
    bool IsSupervisor,
    IReadOnlyList<OfficeMemberView> Members);

/// <summary>An active user of the office and their roles: whom a task can be delegated or reassigned to.</summary>
public sealed record OfficeMemberView(string Username, string Name, IReadOnlyList<string> Roles);

public sealed record OfficeRoleView(string Name, string? Supervisor, bool IsHead);

/// <param name="Day">monday … sunday.</param>
public sealed record OfficeDayView(string Day, string Open, string Close);
