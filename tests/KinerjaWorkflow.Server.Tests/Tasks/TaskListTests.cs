using System.Net;
using System.Text.Json;
using KinerjaWorkflow.Server.Tests.Infrastructure;

namespace KinerjaWorkflow.Server.Tests.Tasks;

public sealed class TaskListTests(InboxFixture inbox) : IClassFixture<InboxFixture>
{
    private KinerjaServer Server => inbox.Server;

    [Fact]
    public async Task Tasks_come_in_deadline_order_not_creation_order_and_those_without_a_deadline_come_last()
    {
        var pelaksana = await inbox.As(Inbox.PelaksanaSatu);
        var kepala = await inbox.As(Inbox.Kepala);
        var created = new List<Guid>();
        foreach (var minutes in new[] { 40, 20, 0 })
        {
            Server.Clock.SetTo(Inbox.MondayMorning.AddMinutes(minutes));
            created.Add((await pelaksana.NewSiapkanAsync($"urut-{minutes}")).Task);
        }

        Server.Clock.SetTo(Inbox.MondayMorning);
        var (_, verifikasi) = await Inbox.NewVerifikasiAsync(inbox, "urut-bayar");
        await (await inbox.As(Inbox.Kasubbag)).CompleteAsync(verifikasi, "setuju");

        var items = await kepala.ListAsync($"definitionKey={Inbox.Spj}&status=open&pageSize=200");

        var ids = items.Select(t => t.Id()).ToList();
        ids.Where(created.Contains).Should().Equal(created[2], created[1], created[0]);
        var dues = items.Select(t => t.GetProperty("dueAt")).ToList();
        dues.SkipWhile(d => d.ValueKind != JsonValueKind.Null).Should().OnlyContain(d => d.ValueKind == JsonValueKind.Null, "undated tasks come after every dated one");
        dues.Should().Contain(d => d.ValueKind == JsonValueKind.Null);
        dues.TakeWhile(d => d.ValueKind != JsonValueKind.Null).Select(d => d.GetDateTimeOffset()).Should().BeInAscendingOrder();
    }

    [Fact]
    public async Task Cursor_pages_visit_every_task_once_even_with_equal_deadlines_and_changes_between_pages()
    {
        Server.Clock.SetTo(Inbox.MondayMorning.AddHours(3));
        var pelaksana = await inbox.As(Inbox.PelaksanaDua);
        var sameInstant = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            sameInstant.Add((await pelaksana.NewSiapkanAsync($"halaman-{i}")).Task);
        }

        var query = $"role=Pelaksana&stepId=Siapkan&status=open&pageSize=2";
        var seen = new List<Guid>();
        var pages = 0;
        string? cursor = null;
        do
        {
            var page = await (await inbox.As(Inbox.Kasubbag)).GetAsync($"/api/tasks?{query}{(cursor is null ? "" : "&cursor=" + cursor)}").OkJsonAsync();
            var items = page.GetProperty("items").EnumerateArray().Select(t => t.Id()).ToList();
            items.Count.Should().BeLessThanOrEqualTo(2);
            seen.AddRange(items);
            cursor = page.GetProperty("nextCursor").GetString();
            if (pages++ == 0)
            {
                // Completing a task already seen and starting a later one must not shift the pages that follow.
                await pelaksana.CompleteAsync(items[0]);
                Server.Clock.SetTo(Inbox.MondayMorning.AddDays(1));
                sameInstant.Add((await (await inbox.As(Inbox.PelaksanaDua)).NewSiapkanAsync("halaman-baru")).Task);
            }
        }
        while (cursor is not null);

        seen.Should().OnlyHaveUniqueItems();
        seen.Should().Contain(sameInstant);
        pages.Should().BeGreaterThanOrEqualTo(3);
    }

    [Fact]
    public async Task The_last_page_has_no_next_cursor()
    {
        var pelaksana = await inbox.As(Inbox.PelaksanaSatu);
        var (_, task) = await pelaksana.NewSiapkanAsync("halaman-akhir");

        var page = await pelaksana.GetAsync("/api/tasks?businessKey=halaman-akhir&pageSize=1").OkJsonAsync();

        page.GetProperty("items").EnumerateArray().Select(t => t.Id()).Should().Equal(task);
        page.GetProperty("nextCursor").ValueKind.Should().Be(JsonValueKind.Null);
    }

    [Fact]
    public async Task The_tasks_of_one_case_page_through_in_deadline_order_too()
    {
        var created = new List<Guid>();
        foreach (var minutes in new[] { 20, 10, 0 })
        {
            Server.Clock.SetTo(Inbox.MondayMorning.AddDays(35).AddMinutes(minutes));
            created.Add((await (await inbox.As(Inbox.PelaksanaSatu)).NewSiapkanAsync("satu-kasus")).Task);
        }

        var seen = new List<Guid>();
        string? cursor = null;
        do
        {
            var page = await (await inbox.As(Inbox.PelaksanaDua))
                .GetAsync("/api/tasks?businessKey=satu-kasus&pageSize=1" + (cursor is null ? "" : "&cursor=" + cursor)).OkJsonAsync();
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(t => t.Id()));
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);

        seen.Should().Equal(created[2], created[1], created[0]);
    }

    [Theory]
    [InlineData("status=selesai", HttpStatusCode.BadRequest)]
    [InlineData("pageSize=0", HttpStatusCode.UnprocessableEntity)]
    [InlineData("pageSize=201", HttpStatusCode.UnprocessableEntity)]
    [InlineData("pageSize=sepuluh", HttpStatusCode.BadRequest)]
    [InlineData("cursor=bukan-kursor", HttpStatusCode.BadRequest)]
    [InlineData("cursor=AQEAAAGZuKPpAAAAAZm4o-kAEjRWeBI0VniQEjRWeJASNFZ4kBI0", HttpStatusCode.BadRequest)]
    [InlineData("overdue=mungkin", HttpStatusCode.BadRequest)]
    [InlineData("dueBefore=besok", HttpStatusCode.BadRequest)]
    [InlineData("role=Kasubbag", HttpStatusCode.Forbidden)]
    public async Task Bad_list_queries_are_answered_with_a_problem(string query, HttpStatusCode expected)
    {
        var pelaksana = await inbox.As(Inbox.PelaksanaSatu);

        var problem = await pelaksana.GetAsync("/api/tasks?" + query).ProblemAsync(expected);

        problem.GetProperty("detail").GetString().Should().NotBeNullOrWhiteSpace();
    }

    [Theory]
    [InlineData(Inbox.PelaksanaSatu, "Pelaksana", HttpStatusCode.OK)]
    [InlineData(Inbox.Kasubbag, "Pelaksana", HttpStatusCode.OK)]
    [InlineData(Inbox.Kepala, "Bendahara", HttpStatusCode.OK)]
    [InlineData(Inbox.Bendahara, "Pelaksana", HttpStatusCode.Forbidden)]
    [InlineData(Inbox.PelaksanaSatu, "Kasubbag", HttpStatusCode.Forbidden)]
    public async Task A_role_list_needs_the_role_or_its_supervision(string user, string role, HttpStatusCode expected)
    {
        var client = await inbox.As(user);

        (await client.GetAsync($"/api/tasks?role={Uri.EscapeDataString(role)}").StatusOfAsync()).Should().Be(expected);
    }

    [Fact]
    public async Task Mine_lists_only_the_tasks_I_hold()
    {
        var satu = await inbox.As(Inbox.PelaksanaSatu);
        var (_, held) = await satu.NewSiapkanAsync("milik-saya");
        var (_, free) = await satu.NewSiapkanAsync("milik-saya-bebas");
        await satu.PostAsync($"/api/tasks/{held}/claim", null).OkJsonAsync();

        var mine = await satu.ListAsync("mine=true&pageSize=200");

        mine.Should().OnlyContain(t => t.GetProperty("assignee").GetString() == Inbox.PelaksanaSatu);
        mine.Select(t => t.Id()).Should().Contain(held).And.NotContain(free);
    }

    [Fact]
    public async Task Supervised_lists_the_tasks_of_the_roles_below_me_only()
    {
        var (_, siapkan) = await (await inbox.As(Inbox.PelaksanaSatu)).NewSiapkanAsync("supervisi-daftar");
        var (_, verifikasi) = await Inbox.NewVerifikasiAsync(inbox, "supervisi-daftar-2");

        var ofKasubbag = await (await inbox.As(Inbox.Kasubbag)).ListAsync("supervised=true&status=open&pageSize=200");
        var ofKepala = await (await inbox.As(Inbox.Kepala)).ListAsync("supervised=true&status=open&pageSize=200");
        var ofPelaksana = await (await inbox.As(Inbox.PelaksanaDua)).ListAsync("supervised=true");

        ofKasubbag.Select(t => t.Id()).Should().Contain(siapkan).And.NotContain(verifikasi);
        ofKasubbag.Should().OnlyContain(t => t.GetProperty("roles").EnumerateArray().Any(r => r.GetString() == "Pelaksana"));
        ofKepala.Select(t => t.Id()).Should().Contain([siapkan, verifikasi]);
        ofPelaksana.Should().BeEmpty();
    }

    [Fact]
    public async Task Without_a_scope_a_person_sees_their_roles_tasks_and_not_other_roles()
    {
        var (_, siapkan) = await (await inbox.As(Inbox.PelaksanaSatu)).NewSiapkanAsync("lingkup-bawaan");

        var ofBendahara = await (await inbox.As(Inbox.Bendahara)).ListAsync("businessKey=lingkup-bawaan");
        var ofPelaksana = await (await inbox.As(Inbox.PelaksanaDua)).ListAsync("businessKey=lingkup-bawaan");
        var ofOutsider = await (await inbox.As(Inbox.Outsider)).ListAsync("businessKey=lingkup-bawaan");

        ofBendahara.Should().BeEmpty();
        ofPelaksana.Select(t => t.Id()).Should().Equal(siapkan);
        ofOutsider.Should().BeEmpty();
    }

    [Fact]
    public async Task Overdue_and_due_before_select_by_the_deadline()
    {
        Server.Clock.SetTo(Inbox.MondayMorning.AddDays(7));
        var pelaksana = await inbox.As(Inbox.PelaksanaSatu);
        var (_, task) = await pelaksana.NewSiapkanAsync("tenggat-filter");
        var due = (await pelaksana.TaskAsync(task)).GetProperty("dueAt").GetDateTimeOffset();
        due.Should().Be(Inbox.MondayMorning.AddDays(7).AddHours(2));

        (await pelaksana.ListAsync("businessKey=tenggat-filter&overdue=true")).Should().BeEmpty();
        Server.Clock.SetTo(due.AddMinutes(1));
        (await pelaksana.ListAsync("businessKey=tenggat-filter&overdue=true")).Select(t => t.Id()).Should().Equal(task);
        (await pelaksana.ListAsync("businessKey=tenggat-filter&dueBefore=" + Uri.EscapeDataString(due.ToString("O")))).Should().BeEmpty();
        (await pelaksana.ListAsync("businessKey=tenggat-filter&dueBefore=" + Uri.EscapeDataString(due.AddMinutes(1).ToString("O"))))
            .Select(t => t.Id()).Should().Equal(task);
    }

    [Theory]
    [InlineData("stepId=Siapkan", new[] { "Siapkan" })]
    [InlineData("stepId=Verifikasi", new[] { "Verifikasi" })]
    [InlineData("status=completed", new[] { "Siapkan" })]
    [InlineData("status=open", new[] { "Verifikasi" })]
    [InlineData("status=active", new[] { "Verifikasi" })]
    [InlineData("status=claimed,completed", new[] { "Siapkan" })]
    [InlineData("definitionKey=uji-laporan-sederhana", new string[0])]
    [InlineData("", new[] { "Siapkan", "Verifikasi" })]
    public async Task Filters_by_step_status_and_sop_combine_with_the_business_key(string filter, string[] expectedSteps)
    {
        var businessKey = "saring-" + Guid.NewGuid().ToString("N")[..8];
        await Inbox.NewVerifikasiAsync(inbox, businessKey);

        var items = await (await inbox.As(Inbox.Kepala)).ListAsync($"businessKey={businessKey}&{filter}");

        items.Select(t => t.GetProperty("stepId").GetString()).Should().BeEquivalentTo(expectedSteps);
    }

    [Fact]
    public async Task Counts_give_the_badges_of_the_same_scope()
    {
        Server.Clock.SetTo(Inbox.MondayMorning.AddDays(14));
        var satu = await inbox.As(Inbox.PelaksanaSatu);
        var kepala = await inbox.As(Inbox.Kepala);
        var (_, first) = await satu.NewSiapkanAsync("lencana");
        var (_, second) = await satu.NewSiapkanAsync("lencana");
        await satu.NewSiapkanAsync("lencana");
        await satu.PostAsync($"/api/tasks/{first}/claim", null).OkJsonAsync();
        await satu.CompleteAsync(second);
        Server.Clock.Advance(TimeSpan.FromHours(3));

        var mine = await satu.GetAsync("/api/tasks/counts?businessKey=lencana").OkJsonAsync();
        var all = await kepala.GetAsync("/api/tasks/counts?businessKey=lencana").OkJsonAsync();

        mine.GetProperty("open").GetInt32().Should().Be(1);
        mine.GetProperty("claimed").GetInt32().Should().Be(1);
        mine.GetProperty("mine").GetInt32().Should().Be(1);
        mine.GetProperty("overdue").GetInt32().Should().Be(2);
        all.GetProperty("open").GetInt32().Should().Be(2, "Verifikasi of the completed one is open too");
        all.GetProperty("mine").GetInt32().Should().Be(0);
    }
}
