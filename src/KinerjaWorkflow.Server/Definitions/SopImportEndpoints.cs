using KinerjaWorkflow.Server.Errors;
using KinerjaWorkflow.Server.Identity;

namespace KinerjaWorkflow.Server.Definitions;

public static class SopImportEndpoints
{
    public static IEndpointRouteBuilder MapSopImportEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/definitions").WithTags("Definisi").RequireAuthorization()
            .MapPost("/import", async (HttpContext http, SopTableImporter importer, CancellationToken ct) =>
            {
                var user = http.User.ToCurrentUser();
                if (!user.IsAdmin)
                {
                    throw new ForbiddenError("Hanya admin yang dapat mengimpor tabel SOP.");
                }

                var upload = await ReadUploadAsync(http.Request, ct);
                return Results.Ok(await importer.ImportAsync(upload, user.OfficeId, ct));
            })
            .WithSummary("Impor tabel SOP (CSV, tempelan tab, XLSX) menjadi draf definisi BPMN; tidak diterapkan. 422 menyebut baris dan kolom")
            .WithMetadata(new RequestSizeLimitAttributeMetadata(DefinitionEndpoints.MaxBpmnBytes))
            .WithName("ImportSopTable")
            .Accepts<string>("multipart/form-data", "text/csv", "text/tab-separated-values", "text/plain")
            .Produces<SopImportResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        return app;
    }

    /// <summary>
    /// A multipart form with a <c>file</c> (.csv, .tsv, .txt, .xlsx) or a <c>text</c> field, or the table as the
    /// request body; <c>format</c> (csv, tsv, xlsx) from the form or query, else from the file name or the content.
    /// </summary>
    private static async Task<SopTableUpload> ReadUploadAsync(HttpRequest request, CancellationToken ct)
    {
        string? name = request.Query["name"], key = request.Query["key"], format = request.Query["format"];
        byte[] content;
        string? fileName = null;
        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync(ct);
            name = Field(form, "name") ?? name;
            key = Field(form, "key") ?? key;
            format = Field(form, "format") ?? format;
            if ((form.Files.GetFile("file") ?? (form.Files.Count > 0 ? form.Files[0] : null)) is { Length: > 0 } file)
            {
                fileName = file.FileName;
                using var buffer = new MemoryStream();
                await file.CopyToAsync(buffer, ct);
                content = buffer.ToArray();
            }
            else
            {
                content = System.Text.Encoding.UTF8.GetBytes(Field(form, "text") ?? string.Empty);
            }
        }
        else
        {
            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer, ct);
            content = buffer.ToArray();
            format ??= request.ContentType?.Split(';')[0].Trim() switch
            {
                "text/csv" => "csv",
                "text/tab-separated-values" => "tsv",
                _ => null,
            };
        }

        if (content.Length == 0 || content.All(b => b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
        {
            throw new InvalidRequestError("Tabel SOP kosong: unggah berkas (.csv, .tsv, .xlsx) atau tempel tabelnya.");
        }

        return new SopTableUpload(content, Format(format, fileName, content), name, key);
    }

    private static SopTableFormat Format(string? format, string? fileName, byte[] content)
    {
        var named = format?.Trim().ToLowerInvariant() ?? Path.GetExtension(fileName)?.TrimStart('.').ToLowerInvariant() switch
        {
            "xlsx" => "xlsx",
            "csv" => "csv",
            "tsv" or "tab" => "tsv",
            _ => null,
        };
        return named switch
        {
            "csv" => SopTableFormat.Csv,
            "tsv" => SopTableFormat.Tsv,
            "xlsx" => SopTableFormat.Xlsx,
            null when content is [(byte)'P', (byte)'K', ..] => SopTableFormat.Xlsx,
            null => FirstLine(content).Contains('\t', StringComparison.Ordinal) ? SopTableFormat.Tsv : SopTableFormat.Csv,
            _ => throw new InvalidRequestError($"Format \"{format}\" tidak dikenal; pilih csv, tsv atau xlsx."),
        };
    }

    /// <summary>A paste from a word processor separates cells with tabs; a line without one is CSV.</summary>
    private static string FirstLine(byte[] content)
    {
        var text = System.Text.Encoding.UTF8.GetString(content, 0, Math.Min(content.Length, 4096));
        return text.Split('\n').FirstOrDefault(l => l.Trim().Length > 0) ?? string.Empty;
    }

    private static string? Field(IFormCollection form, string name) => form.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value) ? value.ToString() : null;
}
