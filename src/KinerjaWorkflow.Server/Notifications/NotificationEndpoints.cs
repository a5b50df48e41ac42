using System.Text;
using System.Text.Json;
using KinerjaWorkflow.Server.Identity;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using HttpJsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace KinerjaWorkflow.Server.Notifications;

public static class NotificationEndpoints
{
    public static IEndpointRouteBuilder MapNotificationEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/notifications").WithTags("Notifikasi").RequireAuthorization();

        group.MapGet("/", async (bool? unread, HttpContext http, NotificationService notifications, CancellationToken ct) =>
        {
            var user = http.User.ToCurrentUser();
            var list = await notifications.ListAsync(user.UserName, unread ?? false, ct);
            return Results.Ok(list.Select(NotificationView.From));
        }).WithSummary("Notifikasi pengguna yang sedang masuk")
            .WithName("ListNotifications")
            .Produces<IEnumerable<NotificationView>>();

        group.MapGet("/count", async (HttpContext http, NotificationService notifications, CancellationToken ct) =>
            Results.Ok(new UnreadCount(await notifications.CountUnreadAsync(http.User.ToCurrentUser().UserName, ct))))
            .WithSummary("Jumlah notifikasi yang belum dibaca (untuk lencana)")
            .WithName("CountUnreadNotifications")
            .Produces<UnreadCount>();

        group.MapPost("/{id:guid}/read", async (Guid id, HttpContext http, NotificationService notifications, CancellationToken ct) =>
        {
            var user = http.User.ToCurrentUser();
            return Results.Ok(NotificationView.From(await notifications.MarkReadAsync(user.UserName, id, ct)));
        }).WithSummary("Tandai notifikasi sudah dibaca")
            .WithName("MarkNotificationRead")
            .Produces<NotificationView>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapPost("/read-all", async (HttpContext http, NotificationService notifications, CancellationToken ct) =>
            Results.Ok(new MarkedRead(await notifications.MarkAllReadAsync(http.User.ToCurrentUser().UserName, ct))))
            .WithSummary("Tandai semua notifikasi sudah dibaca")
            .WithName("MarkAllNotificationsRead")
            .Produces<MarkedRead>();

        group.MapGet("/stream", StreamAsync)
            .Produces<string>(StatusCodes.Status200OK, "text/event-stream")
            .WithName("StreamNotifications")
            .WithSummary("Aliran langsung (server-sent events): notifikasi baru dan tugas baru untuk peran saya");

        group.MapGet("/deliveries", async (string? status, HttpContext http, NotificationService notifications, CancellationToken ct) =>
            Results.Ok((await notifications.ListDeliveriesAsync(http.User.ToCurrentUser(), status, ct)).Select(DeliveryView.From)))
            .RequireAuthorization(KinerjaPolicies.Admin)
            .WithSummary("Pengiriman email dan webhook kantor saya (admin): tertunda, terkirim, gagal")
            .WithName("ListNotificationDeliveries")
            .Produces<IEnumerable<DeliveryView>>()
            .ProducesProblem(StatusCodes.Status403Forbidden);

        group.MapPost("/deliveries/{id:guid}/retry", async (Guid id, HttpContext http, NotificationService notifications, CancellationToken ct) =>
            Results.Ok(DeliveryView.From(await notifications.RetryDeliveryAsync(http.User.ToCurrentUser(), id, ct))))
            .RequireAuthorization(KinerjaPolicies.Admin)
            .WithSummary("Coba lagi pengiriman yang gagal (admin)")
            .WithName("RetryNotificationDelivery")
            .Produces<DeliveryView>()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);

        return app;
    }

    /// <summary>
    /// text/event-stream for the signed-in user: "notification" and "task" events as JSON, and a comment line
    /// every heartbeat interval so proxies and browsers keep the connection open. Ends when the client goes.
    /// </summary>
    private static async Task StreamAsync(
        HttpContext http,
        LiveNotifications live,
        IOptions<NotificationOptions> options,
        IOptions<HttpJsonOptions> json,
        CancellationToken ct)
    {
        var user = http.User.ToCurrentUser();
        http.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        http.Response.ContentType = "text/event-stream; charset=utf-8";
        http.Response.Headers.CacheControl = "no-cache";
        http.Response.Headers["X-Accel-Buffering"] = "no";

        using var subscription = live.Subscribe(user);
        await WriteAsync(http, ": terhubung\nretry: 5000\n\n", ct);
        var heartbeat = options.Value.HeartbeatInterval;
        try
        {
            while (!ct.IsCancellationRequested)
            {
                using var beat = CancellationTokenSource.CreateLinkedTokenSource(ct);
                beat.CancelAfter(heartbeat);
                bool more;
                try
                {
                    more = await subscription.Events.WaitToReadAsync(beat.Token);
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    await WriteAsync(http, ": heartbeat\n\n", ct);
                    continue;
                }

                if (!more)
                {
                    return;
                }

                var frames = new StringBuilder();
                while (subscription.Events.TryRead(out var item))
                {
                    frames.Append("event: ").Append(item.Name).Append('\n')
                        .Append("id: ").Append(item.Id).Append('\n')
                        .Append("data: ").Append(JsonSerializer.Serialize(item.Data, item.Data.GetType(), json.Value.SerializerOptions)).Append("\n\n");
                }

                await WriteAsync(http, frames.ToString(), ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The client closed the stream: the normal end of a live connection.
        }
    }

    private static async Task WriteAsync(HttpContext http, string text, CancellationToken ct)
    {
        await http.Response.WriteAsync(text, ct);
        await http.Response.Body.FlushAsync(ct);
    }
}

public sealed record NotificationView(
    Guid Id,
    string Kind,
    string Subject,
    string Message,
    Guid? InstanceId,
    Guid? TaskId,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ReadAt)
{
    public static NotificationView From(NotificationRecord n) =>
        new(n.Id, n.Kind, n.Subject, n.Message, n.InstanceId, n.TaskId, n.CreatedAt, n.ReadAt);
}

public sealed record UnreadCount(int Unread);

public sealed record MarkedRead(int Marked);

/// <summary>One outbound delivery as an admin sees it; the payload (and any secret) stays out.</summary>
public sealed record DeliveryView(
    Guid Id,
    string Channel,
    string Target,
    string Kind,
    string DeduplicationKey,
    string Status,
    int Attempts,
    DateTimeOffset NextAttemptAt,
    string? LastError,
    DateTimeOffset CreatedAt,
    DateTimeOffset? DeliveredAt)
{
    public static DeliveryView From(NotificationDeliveryRecord d) =>
        new(d.Id, d.Channel, d.Target, d.Kind, d.DeduplicationKey, d.Status, d.Attempts, d.NextAttemptAt, d.LastError, d.CreatedAt, d.DeliveredAt);
}
