using KinerjaWorkflow.Engine.Time;
using KinerjaWorkflow.Server.Notifications;

namespace KinerjaWorkflow.Server.Tests.Notifications;

public sealed class NotificationTextsTests
{
    private static readonly BusinessCalendar Wita = Calendar("Asia/Makassar");
    private static readonly BusinessCalendar Wib = Calendar("Asia/Jakarta");

    [Fact]
    public void A_reminder_names_the_sop_the_step_the_key_the_local_deadline_and_the_working_time_left()
    {
        var ctx = new SopContext("Laporan Sederhana", 1, "Menyusun laporan", "2025-TW4", Local(Wita, 2025, 1, 6, 16, 0), Local(Wita, 2025, 1, 6, 13, 45), Wita);

        var text = NotificationTexts.Reminder(ctx);

        text.Subject.Should().Be("Pengingat: langkah 1 \"Menyusun laporan\" — Laporan Sederhana (2025-TW4)");
        text.Text.Should().Be(
            "Langkah 1 \"Menyusun laporan\" pada SOP Laporan Sederhana untuk 2025-TW4 harus selesai paling lambat " +
            "Senin, 6 Januari 2025 pukul 16.00 WITA. Sisa waktu kerja: 2 jam 15 menit. Segera selesaikan tugas ini.");
    }

    [Fact]
    public void An_escalation_says_its_level_who_holds_the_task_and_how_late_it_is_in_working_time()
    {
        var ctx = new SopContext("Pengumpulan Data Kinerja", 3, "Memverifikasi data", "2025-TW1", Local(Wib, 2025, 1, 3, 16, 30), Local(Wib, 2025, 1, 7, 10, 0), Wib);

        var text = NotificationTexts.Escalation(ctx, 2, "Staf Uji Satu (Staf)");

        text.Subject.Should().Be("Eskalasi tingkat 2: langkah 3 \"Memverifikasi data\" terlambat — Pengumpulan Data Kinerja (2025-TW1)");
        text.Text.Should().Be(
            "Eskalasi tingkat 2: langkah 3 \"Memverifikasi data\" pada SOP Pengumpulan Data Kinerja untuk 2025-TW1 melewati batas waktu " +
            "Jumat, 3 Januari 2025 pukul 16.30 WIB. Terlambat 1 hari kerja 2 jam 30 menit waktu kerja. " +
            "Tugas ini dipegang oleh Staf Uji Satu (Staf). Mohon tindak lanjut.");
    }

    [Fact]
    public void An_escalation_of_an_unclaimed_task_at_its_deadline_says_nobody_holds_it()
    {
        var due = Local(Wita, 2025, 1, 6, 16, 0);
        var ctx = new SopContext("Laporan Sederhana", null, "Memeriksa laporan", null, due, due, Wita);

        var text = NotificationTexts.Escalation(ctx, 1, null);

        text.Subject.Should().Be("Eskalasi tingkat 1: langkah \"Memeriksa laporan\" terlambat — Laporan Sederhana");
        text.Text.Should().Contain("Batas waktunya tercapai sekarang.").And.Contain("Tugas ini belum diambil oleh siapa pun.");
    }

    [Fact]
    public void A_new_task_gives_its_deadline_or_says_it_has_none()
    {
        var now = Local(Wita, 2025, 1, 6, 8, 0);
        var withDeadline = new SopContext("Laporan Sederhana", 2, "Memeriksa laporan", "X-1", Local(Wita, 2025, 1, 7, 16, 0), now, Wita);
        var without = withDeadline with { DueAt = null };

        NotificationTexts.NewTask(withDeadline).Text.Should().Be(
            "Tugas baru: langkah 2 \"Memeriksa laporan\" pada SOP Laporan Sederhana untuk X-1. " +
            "Batas waktu: Selasa, 7 Januari 2025 pukul 16.00 WITA. Sisa waktu kerja: 1 hari kerja 8 jam.");
        NotificationTexts.NewTask(without).Text.Should().EndWith("Langkah ini tidak memiliki batas waktu.");
        NotificationTexts.NewTask(without).Subject.Should().Be("Tugas baru: langkah 2 \"Memeriksa laporan\" — Laporan Sederhana (X-1)");
    }

    [Theory]
    [InlineData("Asia/Jakarta", "Senin, 6 Januari 2025 pukul 15.00 WIB")]
    [InlineData("Asia/Makassar", "Senin, 6 Januari 2025 pukul 16.00 WITA")]
    [InlineData("Asia/Jayapura", "Senin, 6 Januari 2025 pukul 17.00 WIT")]
    [InlineData("Asia/Tokyo", "Senin, 6 Januari 2025 pukul 17.00 UTC+9")]
    [InlineData("Asia/Kolkata", "Senin, 6 Januari 2025 pukul 13.30 UTC+5:30")]
    public void A_deadline_is_written_in_the_offices_local_time_with_its_zone(string zone, string expected)
    {
        NotificationTexts.LocalTime(new DateTimeOffset(2025, 1, 6, 8, 0, 0, TimeSpan.Zero), Calendar(zone)).Should().Be(expected);
    }

    [Theory]
    [InlineData("2025-01-06 16:00", "2025-01-06 16:00", "kurang dari 1 menit")]
    [InlineData("2025-01-06 15:55", "2025-01-06 16:00", "5 menit")]
    [InlineData("2025-01-06 15:00", "2025-01-07 08:30", "2 jam")]
    [InlineData("2025-01-03 16:30", "2025-01-06 16:00", "1 hari kerja")]
    [InlineData("2025-01-06 12:00", "2025-01-08 10:00", "1 hari kerja 6 jam 30 menit")]
    [InlineData("2025-01-03 12:00", "2025-01-04 12:00", "4 jam 30 menit")]
    public void Working_time_counts_whole_office_days_then_hours_and_minutes(string from, string to, string expected)
    {
        NotificationTexts.WorkingTime(Parse(from), Parse(to), Wita).Should().Be(expected);

        static DateTimeOffset Parse(string text)
        {
            var local = DateTime.ParseExact(text, "yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture);
            return Local(Wita, local.Year, local.Month, local.Day, local.Hour, local.Minute);
        }
    }

    [Fact]
    public void A_send_tasks_message_keeps_its_text_and_names_the_sop()
    {
        var text = NotificationTexts.Message("Kirim Pesan Uji", "PESAN-7", "Laporan PESAN-7 sudah masuk.");

        text.Should().Be(new NotificationText("Pemberitahuan SOP Kirim Pesan Uji (PESAN-7)", "Laporan PESAN-7 sudah masuk."));
    }

    private static BusinessCalendar Calendar(string zone) =>
        new(TimeZoneInfo.FindSystemTimeZoneById(zone), OfficeHours.Default, Array.Empty<DateOnly>());

    private static DateTimeOffset Local(BusinessCalendar calendar, int year, int month, int day, int hour, int minute) =>
        calendar.AtLocal(new DateOnly(year, month, day), new TimeOnly(hour, minute));
}
