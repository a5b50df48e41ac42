using KinerjaWorkflow.Server.Identity;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace KinerjaWorkflow.Server.Offices;

public static class CalendarEndpoints
{
    /// <summary>The calendars office admins keep: /api/calendars.</summary>
    public static IEndpointRouteBuilder MapCalendarEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/calendars").WithTags("Kalender").RequireAuthorization();

        group.MapGet("/{year:int}", async Task<Ok<CalendarYearView>> (int year, HttpContext http, CalendarAdministration calendars, CancellationToken ct) =>
                TypedResults.Ok(await calendars.GetYearAsync(http.User.ToCurrentUser(), year, ct)))
            .WithName("GetCalendarYear")
            .WithSummary("Hari libur nasional, cuti bersama dan penutupan kantor saya dalam satu tahun (admin)")
            .WithCalendarProblems();

        group.MapPut("/{year:int}/nasional", async Task<Ok<CalendarYearView>> (int year, HttpContext http, CalendarAdministration calendars, CancellationToken ct) =>
            {
                using var body = new StreamReader(http.Request.Body);
                using var csv = new StringReader(await body.ReadToEndAsync(ct));
                return TypedResults.Ok(await calendars.UploadYearAsync(http.User.ToCurrentUser(), year, csv, ct));
            })
            .Accepts<string>("text/csv")
            .WithName("UploadNationalCalendar")
            .WithSummary("Ganti libur nasional dan cuti bersama satu tahun dengan berkas CSV (tanggal,nama,jenis) untuk semua kantor (admin)")
            .WithCalendarProblems();

        group.MapPost("/nasional", async Task<Ok<CalendarYearView>> ([FromBody] CalendarDayRequest request, HttpContext http, CalendarAdministration calendars, CancellationToken ct) =>
                TypedResults.Ok(await calendars.AddNationalDayAsync(http.User.ToCurrentUser(), request, ct)))
            .WithName("AddNationalDay")
            .WithSummary("Tambah satu hari libur nasional atau cuti bersama untuk semua kantor (admin)")
            .WithCalendarProblems();

        group.MapDelete("/nasional/{date}", async Task<Ok<CalendarYearView>> (DateOnly date, HttpContext http, CalendarAdministration calendars, CancellationToken ct) =>
                TypedResults.Ok(await calendars.RemoveNationalDayAsync(http.User.ToCurrentUser(), date, ct)))
            .WithName("RemoveNationalDay")
            .WithSummary("Hapus satu hari libur nasional atau cuti bersama untuk semua kantor (admin)")
            .WithCalendarProblems();

        group.MapPost("/kantor", async Task<Ok<CalendarYearView>> ([FromBody] CalendarDayRequest request, HttpContext http, CalendarAdministration calendars, CancellationToken ct) =>
                TypedResults.Ok(await calendars.AddOfficeClosureAsync(http.User.ToCurrentUser(), request, ct)))
            .WithName("AddOfficeClosure")
            .WithSummary("Tutup kantor saya pada satu tanggal (admin)")
            .WithCalendarProblems();

        group.MapDelete("/kantor/{date}", async Task<Ok<CalendarYearView>> (DateOnly date, HttpContext http, CalendarAdministration calendars, CancellationToken ct) =>
                TypedResults.Ok(await calendars.RemoveOfficeClosureAsync(http.User.ToCurrentUser(), date, ct)))
            .WithName("RemoveOfficeClosure")
            .WithSummary("Batalkan penutupan kantor saya pada satu tanggal (admin)")
            .WithCalendarProblems();

        return app;
    }

    private static RouteHandlerBuilder WithCalendarProblems(this RouteHandlerBuilder builder) => builder
        .ProducesProblem(StatusCodes.Status400BadRequest)
        .ProducesProblem(StatusCodes.Status403Forbidden)
        .ProducesProblem(StatusCodes.Status404NotFound)
        .ProducesProblem(StatusCodes.Status409Conflict)
        .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
}
