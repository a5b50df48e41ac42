namespace KinerjaWorkflow.Server.Errors;

/// <summary>
/// An error a user caused, with a message in the users' language. Services throw it before anything is changed;
/// the HTTP edge answers it as RFC 7807 problem details (Hosting/ProblemExceptionHandler) and background jobs
/// catch it by kind, so neither knows the other.
/// </summary>
public abstract class DomainError(string detail, string? title) : Exception(detail)
{
    /// <summary>A headline for this error when its kind's usual one would say too little.</summary>
    public string? Title { get; } = title;

    /// <summary>Extra members of the problem document, e.g. the list of problems found in a definition.</summary>
    public IDictionary<string, object?> Extensions { get; } = new Dictionary<string, object?>();
}

/// <summary>The thing asked for does not exist, or the user may not know that it does.</summary>
public sealed class NotFoundError(string detail) : DomainError(detail, null);

/// <summary>The user may not do this.</summary>
public sealed class ForbiddenError(string detail) : DomainError(detail, null);

/// <summary>The thing changed under the user, or is no longer in a state that allows this.</summary>
public sealed class ConflictError(string detail) : DomainError(detail, null);

/// <summary>The input is well formed but breaks a rule of the domain.</summary>
public class RuleViolation(string detail, string? title = null) : DomainError(detail, title);

/// <summary>The request itself cannot be read: a malformed cursor, a missing part.</summary>
public sealed class InvalidRequestError(string detail) : DomainError(detail, null);

/// <summary>The content is larger than the service accepts.</summary>
public sealed class TooLargeError(string title, string detail) : DomainError(detail, title);

/// <summary>The content is of a kind the service does not accept.</summary>
public sealed class UnsupportedContentError(string title, string detail) : DomainError(detail, title);

/// <summary>Stored content no longer matches what was stored: not the user's fault, but they must be told what happened.</summary>
public sealed class DamagedContentError(string title, string detail) : DomainError(detail, title);
