namespace KinerjaWorkflow.Server.Hosting;

/// <summary>
/// An error a user caused, with the HTTP status it answers and a message in the users' language. Thrown
/// by services before anything is changed, and turned into RFC 7807 problem details by
/// <see cref="ProblemExceptionHandler"/>.
/// </summary>
public class ProblemException(int status, string title, string detail) : Exception(detail)
{
    public int Status { get; } = status;
    public string Title { get; } = title;

    /// <summary>Extra members of the problem document, e.g. the list of problems found in a definition.</summary>
    public IDictionary<string, object?> Extensions { get; } = new Dictionary<string, object?>();
}

public sealed class NotFoundProblem(string detail)
    : ProblemException(StatusCodes.Status404NotFound, "Tidak ditemukan", detail);

public sealed class ForbiddenProblem(string detail)
    : ProblemException(StatusCodes.Status403Forbidden, "Tidak diizinkan", detail);

public sealed class ConflictProblem(string detail)
    : ProblemException(StatusCodes.Status409Conflict, "Konflik", detail);

public sealed class InvalidInputProblem(string detail)
    : ProblemException(StatusCodes.Status422UnprocessableEntity, "Masukan tidak valid", detail);

public sealed class BadRequestProblem(string detail)
    : ProblemException(StatusCodes.Status400BadRequest, "Permintaan tidak valid", detail);
