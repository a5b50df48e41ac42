using System.Globalization;
using KinerjaWorkflow.Engine.Time;

namespace KinerjaWorkflow.Engine.Tests.Time;

/// <summary>Calendars built from the holiday files shipped in workflows/calendars.</summary>
internal static class TestCalendars
{
    public const string Jakarta = "Asia/Jakarta";
    public const string Makassar = "Asia/Makassar";
    public const string Jayapura = "Asia/Jayapura";

    public static readonly int[] ShippedYears = [2024, 2025, 2026];

    private static readonly Lazy<IReadOnlyList<Holiday>> Shipped = new(LoadShipped);

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public static string CalendarsDirectory { get; } = Path.Combine(RepositoryRoot, "workflows", "calendars");

    /// <summary>The civil-service week with its breaks, as every office in workflows/ writes it.</summary>
    public static OfficeHours CivilServiceWithBreaks { get; } = OfficeHours.Default
        .With(DayOfWeek.Monday, Day(7, 30, 16, 0, (12, 0, 13, 0)))
        .With(DayOfWeek.Tuesday, Day(7, 30, 16, 0, (12, 0, 13, 0)))
        .With(DayOfWeek.Wednesday, Day(7, 30, 16, 0, (12, 0, 13, 0)))
        .With(DayOfWeek.Thursday, Day(7, 30, 16, 0, (12, 0, 13, 0)))
        .With(DayOfWeek.Friday, Day(7, 30, 16, 30, (11, 30, 13, 0)));

    public static IReadOnlyList<Holiday> ShippedHolidays => Shipped.Value;

    public static BusinessCalendar For(string zoneId, OfficeHours? hours = null, params Holiday[] closures) =>
        new(TimeZoneInfo.FindSystemTimeZoneById(zoneId), hours ?? OfficeHours.Default, ShippedHolidays.Concat(closures));

    public static BusinessCalendar Wib(OfficeHours? hours = null, params Holiday[] closures) => For(Jakarta, hours, closures);

    public static DateTimeOffset At(string iso) => DateTimeOffset.Parse(iso, CultureInfo.InvariantCulture);

    /// <summary>Local date, time and offset, so a test checks both the instant and the offset it is shown in.</summary>
    public static string Local(DateTimeOffset instant) => instant.ToString("yyyy-MM-dd'T'HH:mmzzz", CultureInfo.InvariantCulture);

    public static string? Local(DateTimeOffset? instant) => instant is { } i ? Local(i) : null;

    public static HolidayReadResult ReadShipped(int year)
    {
        using var reader = new StreamReader(Path.Combine(CalendarsDirectory, $"{year}.csv"));
        return HolidayCalendarReader.Read(reader);
    }

    private static OfficeDay Day(int openHour, int openMinute, int closeHour, int closeMinute, (int H1, int M1, int H2, int M2) pause) =>
        new(
            new TimeOnly(openHour, openMinute),
            new TimeOnly(closeHour, closeMinute),
            new OfficeBreak(new TimeOnly(pause.H1, pause.M1), new TimeOnly(pause.H2, pause.M2)));

    private static List<Holiday> LoadShipped()
    {
        var holidays = new List<Holiday>();
        foreach (var year in ShippedYears)
        {
            var result = ReadShipped(year);
            if (!result.Succeeded)
            {
                throw new InvalidOperationException($"{year}.csv: {string.Join("; ", result.Errors)}");
            }

            holidays.AddRange(result.Holidays);
        }

        return holidays;
    }

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "KinerjaWorkflow.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"KinerjaWorkflow.sln not found above {AppContext.BaseDirectory}.");
    }
}
