using System.Net.Http.Json;
using KinerjaWorkflow.Server.Persistence;
using KinerjaWorkflow.Server.Tests.Infrastructure;
using KinerjaWorkflow.Server.Tests.Tasks;
using Microsoft.Extensions.DependencyInjection;

namespace KinerjaWorkflow.Server.Tests.Persistence;

/// <summary>On SQLite the instance commands of a process take their write transactions in turn (<see cref="WriteTurn"/>).</summary>
public sealed class WriteTurnTests(InboxFixture inbox) : IClassFixture<InboxFixture>
{
    private static WriteTurn TurnOn(DatabaseProvider provider) => new(new DatabaseSettings(provider, "Data Source=unused.db", "/tmp"));

    [Fact]
    public async Task On_sqlite_a_second_writer_waits_until_the_first_has_ended()
    {
        using var turns = TurnOn(DatabaseProvider.Sqlite);
        var first = await turns.TakeAsync(CancellationToken.None);

        var second = turns.TakeAsync(CancellationToken.None).AsTask();
        await Task.Delay(50);
        second.IsCompleted.Should().BeFalse();
        first.Dispose();

        (await second.WaitAsync(TimeSpan.FromSeconds(5))).Dispose();
    }

    [Fact]
    public async Task On_postgres_writers_take_no_turn()
    {
        using var turns = TurnOn(DatabaseProvider.Postgres);

        using var first = await turns.TakeAsync(CancellationToken.None);
        var second = turns.TakeAsync(CancellationToken.None);

        second.IsCompleted.Should().BeTrue();
    }

    [Fact]
    public async Task A_writer_that_gives_up_waiting_leaves_the_turn_to_the_next()
    {
        using var turns = TurnOn(DatabaseProvider.Sqlite);
        var first = await turns.TakeAsync(CancellationToken.None);
        using var cancelled = new CancellationTokenSource(TimeSpan.FromMilliseconds(20));

        var giveUp = async () => await turns.TakeAsync(cancelled.Token);

        await giveUp.Should().ThrowAsync<OperationCanceledException>();
        first.Dispose();
        (await turns.TakeAsync(CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(5))).Dispose();
    }

    [Fact]
    public async Task Eight_completions_at_once_all_commit_and_leave_the_turn_free()
    {
        var satu = await inbox.As(Inbox.PelaksanaSatu);
        var tasks = new List<Guid>();
        for (var i = 0; i < 8; i++)
        {
            tasks.Add((await satu.NewSiapkanAsync($"giliran-{i}")).Task);
        }

        var answers = await Task.WhenAll(tasks.Select(id => satu.PostAsJsonAsync($"/api/tasks/{id}/complete", new { comment = "bersamaan" })));

        answers.Select(a => (int)a.StatusCode).Should().AllBeEquivalentTo(200);
        var free = inbox.Server.Services.GetRequiredService<WriteTurn>().TakeAsync(CancellationToken.None);
        free.IsCompleted.Should().BeTrue("no command kept its turn");
        (await free).Dispose();
    }
}
