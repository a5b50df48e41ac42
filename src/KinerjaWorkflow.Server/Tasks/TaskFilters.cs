using System.Linq.Expressions;
using KinerjaWorkflow.Server.Access;
using KinerjaWorkflow.Server.Instances;
using KinerjaWorkflow.Server.Persistence;

namespace KinerjaWorkflow.Server.Tasks;

/// <summary>
/// Predicates over the stored roles ("|A|B|"). Built as one OR of substring tests, not as a subquery over a
/// parameter list, so the database checks each row of the index walk cheaply.
/// </summary>
internal static class TaskFilters
{
    private static readonly ParameterExpression Task = Expression.Parameter(typeof(TaskRecord), "t");
    private static readonly MemberExpression Roles = Expression.Property(Task, nameof(TaskRecord.Roles));
    private static readonly System.Reflection.MethodInfo Contains = typeof(string).GetMethod(nameof(string.Contains), [typeof(string)])!;

    public static Expression<Func<TaskRecord, bool>> AnyRole(IEnumerable<string> roles) =>
        Expression.Lambda<Func<TaskRecord, bool>>(AnyRoleBody(roles), Task);

    /// <summary>
    /// Assigned to the person, or of a role they hold or supervise. A completed task keeps its completer as
    /// assignee, so "completed by me" needs no test of its own, and the list index carries both columns tested.
    /// </summary>
    public static Expression<Func<TaskRecord, bool>> VisibleTo(TaskAccess access)
    {
        var assignedToMe = Expression.Equal(Expression.Property(Task, nameof(TaskRecord.Assignee)), Expression.Constant(access.User.UserName));
        var body = Expression.OrElse(assignedToMe, AnyRoleBody(access.User.Roles.Concat(access.SupervisedRoles).Distinct(StringComparer.Ordinal)));
        return Expression.Lambda<Func<TaskRecord, bool>>(body, Task);
    }

    private static Expression AnyRoleBody(IEnumerable<string> roles)
    {
        Expression? body = null;
        foreach (var role in roles.Order(StringComparer.Ordinal))
        {
            var test = Expression.Call(Roles, Contains, Expression.Constant(TaskRoles.Pattern(role)));
            body = body is null ? test : Expression.OrElse(body, test);
        }

        return body ?? Expression.Constant(false);
    }
}
