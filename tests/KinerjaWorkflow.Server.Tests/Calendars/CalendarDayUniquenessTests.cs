using KinerjaWorkflow.Server.Offices;
using KinerjaWorkflow.Server.Persistence;
using KinerjaWorkflow.Server.Tests.Persistence;
using Microsoft.EntityFrameworkCore;

namespace KinerjaWorkflow.Server.Tests.Calendars;

/// <summary>
/// A day is in the calendar once per scope (national, or one office), kept by the database itself: the check in
/// CalendarAdministration cannot see a day another admin adds on another node in the same instant.
/// </summary>
public sealed class CalendarDayUniquenessTests
{
    private static readonly DateOnly Nyepi = new(2026, 3, 19);

    public static TheoryData<string?, string?, bool> Pairs => new()
    {
        { null, null, false },
        { "kantor-a", "kantor-a", false },
        { "kantor-a", "kantor-b", true },
        { null, "kantor-a", true },
    };

    [Theory]
    [MemberData(nameof(Pairs))]
    public async Task A_second_row_for_the_same_day_is_stored_only_in_another_scope(string? first, string? second, bool stored)
    {
        using var database = await TestDatabase.CreateMigratedAsync();
        await using (var db = database.NewContext())
        {
            db.AddRange(Office("kantor-a"), Office("kantor-b"));
            db.Add(Day(first));
            await db.SaveChangesAsync();
        }

        await using var other = database.NewContext();
        other.Add(Day(second));
        var act = () => other.SaveChangesAsync();

        if (stored)
        {
            await act.Should().NotThrowAsync();
        }
        else
        {
            (await act.Should().ThrowAsync<DbUpdateException>()).Which.InnerException!.Message.Should().Contain("calendar_days");
        }

        await using var reader = database.NewContext();
        (await reader.Set<CalendarDayRecord>().CountAsync()).Should().Be(stored ? 2 : 1);
    }

    private static OfficeRecord Office(string id) => new() { Id = id, Name = id, TimeZone = "Asia/Jakarta", OrganizationYaml = "" };

    private static CalendarDayRecord Day(string? officeId) => new()
    {
        OfficeId = officeId,
        Date = Nyepi,
        Name = "Hari Suci Nyepi",
        Kind = officeId is null ? CalendarKinds.NationalHoliday : CalendarKinds.OfficeClosure,
    };
}
