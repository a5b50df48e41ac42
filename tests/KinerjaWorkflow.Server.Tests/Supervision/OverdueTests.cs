using System.Net;
using KinerjaWorkflow.Server.Tests.Infrastructure;
using KinerjaWorkflow.Server.Tests.Tasks;

namespace KinerjaWorkflow.Server.Tests.Supervision;

public sealed class OverdueTests(InboxFixture inbox) : IClassFixture<InboxFixture>
{
    [Fact]
    public async Task A_supervisor_sees_the_late_tasks_of_the_roles_below_with_how_late_in_office_time()
    {
        inbox.Server.Clock.SetTo(Inbox.MondayMorning);
        var (_, late) = await (await inbox.As(Inbox.PelaksanaSatu)).NewSiapkanAsync("terlambat");
        var (_, verifikasi) = await Inbox.NewVerifikasiAsync(inbox, "terlambat-verifikasi");
        inbox.Server.Clock.SetTo(Inbox.MondayMorning.AddHours(3));
        var (_, notYet) = await (await inbox.As(Inbox.PelaksanaSatu)).NewSiapkanAsync("belum-terlambat");

        var overdue = await (await inbox.As(Inbox.Kasubbag)).GetAsync("/api/supervision/overdue").OkJsonAsync();

        overdue.GetProperty("supervisedRoles").EnumerateArray().Select(r => r.GetString()).Should().Equal("Pelaksana");
        var items = overdue.GetProperty("items").EnumerateArray().ToList();
        var ids = items.Select(i => i.GetProperty("task").Id()).ToList();
        ids.Should().Contain(late).And.NotContain(notYet).And.NotContain(verifikasi);
        items.Single(i => i.GetProperty("task").Id() == late).GetProperty("workingMinutesLate").GetInt64().Should().Be(60);
    }

    [Fact]
    public async Task The_head_supervises_every_role_through_the_chain()
    {
        inbox.Server.Clock.SetTo(Inbox.MondayMorning.AddDays(21));
        var (_, siapkan) = await (await inbox.As(Inbox.PelaksanaSatu)).NewSiapkanAsync("kepala-lihat");
        inbox.Server.Clock.Advance(TimeSpan.FromDays(3));

        var overdue = await (await inbox.As(Inbox.Kepala)).GetAsync("/api/supervision/overdue?pageSize=200").OkJsonAsync();

        overdue.GetProperty("supervisedRoles").EnumerateArray().Select(r => r.GetString()).Should().BeEquivalentTo("Kasubbag", "Pelaksana", "Bendahara");
        overdue.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("task").Id()).Should().Contain(siapkan);
    }

    [Theory]
    [InlineData(Inbox.PelaksanaSatu)]
    [InlineData(Inbox.Outsider)]
    public async Task Someone_who_supervises_nothing_here_sees_nothing(string user)
    {
        inbox.Server.Clock.SetTo(Inbox.MondayMorning.AddDays(28));
        await (await inbox.As(Inbox.PelaksanaSatu)).NewSiapkanAsync("tidak-terlihat-" + user);
        inbox.Server.Clock.Advance(TimeSpan.FromDays(2));

        var overdue = await (await inbox.As(user)).GetAsync("/api/supervision/overdue").OkJsonAsync();

        overdue.GetProperty("items").GetArrayLength().Should().Be(0);
    }

    [Fact]
    public async Task A_bad_page_size_is_a_problem()
    {
        await (await inbox.As(Inbox.Kasubbag)).GetAsync("/api/supervision/overdue?pageSize=0").ProblemAsync(HttpStatusCode.UnprocessableEntity);
    }
}
