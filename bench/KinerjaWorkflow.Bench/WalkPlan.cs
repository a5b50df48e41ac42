using KinerjaWorkflow.Engine.Model;
using KinerjaWorkflow.Server.Identity;

namespace KinerjaWorkflow.Bench;

/// <summary>Who completes a step and with which outcome.</summary>
internal sealed record StepPlan(string StepId, CurrentUser User, string? Outcome);

/// <summary>
/// How the benchmark walks an instance: each step is done by the first demo user holding the step's first
/// role that anyone holds, and every step that offers outcomes gets the approving one, so the walk goes
/// straight to the end without the return loop.
/// </summary>
internal sealed class WalkPlan
{
    private readonly IReadOnlyDictionary<string, StepPlan> _steps;

    private WalkPlan(CurrentUser starter, IReadOnlyDictionary<string, StepPlan> steps)
    {
        Starter = starter;
        _steps = steps;
    }

    public CurrentUser Starter { get; }

    public static WalkPlan For(ProcessModel model, IReadOnlyList<CurrentUser> users, string starterUserName, string approval)
    {
        var starter = users.FirstOrDefault(u => u.UserName == starterUserName)
            ?? throw new InvalidOperationException($"No demo user {starterUserName}.");
        var steps = new Dictionary<string, StepPlan>(StringComparer.Ordinal);
        foreach (var task in model.HumanTasks)
        {
            var user = task.Roles
                .Select(role => users.FirstOrDefault(u => u.HasRole(role)))
                .FirstOrDefault(u => u is not null)
                ?? throw new InvalidOperationException($"No demo user holds a role of step {task.Id} ({string.Join(", ", task.Roles)}).");
            string? outcome = null;
            if (task.Outcomes.Count > 0)
            {
                outcome = task.Outcomes.Contains(approval, StringComparer.Ordinal)
                    ? approval
                    : throw new InvalidOperationException($"Step {task.Id} offers {string.Join(", ", task.Outcomes)}, not '{approval}'.");
            }

            steps[task.Id] = new StepPlan(task.Id, user, outcome);
        }

        return new WalkPlan(starter, steps);
    }

    public StepPlan Step(string stepId) =>
        _steps.TryGetValue(stepId, out var step) ? step : throw new InvalidOperationException($"Step {stepId} is not a human task.");
}
