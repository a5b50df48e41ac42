using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace KinerjaWorkflow.Server.Telemetry;

/// <summary>
/// The service's own measurements, on the meter <see cref="MeterName"/>: what an operator watches to see that
/// work flows and that deadlines, reminders and escalations happen on time. Every measurement carries the office
/// and the SOP (definition key) so a dashboard can split by them.
/// </summary>
public sealed class KinerjaMetrics
{
    public const string MeterName = "KinerjaWorkflow";

    private readonly Counter<long> _tasksCreated;
    private readonly Counter<long> _tasksCompleted;
    private readonly Counter<long> _deadlinesMissed;
    private readonly Counter<long> _remindersSent;
    private readonly Counter<long> _escalationsSent;
    private readonly Histogram<double> _schedulingLag;

    public KinerjaMetrics(IMeterFactory meters)
    {
        Meter = meters.Create(MeterName);
        _tasksCreated = Meter.CreateCounter<long>("kinerja.tasks.created", "{task}", "Human tasks created (one per step and, for multi-instance steps, per item).");
        _tasksCompleted = Meter.CreateCounter<long>("kinerja.tasks.completed", "{task}", "Human tasks completed.");
        _deadlinesMissed = Meter.CreateCounter<long>("kinerja.deadlines.missed", "{task}", "Tasks still open when their deadline (Mutu Baku Waktu) passed.");
        _remindersSent = Meter.CreateCounter<long>("kinerja.reminders.sent", "{reminder}", "Reminders sent to the people working on a step.");
        _escalationsSent = Meter.CreateCounter<long>("kinerja.escalations.sent", "{escalation}", "Escalations sent to supervisors of a late step.");
        _schedulingLag = Meter.CreateHistogram<double>(
            "kinerja.scheduling.lag",
            "s",
            "How late a timer, reminder or escalation ran after the instant it was due.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.1, 0.5, 1, 2, 5, 10, 30, 60, 300, 900] });
    }

    /// <summary>The meter these instruments belong to: listeners pick this host's meter out of the process's.</summary>
    public Meter Meter { get; }

    public void TaskCreated(string officeId, string definitionKey) => _tasksCreated.Add(1, Tags(officeId, definitionKey));

    public void TaskCompleted(string officeId, string definitionKey) => _tasksCompleted.Add(1, Tags(officeId, definitionKey));

    public void DeadlineMissed(string officeId, string definitionKey) => _deadlinesMissed.Add(1, Tags(officeId, definitionKey));

    public void ReminderSent(string officeId, string definitionKey) => _remindersSent.Add(1, Tags(officeId, definitionKey));

    public void EscalationSent(string officeId, string definitionKey) => _escalationsSent.Add(1, Tags(officeId, definitionKey));

    /// <param name="kind">What ran late: timer, reminder or escalation.</param>
    public void SchedulingLag(TimeSpan lag, string kind) =>
        _schedulingLag.Record(Math.Max(0, lag.TotalSeconds), new KeyValuePair<string, object?>("kinerja.job", kind));

    private static TagList Tags(string officeId, string definitionKey) => new()
    {
        { "kinerja.office", officeId },
        { "kinerja.definition", definitionKey },
    };
}
