using KinerjaWorkflow.Server.Identity;

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
        }).WithSummary("Notifikasi pengguna yang sedang masuk");

        group.MapPost("/{id:guid}/read", async (Guid id, HttpContext http, NotificationService notifications, CancellationToken ct) =>
        {
            var user = http.User.ToCurrentUser();
            return Results.Ok(NotificationView.From(await notifications.MarkReadAsync(user.UserName, id, ct)));
        }).WithSummary("Tandai notifikasi sudah dibaca");

        return app;
    }
}

public sealed record NotificationView(
    Guid Id,
    string Kind,
    string Message,
    Guid? InstanceId,
    Guid? TaskId,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ReadAt)
{
    public static NotificationView From(NotificationRecord n) =>
        new(n.Id, n.Kind, n.Message, n.InstanceId, n.TaskId, n.CreatedAt, n.ReadAt);
}
