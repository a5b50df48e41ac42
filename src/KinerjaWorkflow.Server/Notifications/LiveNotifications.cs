using System.Collections.Concurrent;
using System.Threading.Channels;
using KinerjaWorkflow.Server.Identity;
using KinerjaWorkflow.Server.Instances;
using KinerjaWorkflow.Server.Persistence;

namespace KinerjaWorkflow.Server.Notifications;

/// <summary>An event for one live stream: its SSE event name, an id, and the JSON-serialisable data.</summary>
public sealed record LiveEvent(string Name, Guid Id, object Data);

/// <summary>
/// Hands committed notifications and new tasks to the signed-in users' open live streams. The streams of this
/// node get them at once; with a relay started (<see cref="PostgresLiveRelay"/>, several nodes on PostgreSQL)
/// each one also goes out as a <see cref="LiveSignal"/>, and the other nodes hand it to their own streams.
/// Each stream has its own bounded queue; a stream that stops reading loses its oldest live events, never
/// the stored notifications. A user's streams close when a session of theirs ends (sign-out, disabled), on
/// every node.
/// </summary>
public sealed class LiveNotifications : IUserStreams, ICommittedCommandListener
{
    public const string NotificationEvent = "notification";
    public const string TaskEvent = "task";
    public const string CloseSignal = "close";

    private const int QueueCapacity = 256;

    /// <summary>Signals waiting for the relay; a relay that cannot keep up loses the oldest, as a slow stream does.</summary>
    private const int RelayCapacity = 4096;

    private readonly ConcurrentDictionary<Guid, Subscriber> _subscribers = new();
    private Channel<LiveSignal>? _relay;

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
        CloseHere(userName);
        _relay?.Writer.TryWrite(new LiveSignal(CloseSignal, Guid.Empty, userName, null));
    }

    public void Publish(NotificationRecord notification)
    {
        Deliver(notification);
        _relay?.Writer.TryWrite(new LiveSignal(NotificationEvent, notification.Id, notification.UserName, notification.OfficeId));
    }

    /// <summary>A task just committed: to the users of its office who hold one of its roles or are its assignee.</summary>
    public void Publish(TaskRecord task)
    {
        Deliver(task);
        _relay?.Writer.TryWrite(new LiveSignal(TaskEvent, task.Id, null, task.OfficeId));
    }

    /// <summary>From now on every published event is also queued as a signal for the other nodes, read from the returned reader.</summary>
    internal ChannelReader<LiveSignal> StartRelaying()
    {
        var relay = Channel.CreateBounded<LiveSignal>(new BoundedChannelOptions(RelayCapacity)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
        });
        _relay = relay;
        return relay.Reader;
    }

    /// <summary>Whether a stream of this node would receive the signal: only then is its record worth loading.</summary>
    internal bool IsWatched(LiveSignal signal) => signal.Kind == TaskEvent
        ? _subscribers.Values.Any(s => s.User.OfficeId == signal.OfficeId)
        : _subscribers.Values.Any(s => s.User.UserName == signal.UserName);

    /// <summary>To this node's streams only: what the relay received from another node.</summary>
    internal void Deliver(NotificationRecord notification)
    {
        var view = NotificationView.From(notification);
        foreach (var subscriber in _subscribers.Values.Where(s => s.User.UserName == notification.UserName))
        {
            subscriber.Events.Writer.TryWrite(new LiveEvent(NotificationEvent, notification.Id, view));
        }
    }

    /// <summary>The tasks a command created, once it committed: each to the streams that would show it.</summary>
    public void OnCommitted(KinerjaDbContext db, IReadOnlyList<TaskRecord> createdTasks)
    {
        foreach (var task in createdTasks)
        {
            Publish(task);
        }
    }

    /// <inheritdoc cref="Deliver(NotificationRecord)"/>
    internal void Deliver(TaskRecord task)
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

    internal void CloseHere(string userName)
    {
        foreach (var subscriber in _subscribers.Values.Where(s => s.User.UserName == userName))
        {
            _subscribers.TryRemove(subscriber.Id, out _);
            subscriber.Events.Writer.TryComplete();
        }
    }

    private sealed record Subscriber(Guid Id, CurrentUser User, Channel<LiveEvent> Events);
}

/// <summary>
/// What one node tells the others about a live event: its kind, the record's id and whom it is for, never the
/// content, so a signal stays far below NOTIFY's 8000 bytes whatever a message says. Kind is
/// <see cref="LiveNotifications.NotificationEvent"/> (id and user), <see cref="LiveNotifications.TaskEvent"/>
/// (id and office) or <see cref="LiveNotifications.CloseSignal"/> (user).
/// </summary>
public sealed record LiveSignal(string Kind, Guid Id, string? UserName, string? OfficeId);

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
