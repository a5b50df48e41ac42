using System.Text;
using KinerjaWorkflow.Server.Errors;
using KinerjaWorkflow.Server.Identity;

namespace KinerjaWorkflow.Server.Definitions;

public static class DefinitionEndpoints
{
    /// <summary>A BPMN file of an SOP is a few tens of kilobytes; anything near this is not one.</summary>
    public const long MaxBpmnBytes = 2 * 1024 * 1024;

    public static IEndpointRouteBuilder MapDefinitionEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/definitions").WithTags("Definisi").RequireAuthorization();

        group.MapPost("/validate", async (HttpContext http, DefinitionService definitions, CancellationToken ct) =>
        {
            var user = http.User.ToCurrentUser();
            if (!user.IsAdmin)
            {
                throw new ForbiddenError("Hanya admin yang dapat memeriksa definisi.");
            }

            var file = await ReadBpmnAsync(http.Request, ct);
            if (file.Problem is { } unreadable)
            {
                return Results.Ok(new ValidationResponse(false, [ProblemView.From(unreadable)]));
            }

            var compiled = await definitions.ValidateAsync(file.Xml!, user.OfficeId, ct);
            return Results.Ok(new ValidationResponse(compiled.IsValid, compiled.Problems.Select(ProblemView.From).ToList()));
        })
        .WithSummary("Periksa definisi BPMN tanpa menerapkannya: setiap masalah dengan elemennya")
        .WithMetadata(new RequestSizeLimitAttributeMetadata(MaxBpmnBytes))
        .WithName("ValidateDefinition")
        .Accepts<string>("application/xml", "multipart/form-data")
        .Produces<ValidationResponse>()
        .ProducesProblem(StatusCodes.Status400BadRequest)
        .ProducesProblem(StatusCodes.Status403Forbidden)
        .ProducesProblem(StatusCodes.Status413PayloadTooLarge);

        group.MapGet("/", async (HttpContext http, DefinitionQueries queries, CancellationToken ct) =>
            Results.Ok(await queries.ListAsync(http.User.ToCurrentUser(), ct)))
            .WithSummary("Daftar definisi SOP kantor pengguna (versi terbaru)")
            .WithName("ListDefinitions")
            .Produces<IReadOnlyList<DefinitionSummary>>();

        group.MapGet("/{key}", async (string key, int? version, HttpContext http, DefinitionQueries queries, CancellationToken ct) =>
            Results.Ok(await queries.GetAsync(http.User.ToCurrentUser(), key, version, ct)))
            .WithSummary("Definisi SOP: versi, langkah, peran dan Mutu Baku tiap langkah")
            .WithName("GetDefinition")
            .Produces<DefinitionDetail>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapGet("/{key}/bpmn", async (string key, int? version, HttpContext http, DefinitionQueries queries, CancellationToken ct) =>
        {
            var definition = await queries.RecordAsync(http.User.ToCurrentUser(), key, version, ct);
            return Results.Text(definition.Xml, "application/xml", Encoding.UTF8);
        }).WithSummary("Berkas BPMN sebuah versi definisi")
            .WithName("GetDefinitionBpmn")
            .Produces<string>(StatusCodes.Status200OK, "application/xml")
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapPost("/", async (HttpContext http, DefinitionService definitions, CancellationToken ct) =>
        {
            var user = http.User.ToCurrentUser();
            if (!user.IsAdmin)
            {
                throw new ForbiddenError("Hanya admin yang dapat menerapkan definisi.");
            }

            var file = await ReadBpmnAsync(http.Request, ct);
            if (file.Problem is { } unreadable)
            {
                throw new DefinitionRejected([unreadable]);
            }

            var changeNote = await ChangeNoteOfAsync(http.Request, ct);
            var result = await definitions.DeployAsync(file.Xml!, user.OfficeId, user.UserName, DefinitionProvenance.Designer, changeNote, ct);
            var body = new DeployResponse(
                result.Definition.Key,
                result.Definition.Version,
                result.Outcome == DeployOutcome.Created,
                result.Definition.ChangeNote,
                result.Warnings.Select(ProblemView.From).ToList());
            return result.Outcome == DeployOutcome.Created
                ? Results.Created($"/api/definitions/{result.Definition.Key}?version={result.Definition.Version}", body)
                : Results.Ok(body);
        })
        .WithSummary("Terbitkan versi baru definisi BPMN (isi XML dengan ?changeNote=, atau berkas multipart dengan field changeNote); catatan perubahan wajib; 422 mendaftar setiap masalah")
        .WithMetadata(new RequestSizeLimitAttributeMetadata(MaxBpmnBytes))
        .WithName("DeployDefinition")
        .Accepts<string>("application/xml", "multipart/form-data")
        .Produces<DeployResponse>(StatusCodes.Status201Created)
        .Produces<DeployResponse>()
        .ProducesProblem(StatusCodes.Status400BadRequest)
        .ProducesProblem(StatusCodes.Status403Forbidden)
        .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
        .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        return app;
    }

    /// <summary>The change note: the <c>changeNote</c> field of a multipart upload, or the <c>changeNote</c> query parameter beside an XML body.</summary>
    private static async Task<string?> ChangeNoteOfAsync(HttpRequest request, CancellationToken ct) =>
        request.HasFormContentType
            ? (await request.ReadFormAsync(ct))["changeNote"].FirstOrDefault()
            : request.Query["changeNote"].FirstOrDefault();

    /// <summary>The uploaded file as text, decoded as its XML declaration says (see <see cref="BpmnFile"/>).</summary>
    private static async Task<DecodedBpmn> ReadBpmnAsync(HttpRequest request, CancellationToken ct)
    {
        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync(ct);
            var file = (form.Files.Count > 0 ? form.Files[0] : null)
                ?? throw new InvalidRequestError("Tidak ada berkas BPMN dalam unggahan.");
            await using var upload = file.OpenReadStream();
            return await BpmnFile.ReadAsync(upload, ct);
        }

        var body = await BpmnFile.ReadAsync(request.Body, ct);
        return body.Problem is null && string.IsNullOrWhiteSpace(body.Xml)
            ? throw new InvalidRequestError("Isi permintaan kosong: kirim berkas BPMN.")
            : body;
    }
}

/// <param name="Valid">True when deploying would succeed; warnings may still be listed.</param>
public sealed record ValidationResponse(bool Valid, IReadOnlyList<ProblemView> Problems);

/// <param name="ChangeNote">The change note kept with the version (the existing version's when nothing changed).</param>
public sealed record DeployResponse(string Key, int Version, bool Created, string? ChangeNote, IReadOnlyList<ProblemView> Warnings);

internal sealed class RequestSizeLimitAttributeMetadata(long limit) : Microsoft.AspNetCore.Http.Metadata.IRequestSizeLimitMetadata
{
    public long? MaxRequestBodySize => limit;
}
