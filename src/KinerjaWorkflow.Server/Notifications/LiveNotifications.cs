using System.Collections.Concurrent;
using System.Threading.Channels;
using KinerjaWorkflow.Server.Identity;
using KinerjaWorkflow.Server.Instances;
using KinerjaWorkflow.Server.Persistence;

namespace KinerjaWorkflow.Server.Notifications;

/// <summary>An event for one live stream: its SSE event name, an id, and the JSON-serialisable data.</summary>
public sealed record LiveEvent(string Name, Guid Id, object Data);

/// <summary>
/// Hands committed notifications and new tasks to the signed-in users' open live streams. In process only: a
/// user connected to another node of a cluster does not see them live (the list and count endpoints do).
/// Each stream has its own bounded queue; a stream that stops reading loses its oldest live events, never
/// the stored notifications. A user's streams close when a session of theirs ends (sign-out, disabled).
/// </summary>
public sealed class LiveNotifications : IUserStreams, ICommittedCommandListener
{
    public const string NotificationEvent = "notification";
    public const string TaskEvent = "task";

    private const int QueueCapacity = 256;

    private readonly ConcurrentDictionary<Guid, Subscriber> _subscribers = new();

    public int SubscriberCount => _subscribers.Count;

    public LiveSubscription Subscribe(CurrentUser user)
    {
        var subscriber = new Subscriber(
            Guid.NewGuid(),
            user,
            Channel.CreateBounded<LiveEvent>(new BoundedChannelOptions(QueueCapacity)
            {
                FullMode = BoundedChannelFullMode.DropOldest,
                SingleReader = true,
            }));
        _subscribers[subscriber.Id] = subscriber;
        return new LiveSubscription(subscriber.Events.Reader, () =>
        {
            _subscribers.TryRemove(subscriber.Id, out _);
            subscriber.Events.Writer.TryComplete();
        });
    }

    public void Close(string userName)
    {
        foreach (var subscriber in _subscribers.Values.Where(s => s.User.UserName == userName))
        {
            _subscribers.TryRemove(subscriber.Id, out _);
            subscriber.Events.Writer.TryComplete();
        }
    }

    public void Publish(NotificationRecord notification)
    {
        var view = NotificationView.From(notification);
        foreach (var subscriber in _subscribers.Values.Where(s => s.User.UserName == notification.UserName))
        {
            subscriber.Events.Writer.TryWrite(new LiveEvent(NotificationEvent, notification.Id, view));
        }
    }

    /// <summary>A task just committed: to the users of its office who hold one of its roles or are its assignee.</summary>
    public void OnCommitted(KinerjaDbContext db, IReadOnlyList<TaskRecord> createdTasks)
    {
        foreach (var task in createdTasks)
        {
            Publish(task);
        }
    }

    public void Publish(TaskRecord task)
    {
        var roles = TaskRoles.Decode(task.Roles);
        var view = LiveTaskView.From(task, roles);
        foreach (var subscriber in _subscribers.Values.Where(s =>
                     s.User.OfficeId == task.OfficeId
                     && (s.User.UserName == task.Assignee || roles.Any(s.User.HasRole))))
        {
            subscriber.Events.Writer.TryWrite(new LiveEvent(TaskEvent, task.Id, view));
        }
    }

    private sealed record Subscriber(Guid Id, CurrentUser User, Channel<LiveEvent> Events);
}

/// <summary>One open stream's events; disposing it ends the subscription.</summary>
public sealed class LiveSubscription(ChannelReader<LiveEvent> events, Action unsubscribe) : IDisposable
{
    public ChannelReader<LiveEvent> Events { get; } = events;

    public void Dispose() => unsubscribe();
}

/// <summary>A new task as the live stream shows it.</summary>
public sealed record LiveTaskView(
    Guid Id,
    Guid InstanceId,
    string DefinitionKey,
    string? BusinessKey,
    string StepId,
    string StepName,
    int? StepNumber,
    IReadOnlyList<string> Roles,
    string? Assignee,
    DateTimeOffset CreatedAt,
    DateTimeOffset? DueAt)
{
    public static LiveTaskView From(TaskRecord task, IReadOnlyList<string> roles) =>
        new(task.Id, task.InstanceId, task.DefinitionKey, task.BusinessKey, task.StepId, task.StepName, task.StepNumber,
            roles, task.Assignee, task.CreatedAt, task.DueAt);
}
