using System.Globalization;
using KinerjaWorkflow.Engine.Time;
using KinerjaWorkflow.Server.Errors;
using KinerjaWorkflow.Server.Identity;
using KinerjaWorkflow.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace KinerjaWorkflow.Server.Offices;

/// <summary>
/// Office admins keep the calendars: the national holidays and cuti bersama every office shares (any office admin
/// may change them, since the decree is the same for all), and their own office's closures. Every change is written
/// to the office's admin audit in the same transaction, with a fresh calendar stamp (so other nodes reload) and what
/// its <see cref="ICalendarChangeFollower"/>s move (provisional deadlines); this node takes the new calendars at once.
/// </summary>
public sealed class CalendarAdministration(
    KinerjaDbContext db,
    HolidayCalendar holidays,
    OfficeDirectory offices,
    IEnumerable<ICalendarChangeFollower> followers,
    TimeProvider clock,
    ILogger<CalendarAdministration> logger)
{
    public const int MinYear = 2000;
    public const int MaxYear = 2100;
    public const int MaxNameLength = 200;

    public async Task<CalendarYearView> GetYearAsync(CurrentUser admin, int year, CancellationToken ct)
    {
        RequireAdmin(admin);
        CheckYear(year);
        var (first, last) = (new DateOnly(year, 1, 1), new DateOnly(year, 12, 31));
        var days = await db.Set<CalendarDayRecord>().AsNoTracking()
            .Where(d => d.Date >= first && d.Date <= last && (d.OfficeId == null || d.OfficeId == admin.OfficeId))
            .ToListAsync(ct);
        var record = await db.Set<CalendarYearRecord>().AsNoTracking().FirstOrDefaultAsync(y => y.Year == year, ct);
        var organization = (await offices.GetAsync(admin.OfficeId, ct)).Organization;
        var fromOrganization = organization.Closures
            .Where(c => c.Date.Year == year)
            .Select(c => new CalendarDayView(c.Date, c.Name, CalendarKinds.OfficeClosure, OrganizationLoader.FileName));
        return new CalendarYearView(
            year,
            record is not null,
            record?.Source,
            record?.UpdatedAt,
            record?.UpdatedBy,
            [.. days.Select(d => new CalendarDayView(d.Date, d.Name, d.Kind, d.OfficeId is null ? "nasional" : "kantor"))
                .Concat(fromOrganization)
                .OrderBy(d => d.Date)
                .ThenBy(d => d.Kind, StringComparer.Ordinal)]);
    }

    /// <summary>
    /// Replaces the year's national holidays and cuti bersama with the CSV (the format of workflows/calendars). A
    /// bad row refuses the whole file, naming every bad row, and changes nothing.
    /// </summary>
    public async Task<CalendarYearView> UploadYearAsync(CurrentUser admin, int year, TextReader csv, CancellationToken ct)
    {
        RequireAdmin(admin);
        CheckYear(year);
        var result = HolidayCalendarReader.Read(csv, year);
        var errors = result.Errors.ToList();
        if (errors.Count == 0 && !result.Holidays.Any(h => h.Kind == HolidayKind.NationalHoliday))
        {
            errors.Add(new HolidayReadError(1, $"tidak ada satu pun libur-nasional; kalender tahun {year} belum lengkap."));
        }

        if (errors.Count > 0)
        {
            var ordered = errors.OrderBy(e => e.Line).ToList();
            var problem = new RuleViolation(
                $"Berkas kalender tahun {year} tidak diterima, tidak ada yang diubah: {string.Join("; ", ordered)}");
            problem.Extensions["rows"] = ordered.Select(e => new { row = e.Line, message = e.Message }).ToList();
            throw problem;
        }

        var (first, last) = (new DateOnly(year, 1, 1), new DateOnly(year, 12, 31));
        db.RemoveRange(await db.Set<CalendarDayRecord>().Where(d => d.OfficeId == null && d.Date >= first && d.Date <= last).ToListAsync(ct));
        db.AddRange(result.Holidays.Select(h => new CalendarDayRecord { Date = h.Date, Name = h.Name, Kind = CalendarKinds.Of(h.Kind) }));
        await MarkChangedAsync(admin, year, ct);
        var national = result.Holidays.Count(h => h.Kind == HolidayKind.NationalHoliday);
        Audit(admin, CalendarAuditActions.YearUploaded, year.ToString(CultureInfo.InvariantCulture),
            $"{national} libur nasional, {result.Holidays.Count - national} cuti bersama");
        await CommitAsync(admin, year.ToString(CultureInfo.InvariantCulture), null, ct);
        logger.LogInformation("{Admin} uploaded the national calendar of {Year}: {Count} days", admin.UserName, year, result.Holidays.Count);
        return await GetYearAsync(admin, year, ct);
    }

    /// <summary>Adds one national holiday or cuti bersama to a year already in the calendar.</summary>
    public async Task<CalendarYearView> AddNationalDayAsync(CurrentUser admin, CalendarDayRequest request, CancellationToken ct)
    {
        RequireAdmin(admin);
        var (date, name) = Check(request);
        var kind = (request.Kind ?? "").Trim().ToLowerInvariant();
        if (kind is not (CalendarKinds.NationalHoliday or CalendarKinds.CutiBersama))
        {
            throw new RuleViolation($"jenis \"{request.Kind}\" tidak dikenal; tulis {CalendarKinds.NationalHoliday} atau {CalendarKinds.CutiBersama}.");
        }

        await RequireYearAsync(date.Year, ct);
        if (await db.Set<CalendarDayRecord>().AnyAsync(d => d.OfficeId == null && d.Date == date, ct))
        {
            throw new ConflictError($"Tanggal {date:yyyy-MM-dd} sudah ada di kalender nasional.");
        }

        db.Add(new CalendarDayRecord { Date = date, Name = name, Kind = kind });
        await MarkChangedAsync(admin, date.Year, ct);
        Audit(admin, CalendarAuditActions.NationalDayAdded, $"{date:yyyy-MM-dd}", $"{kind}: {name}");
        await CommitAsync(admin, $"{date:yyyy-MM-dd}", null, ct);
        return await GetYearAsync(admin, date.Year, ct);
    }

    public async Task<CalendarYearView> RemoveNationalDayAsync(CurrentUser admin, DateOnly date, CancellationToken ct)
    {
        RequireAdmin(admin);
        var day = await db.Set<CalendarDayRecord>().FirstOrDefaultAsync(d => d.OfficeId == null && d.Date == date, ct)
            ?? throw new NotFoundError($"Tanggal {date:yyyy-MM-dd} tidak ada di kalender nasional.");
        db.Remove(day);
        await MarkChangedAsync(admin, date.Year, ct);
        Audit(admin, CalendarAuditActions.NationalDayRemoved, $"{date:yyyy-MM-dd}", $"{day.Kind}: {day.Name}");
        await CommitAsync(admin, $"{date:yyyy-MM-dd}", null, ct);
        return await GetYearAsync(admin, date.Year, ct);
    }

    /// <summary>Closes the admin's own office on one day; other offices are not affected.</summary>
    public async Task<CalendarYearView> AddOfficeClosureAsync(CurrentUser admin, CalendarDayRequest request, CancellationToken ct)
    {
        RequireAdmin(admin);
        var (date, name) = Check(request);
        if (await db.Set<CalendarDayRecord>().AnyAsync(d => d.OfficeId == admin.OfficeId && d.Date == date, ct))
        {
            throw new ConflictError($"Kantor sudah ditutup pada {date:yyyy-MM-dd}.");
        }

        db.Add(new CalendarDayRecord { OfficeId = admin.OfficeId, Date = date, Name = name, Kind = CalendarKinds.OfficeClosure });
        Audit(admin, CalendarAuditActions.OfficeClosureAdded, $"{date:yyyy-MM-dd}", name);
        await CommitAsync(admin, $"{date:yyyy-MM-dd}", admin.OfficeId, ct);
        return await GetYearAsync(admin, date.Year, ct);
    }

    public async Task<CalendarYearView> RemoveOfficeClosureAsync(CurrentUser admin, DateOnly date, CancellationToken ct)
    {
        RequireAdmin(admin);
        var day = await db.Set<CalendarDayRecord>().FirstOrDefaultAsync(d => d.OfficeId == admin.OfficeId && d.Date == date, ct)
            ?? throw new NotFoundError(
                $"Tidak ada penutupan kantor pada {date:yyyy-MM-dd} yang disimpan di layanan (penutupan di {OrganizationLoader.FileName} diubah di berkas itu).");
        db.Remove(day);
        Audit(admin, CalendarAuditActions.OfficeClosureRemoved, $"{date:yyyy-MM-dd}", day.Name);
        await CommitAsync(admin, $"{date:yyyy-MM-dd}", admin.OfficeId, ct);
        return await GetYearAsync(admin, date.Year, ct);
    }

    private static (DateOnly Date, string Name) Check(CalendarDayRequest request)
    {
        if (!DateOnly.TryParseExact(request.Date?.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            throw new RuleViolation($"tanggal \"{request.Date}\" tidak valid; tulis YYYY-MM-DD, misalnya 2025-03-31.");
        }

        CheckYear(date.Year);
        var name = (request.Name ?? "").Trim();
        return name.Length is 0 or > MaxNameLength
            ? throw new RuleViolation($"nama wajib diisi, paling panjang {MaxNameLength} karakter.")
            : (date, name);
    }

    private static void CheckYear(int year)
    {
        if (year is < MinYear or > MaxYear)
        {
            throw new RuleViolation($"Tahun {year} di luar {MinYear}–{MaxYear}.");
        }
    }

    private static void RequireAdmin(CurrentUser user)
    {
        if (!user.IsAdmin)
        {
            throw new ForbiddenError("Hanya admin kantor yang dapat mengubah kalender libur.");
        }
    }

    private async Task RequireYearAsync(int year, CancellationToken ct)
    {
        if (!await db.Set<CalendarYearRecord>().AnyAsync(y => y.Year == year, ct))
        {
            throw new RuleViolation(
                $"Kalender nasional tahun {year} belum ada; unggah dulu berkas CSV tahun itu (semua libur nasional dan cuti bersamanya).");
        }
    }

    private async Task MarkChangedAsync(CurrentUser admin, int year, CancellationToken ct)
    {
        var record = await db.Set<CalendarYearRecord>().FirstOrDefaultAsync(y => y.Year == year, ct);
        if (record is null)
        {
            db.Add(new CalendarYearRecord { Year = year, Source = CalendarSources.Admin, UpdatedAt = clock.GetUtcNow(), UpdatedBy = admin.UserName });
            return;
        }

        record.Source = CalendarSources.Admin;
        record.UpdatedAt = clock.GetUtcNow();
        record.UpdatedBy = admin.UserName;
    }

    private void Audit(CurrentUser admin, string action, string target, string? detail) =>
        db.Add(UsersAuditRecord.By(admin, clock.GetUtcNow(), action, target, detail));

    /// <summary>
    /// Commits the staged change with a fresh stamp and what the followers move, in one transaction: the followers
    /// read the calendars as the change leaves them through the same transaction. <paramref name="officeId"/> limits
    /// them to one office (a closure); null is every office (a national day).
    /// </summary>
    private async Task CommitAsync(CurrentUser admin, string target, string? officeId, CancellationToken ct)
    {
        var before = await holidays.EnsureCurrentAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await HolidayCalendar.RestampAsync(db, ct);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (UniqueRows.AlreadyIn(e, "calendar_days"))
        {
            throw new ConflictError("Tanggal itu baru saja ditambahkan admin lain; tidak ada yang diubah. Muat ulang kalender.");
        }
        var after = await HolidayCalendar.LoadAsync(db, ct);
        var moved = 0;
        foreach (var follower in followers)
        {
            moved += await follower.CalendarChangedAsync(before, after, officeId, admin, ct);
        }

        if (moved > 0)
        {
            Audit(admin, CalendarAuditActions.DeadlinesRecomputed, target, $"{moved} batas waktu sementara dihitung ulang dengan kalender baru");
        }

        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw new ConflictError("Sebuah instans yang batas waktunya ikut berubah baru saja diubah orang lain; tidak ada yang diubah. Coba lagi.");
        }

        await transaction.CommitAsync(ct);
        holidays.Install(after);
        offices.Invalidate();
    }
}

/// <summary>The admin-audit actions of calendar changes; the target is the year or the date.</summary>
public static class CalendarAuditActions
{
    public const string YearUploaded = "calendar-year-uploaded";
    public const string NationalDayAdded = "national-day-added";
    public const string NationalDayRemoved = "national-day-removed";
    public const string OfficeClosureAdded = "office-closure-added";
    public const string OfficeClosureRemoved = "office-closure-removed";

    /// <summary>A change moved open provisional deadlines; the detail says how many.</summary>
    public const string DeadlinesRecomputed = "deadlines-recomputed";
}

/// <summary>
/// What moves with the calendars (open provisional deadlines and their reminders), written in the change's transaction
/// through the same context.
/// </summary>
public interface ICalendarChangeFollower
{
    /// <param name="officeId">The office whose closures changed, or null for a national change.</param>
    /// <returns>How many deadlines moved.</returns>
    Task<int> CalendarChangedAsync(HolidayDays before, HolidayDays after, string? officeId, CurrentUser admin, CancellationToken ct);
}

/// <param name="Date">YYYY-MM-DD.</param>
/// <param name="Name">What the day is, e.g. "Hari Jadi Kabupaten".</param>
/// <param name="Kind">libur-nasional or cuti-bersama for a national day; not used for an office closure.</param>
public sealed record CalendarDayRequest(string? Date, string? Name, string? Kind);

/// <param name="Scope">nasional (shared by every office), kantor (this office, kept here) or organization.yaml.</param>
public sealed record CalendarDayView(DateOnly Date, string Name, string Kind, string Scope);

/// <param name="Complete">Whether the year's national holidays are in the calendar; deadlines across a year that is not are provisional.</param>
public sealed record CalendarYearView(int Year, bool Complete, string? Source, DateTimeOffset? UpdatedAt, string? UpdatedBy, IReadOnlyList<CalendarDayView> Days);
