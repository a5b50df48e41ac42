using System.ComponentModel;
using KinerjaWorkflow.Server.Errors;

namespace KinerjaWorkflow.Server.Hosting;

/// <summary>Only mapped in the Testing environment: moves the server's clock so deadlines pass without waiting.</summary>
public static class TestingEndpoints
{
    public static IEndpointRouteBuilder MapTestingEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/testing").WithTags("Pengujian");

        group.MapPost("/clock", async (ClockRequest request, TestingClock testing, CancellationToken ct) =>
        {
            Func<ManualClock, DateTimeOffset> move = request switch
            {
                { SetTo: { } instant } => clock => clock.SetTo(instant),
                { AdvanceBy: { } by } when by < TimeSpan.Zero => throw new RuleViolation("advanceBy tidak boleh negatif: jam hanya dapat dimajukan."),
                { AdvanceBy: { } by } => clock => clock.Advance(by),
                _ => throw new RuleViolation("Isi advanceBy (mis. \"1.02:00:00\") atau setTo (waktu ISO 8601)."),
            };
            var now = await testing.MoveAsync(move, ct);
            var open = await testing.SettleAsync(ct);
            return Results.Ok(new ClockResponse(now, open));
        }).WithSummary("Majukan atau setel jam server (hanya lingkungan Testing); menjawab setelah jadwal yang jatuh tempo dijalankan")
            .WithName("SetClock")
            .Produces<ClockResponse>()
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        group.MapGet("/clock", async (ManualClock clock, TestingClock testing, CancellationToken ct) =>
            {
                await testing.RestoreAsync(ct);
                return Results.Ok(new ClockResponse(clock.GetUtcNow(), []));
            })
            .WithSummary("Jam server saat ini (hanya lingkungan Testing)")
            .WithName("GetClock")
            .Produces<ClockResponse>();
        return app;
    }
}

/// <summary>One of the two: setTo wins when both are given.</summary>
public sealed record ClockRequest(
    [property: Description("Maju sejauh ini (d.hh:mm:ss, mis. \"1.02:00:00\"); tidak boleh negatif. Isi ini atau setTo.")] TimeSpan? AdvanceBy,
    [property: Description("Setel jam ke waktu ini (ISO 8601) dan hentikan jalannya; langkah berikutnya relatif terhadapnya. Isi ini atau advanceBy.")] DateTimeOffset? SetTo);

/// <param name="StillRunning">Items the move made due that had not finished when it answered (empty when all ran).</param>
public sealed record ClockResponse(DateTimeOffset Now, IReadOnlyList<ScheduledWork> StillRunning);
