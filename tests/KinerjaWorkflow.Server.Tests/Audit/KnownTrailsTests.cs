using System.Text.Json;
using KinerjaWorkflow.Server.Definitions;
using KinerjaWorkflow.Server.Instances;
using KinerjaWorkflow.Server.Persistence;
using KinerjaWorkflow.Server.Tests.Infrastructure;
using KinerjaWorkflow.Server.Tests.Tasks;

namespace KinerjaWorkflow.Server.Tests.Audit;

/// <summary>
/// A trail read again reads only the lines after those it kept; what it answers must be the trail read whole, however
/// many commands (on this node or another, which it cannot tell apart) wrote lines in between.
/// </summary>
public sealed class KnownTrailsTests(InboxFixture inbox) : IClassFixture<InboxFixture>
{
    [Fact]
    public async Task A_trail_read_again_after_more_commands_is_the_trail_read_whole()
    {
        var kasubbag = await inbox.As(Inbox.Kasubbag);
        var pelaksana = await inbox.As(Inbox.PelaksanaSatu);
        var (instance, verifikasi) = await Inbox.NewVerifikasiAsync(inbox, "jejak-dikenal");
        using var known = new KnownTrails();
        var first = await ReadAsync(instance, known);
        await kasubbag.CompleteAsync(verifikasi, "revisi", "Kuitansi belum bermeterai.");
        await pelaksana.CompleteAsync(await pelaksana.OpenTaskAsync(instance, "Siapkan"), comment: "Sudah bermeterai.");

        var again = await ReadAsync(instance, known);

        using var fresh = new KnownTrails();
        var whole = await ReadAsync(instance, fresh);
        again.Select(l => l.Sequence).Should().Equal(Enumerable.Range(1, whole.Count).Select(n => (long)n));
        again.Should().HaveCountGreaterThan(first.Count).And.StartWith(first);
        JsonSerializer.Serialize(again).Should().Be(JsonSerializer.Serialize(whole));
    }

    [Fact]
    public async Task A_trail_with_no_line_since_is_the_one_kept()
    {
        var (instance, _) = await Inbox.NewVerifikasiAsync(inbox, "jejak-tetap");
        using var known = new KnownTrails();
        var first = await ReadAsync(instance, known);

        var again = await ReadAsync(instance, known);

        again.Should().BeSameAs(first);
    }

    [Fact]
    public async Task A_completions_answer_ends_with_its_own_lines_as_the_database_keeps_them()
    {
        // An instant between milliseconds: the column keeps whole milliseconds, and so must the answer.
        inbox.Server.Clock.SetTo(Inbox.MondayMorning.AddTicks(1_234_567));
        var pelaksana = await inbox.As(Inbox.PelaksanaSatu);
        var (instance, siapkan) = await pelaksana.NewSiapkanAsync("jejak-jawaban");
        await pelaksana.TaskAsync(siapkan);

        var answer = await pelaksana.CompleteAsync(siapkan, comment: "Selesai.");

        inbox.Server.Clock.SetTo(Inbox.MondayMorning);
        using var fresh = new KnownTrails();
        var whole = await ReadAsync(instance, fresh);
        answer.GetProperty("history").EnumerateArray()
            .Select(l => (l.GetProperty("sequence").GetInt64(), l.GetProperty("at").GetDateTimeOffset(), l.GetProperty("action").GetString(), l.GetProperty("comment").GetString()))
            .Should().Equal(whole.Select(l => (l.Sequence, l.At, (string?)l.Action, l.Comment)));
        whole[^1].At.Should().Be(DateTimeOffset.FromUnixTimeMilliseconds(Inbox.MondayMorning.AddTicks(1_234_567).ToUnixTimeMilliseconds()));
    }

    private async Task<IReadOnlyList<HistoryEntry>> ReadAsync(Guid instanceId, KnownTrails known)
    {
        using var scope = inbox.Server.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<KinerjaDbContext>();
        var definitionId = db.Instances.Where(i => i.Id == instanceId).Select(i => i.DefinitionId).Single();
        var model = await scope.ServiceProvider.GetRequiredService<DefinitionCatalog>().ModelOfAsync(db, definitionId, CancellationToken.None);
        return await new AuditTrail(db, known).ReadAsync(instanceId, model, CancellationToken.None);
    }
}
