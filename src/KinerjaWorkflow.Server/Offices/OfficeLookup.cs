namespace KinerjaWorkflow.Server.Offices;

/// <summary>
/// The offices as one unit of work (a request, a job) sees them: the stored calendar stamp is read at the unit's first
/// lookup only, and every later lookup of the unit counts with the same calendars, as a command's other reads are all
/// of one moment. A completion looks its office up four times (the task's access, the command, its SLA plan and the
/// answer); each used to read the stamp in a scope of its own. A unit whose first query reads the stamp with its own
/// rows hands it over (<see cref="TakeStampAsync"/>) instead. A calendar change this node commits meanwhile is taken
/// at once; one that another node commits is seen from this node's next request or job on.
/// </summary>
public sealed class OfficeLookup(OfficeDirectory directory, HolidayCalendar holidays)
{
    private HolidayDays? _checked;

    public async ValueTask<OfficeProfile> GetAsync(string officeId, CancellationToken ct)
    {
        if (_checked is null || !ReferenceEquals(_checked, holidays.Current))
        {
            _checked = await holidays.EnsureCurrentAsync(ct);
        }

        return await directory.GetAsync(officeId, _checked, ct);
    }

    /// <summary>
    /// The stored stamp as a query of the unit read it along with its own rows, for the unit's first lookup to count
    /// with instead of reading it again. A unit that already checked the stamp keeps the calendars it checked.
    /// </summary>
    public async ValueTask TakeStampAsync(string? stamp, CancellationToken ct)
    {
        var current = holidays.Current;
        if (ReferenceEquals(_checked, current))
        {
            return;
        }

        _checked = stamp == current.Stamp ? current : await holidays.EnsureCurrentAsync(ct);
    }
}
