using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace KinerjaWorkflow.Server.Offices;

/// <summary>
/// Names the years from today to twelve months ahead whose national holidays and cuti bersama are not in the
/// calendar. The service still answers for them (only weekends close the office) but marks such deadlines
/// provisional, so a missing year degrades readiness instead of failing it.
/// </summary>
internal sealed class CalendarCoverageHealthCheck(HolidayCalendar holidays, TimeProvider clock) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        await holidays.EnsureCurrentAsync(cancellationToken);
        var missing = holidays.MissingYears(clock.GetUtcNow());
        return missing.Count == 0
            ? HealthCheckResult.Healthy("Kalender libur nasional dan cuti bersama lengkap sampai dua belas bulan ke depan.")
            : HealthCheckResult.Degraded(
                $"Kalender libur nasional dan cuti bersama tahun {string.Join(", ", missing)} belum ada: tenggat yang melewati tahun itu bersifat sementara (hanya akhir pekan yang dihitung libur).",
                data: new Dictionary<string, object> { ["missingYears"] = missing });
    }
}
