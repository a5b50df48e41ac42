using System.Net;
using System.Security.Cryptography;
using KinerjaWorkflow.Server.Tests.Attachments;
using KinerjaWorkflow.Server.Tests.Infrastructure;
using KinerjaWorkflow.Server.Tests.Notifications;
using static KinerjaWorkflow.Server.Tests.Scheduling.SlaTests;

namespace KinerjaWorkflow.Server.Tests.ScaleOut;

/// <summary>
/// What a user sees does not depend on the node the proxy sent them to (issue 12, items 2 to 4): the Testing
/// clock, live events and documents are the same through either node.
/// </summary>
[Trait(Category, PostgresOnly)]
public sealed class TwoNodeTests(TwoNodes nodes) : IClassFixture<TwoNodes>
{
    /// <summary>Tests that start their own PostgreSQL whatever provider the suite runs on; CI's PostgreSQL pass leaves them out.</summary>
    public const string Category = "Database";
    public const string PostgresOnly = "postgres-only";

    private const string Laporan = "uji-laporan-sederhana";

    [Fact]
    public async Task A_clock_move_through_one_node_is_the_time_of_the_other_and_stamps_its_commands()
    {
        var stafA = await nodes.A.SignInAsync("staf.uji");
        var stafB = await nodes.B.SignInAsync("staf.uji");

        var moved = await stafA.SetClockAsync(Wita("2025-04-07T09:15"));

        (await stafB.ClockAsync()).Should().Be(moved);
        var instance = await stafB.StartAsync(Laporan, "jam-bersama");
        instance.GetProperty("startedAt").GetDateTimeOffset().Should().Be(moved);

        var later = await stafB.SetClockAsync(Wita("2025-04-07T10:45"));
        (await stafA.ClockAsync()).Should().Be(later);
    }

    [Fact]
    public async Task A_stream_on_one_node_gets_the_task_a_command_on_the_other_node_made()
    {
        var stafB = await nodes.B.SignInAsync("staf.uji");
        var kepalaA = await nodes.A.SignInAsync("kepala.uji");
        using var response = await stafB.GetAsync("/api/notifications/stream", HttpCompletionOption.ResponseHeadersRead);
        using var stream = new SseReader(await response.Content.ReadAsStreamAsync());
        (await stream.NextCommentAsync()).Should().Be("terhubung");

        var instance = (await kepalaA.StartAsync(Laporan, "sse-antar-node")).Id();

        var pushed = await stream.NextEventAsync(TimeSpan.FromSeconds(15));
        pushed.Name.Should().Be("task");
        pushed.Data.GetProperty("instanceId").GetGuid().Should().Be(instance);
        pushed.Data.GetProperty("stepId").GetString().Should().Be("Susun");
    }

    /// <summary>
    /// The reminder is sent by whichever node's Hangfire worker takes its job; a stream of the same user on each
    /// node receives it, so one of the two got it from the other node.
    /// </summary>
    [Fact]
    public async Task Streams_on_both_nodes_get_a_reminder_whichever_node_sent_it()
    {
        var stafA = await nodes.A.SignInAsync("staf.uji2");
        var stafB = await nodes.B.SignInAsync("staf.uji2");
        await stafA.SetClockAsync(Wita("2025-04-08T08:00"));
        var task = await stafA.OpenTaskAsync((await stafA.StartAsync(Laporan, "pengingat-antar-node")).Id(), "Susun");
        using var onA = await stafA.GetAsync("/api/notifications/stream", HttpCompletionOption.ResponseHeadersRead);
        using var onB = await stafB.GetAsync("/api/notifications/stream", HttpCompletionOption.ResponseHeadersRead);
        using var streamA = new SseReader(await onA.Content.ReadAsStreamAsync());
        using var streamB = new SseReader(await onB.Content.ReadAsStreamAsync());
        await streamA.NextCommentAsync();
        await streamB.NextCommentAsync();

        await stafB.SetClockAsync(Wita("2025-04-08T09:30"));

        var fromA = await NextNotificationAsync(streamA);
        var fromB = await NextNotificationAsync(streamB);
        fromA.Data.GetProperty("taskId").GetGuid().Should().Be(task);
        fromA.Data.GetProperty("kind").GetString().Should().Be("reminder");
        fromB.Id.Should().Be(fromA.Id);
        fromB.Data.GetProperty("subject").GetString().Should().Be(fromA.Data.GetProperty("subject").GetString());
    }

    [Fact]
    public async Task A_relay_whose_listening_connection_is_cut_listens_again_and_streams_carry_on()
    {
        var stafB = await nodes.B.SignInAsync("staf.uji");
        var kepalaA = await nodes.A.SignInAsync("kepala.uji");
        var cut = await nodes.RowsAsync("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE " + TwoNodes.RelayConnections);
        cut.Should().Be(2, "each node listens on a connection of its own");

        // Both relays connect again after their backoff and send their LISTEN.
        await nodes.RelaysListeningAsync();

        using var response = await stafB.GetAsync("/api/notifications/stream", HttpCompletionOption.ResponseHeadersRead);
        using var stream = new SseReader(await response.Content.ReadAsStreamAsync());
        await stream.NextCommentAsync();
        var instance = (await kepalaA.StartAsync(Laporan, "sesudah-putus")).Id();

        var pushed = await stream.NextEventAsync(TimeSpan.FromSeconds(15));
        pushed.Data.GetProperty("instanceId").GetGuid().Should().Be(instance);
    }

    [Fact]
    public async Task A_document_uploaded_through_one_node_downloads_unchanged_through_the_other()
    {
        var stafA = await nodes.A.SignInAsync("staf.uji");
        var kepalaB = await nodes.B.SignInAsync("kepala.uji");
        var task = await stafA.OpenTaskAsync((await stafA.StartAsync(Laporan, "lampiran-antar-node")).Id(), "Susun");
        var bytes = Documents.Pdf("dua node");

        var stored = await stafA.PostAsync($"/api/tasks/{task}/attachments", Documents.Upload(bytes, "laporan.pdf"))
            .OkJsonAsync(HttpStatusCode.Created);

        using var download = await kepalaB.GetAsync(stored.GetProperty("downloadUrl").GetString());
        download.StatusCode.Should().Be(HttpStatusCode.OK);
        var downloaded = await download.Content.ReadAsByteArrayAsync();
        downloaded.Should().Equal(bytes);
        Convert.ToHexStringLower(SHA256.HashData(downloaded)).Should().Be(stored.GetProperty("sha256").GetString());
    }

    private static async Task<SseEvent> NextNotificationAsync(SseReader stream)
    {
        while (true)
        {
            var next = await stream.NextEventAsync(TimeSpan.FromSeconds(15));
            if (next.Name == "notification")
            {
                return next;
            }
        }
    }
}
