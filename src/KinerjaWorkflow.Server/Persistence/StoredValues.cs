namespace KinerjaWorkflow.Server.Persistence;

internal static class TaskStatusText
{
    public const string Open = "open";
    public const string Claimed = "claimed";
    public const string Completed = "completed";
    public const string Cancelled = "cancelled";
}

internal static class TimerStatusText
{
    public const string Pending = "pending";
    public const string Fired = "fired";
    public const string Cancelled = "cancelled";
}

internal static class JobStatusText
{
    public const string Pending = "pending";
    public const string Done = "done";
    public const string Failed = "failed";
}

/// <summary>The roles of a task stored as "|A|B|", so "has role X" is a LIKE '%|X|%' in any database.</summary>
internal static class TaskRoles
{
    public static string Encode(IEnumerable<string> roles) => "|" + string.Join('|', roles) + "|";

    public static IReadOnlyList<string> Decode(string encoded) =>
        encoded.Split('|', StringSplitOptions.RemoveEmptyEntries);

    public static string Pattern(string role) => "|" + role + "|";
}
