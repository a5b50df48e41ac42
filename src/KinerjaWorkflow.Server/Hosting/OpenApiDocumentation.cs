using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.ApiExplorer;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace KinerjaWorkflow.Server.Hosting;

/// <summary>
/// Completes the generated OpenAPI document: the bearer scheme (so Swagger UI's Authorize button works), the
/// security requirement and 401 answer of every endpoint that needs a signed-in user, an operation id for
/// endpoints that did not name themselves, and examples in Bahasa Indonesia.
/// </summary>
public static class OpenApiDocumentation
{
    public const string BearerScheme = "Bearer";

    public static void Configure(OpenApiOptions options)
    {
        options.AddDocumentTransformer(DescribeDocumentAsync);
        options.AddOperationTransformer(DescribeOperationAsync);
    }

    private static Task DescribeDocumentAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken ct)
    {
        document.Info = new OpenApiInfo
        {
            Title = "KinerjaWorkflow API",
            Version = "v1",
            Description =
                "Mesin alur kerja untuk SOP-AP instansi pemerintah. Mulai dengan POST /api/auth/token, tempel token " +
                "pada tombol Authorize, lalu: daftar tugas (GET /api/tasks), ambil (claim), unggah dokumen, selesaikan (complete).",
        };
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "Token dari POST /api/auth/token (berlaku 8 jam secara bawaan). Tempel tanpa awalan \"Bearer \".",
        };
        return Task.CompletedTask;
    }

    private static Task DescribeOperationAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        var description = context.Description;
        var metadata = description.ActionDescriptor.EndpointMetadata;
        operation.OperationId ??= FallbackOperationId(description);

        if (metadata.OfType<IAuthorizeData>().Any() && !metadata.OfType<IAllowAnonymous>().Any())
        {
            operation.Security ??= [];
            operation.Security.Add(new OpenApiSecurityRequirement
            {
                [new OpenApiSecuritySchemeReference(BearerScheme, context.Document)] = [],
            });
            operation.Responses ??= [];
            operation.Responses.TryAdd("401", new OpenApiResponse
            {
                Description = "Belum masuk, atau token/cookie tidak berlaku lagi (kedaluwarsa, diubah, akun dinonaktifkan).",
            });
        }

        if (OpenApiExamples.Requests.TryGetValue(operation.OperationId, out var request)
            && operation.RequestBody?.Content?.TryGetValue("application/json", out var requestMedia) == true)
        {
            requestMedia.Example = request.DeepClone();
        }

        if (OpenApiExamples.Responses.TryGetValue(operation.OperationId, out var response) && operation.Responses is not null)
        {
            foreach (var (status, answer) in operation.Responses.Where(r => r.Key.StartsWith('2')))
            {
                if (answer.Content?.TryGetValue("application/json", out var media) == true)
                {
                    media.Example = response.DeepClone();
                }
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>e.g. POST /api/instances/{id}/cancel -> post_api_instances_id_cancel.</summary>
    private static string FallbackOperationId(ApiDescription description)
    {
        var route = (description.RelativePath ?? "").Split('?')[0];
        var parts = route.Split('/', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Trim('{', '}').Split(':')[0].Replace('-', '_'));
        return (description.HttpMethod ?? "get").ToLowerInvariant() + "_" + string.Join('_', parts);
    }
}

/// <summary>Example bodies by operation id, as a newcomer would send and receive them.</summary>
internal static class OpenApiExamples
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static readonly object TaskSummaryExample = new
    {
        id = "0196f1a2-7c3e-7d41-9a55-3c1e2f0b8a11",
        instanceId = "0196f1a2-7b10-7c55-8e01-1f2e3d4c5b6a",
        definitionKey = "pengumpulan-data-kinerja",
        businessKey = "2025-TW4",
        stepId = "Langkah3",
        stepName = "Menyusun rekapitulasi capaian kinerja",
        stepNumber = 3,
        roles = new[] { "Tim SAKIP" },
        assignee = (string?)null,
        status = "open",
        createdAt = "2025-10-06T02:15:00+00:00",
        expectedAt = "2025-10-06T08:00:00+00:00",
        dueAt = "2025-10-08T09:00:00+00:00",
        overdue = false,
        item = (string?)null,
    };

    private static readonly object AttachmentExample = new
    {
        id = "0196f1a9-0d2c-7f3e-b1a4-5e6f7a8b9c0d",
        taskId = "0196f1a2-7c3e-7d41-9a55-3c1e2f0b8a11",
        fileName = "rekap-capaian-tw4.xlsx",
        contentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        sizeBytes = 48213,
        sha256 = "9f2b5c0e4a7d1f3b8c6e2a9d0b4f7e1c3a5d8b2e6f0c4a7d9b1e3f5a7c9d2b4e",
        uploadedBy = "nofriza.rahmi",
        uploadedAt = "2025-10-07T03:40:00+00:00",
        downloadUrl = "/api/attachments/0196f1a9-0d2c-7f3e-b1a4-5e6f7a8b9c0d",
    };

    private static readonly object UserExample = new
    {
        username = "rahmat.hidayat",
        name = "Rahmat Hidayat, S.Kom",
        email = "rahmat.hidayat@binamarga.sumbarprov.example",
        office = "dinas-bina-marga-sumbar",
        roles = new[] { "Tim SAKIP" },
        isAdmin = false,
        isDisabled = false,
        lockedUntil = (string?)null,
        createdAt = "2025-10-01T01:00:00+00:00",
    };

    public static IReadOnlyDictionary<string, JsonNode> Requests { get; } = new Dictionary<string, JsonNode>(StringComparer.Ordinal)
    {
        ["IssueToken"] = Node(new { username = "nofriza.rahmi", password = "kata-sandi-anda" }),
        ["SignInWithCookie"] = Node(new { username = "nofriza.rahmi", password = "kata-sandi-anda" }),
        ["StartInstance"] = Node(new { definitionKey = "pengumpulan-data-kinerja", businessKey = "2025-TW4", variables = new { triwulan = 4 } }),
        ["CancelInstance"] = Node(new { reason = "Salah memilih triwulan; dimulai ulang." }),
        ["DelegateTask"] = Node(new { username = "arif.tanjung" }),
        ["ReassignTask"] = Node(new { username = "arif.tanjung", reason = "Nofriza sedang dinas luar sampai Jumat." }),
        ["CompleteTask"] = Node(new
        {
            outcome = "setuju",
            comment = "Rekap sudah diperiksa; lampiran berisi tabel capaian per bidang.",
            variables = new { nilai = 87 },
        }),
        ["AcknowledgeEscalation"] = Node(new { note = "Sudah saya hubungi; diselesaikan hari ini." }),
        ["ReassignEscalatedTask"] = Node(new { username = "arif.tanjung", reason = "Dialihkan karena terlambat dua hari kerja." }),
        ["CreateUser"] = Node(new
        {
            username = "rahmat.hidayat",
            name = "Rahmat Hidayat, S.Kom",
            email = "rahmat.hidayat@binamarga.sumbarprov.example",
            password = "Sandi-Awal-2025",
            roles = new[] { "Tim SAKIP" },
            isAdmin = false,
        }),
        ["SetUserRoles"] = Node(new { roles = new[] { "Tim SAKIP", "Bidang" }, isAdmin = false }),
        ["SetUserPassword"] = Node(new { password = "Sandi-Baru-2025" }),
        ["SetClock"] = Node(new { advanceBy = "1.02:00:00" }),
    };

    public static IReadOnlyDictionary<string, JsonNode> Responses { get; } = new Dictionary<string, JsonNode>(StringComparer.Ordinal)
    {
        ["IssueToken"] = Node(new
        {
            token = "CfDJ8...",
            expiresAt = "2025-10-06T10:15:00+00:00",
            user = new { username = "nofriza.rahmi", name = "Nofriza Rahmi, SE, M.Si", office = "dinas-bina-marga-sumbar", roles = new[] { "Tim SAKIP" }, isAdmin = false },
        }),
        ["ListTasks"] = Node(new { items = new[] { TaskSummaryExample }, pageSize = 50, nextCursor = "AQEAAAGZ..." }),
        ["CountTasks"] = Node(new { open = 12, claimed = 3, overdue = 4, mine = 2 }),
        ["GetTask"] = Node(new
        {
            id = "0196f1a2-7c3e-7d41-9a55-3c1e2f0b8a11",
            definitionKey = "pengumpulan-data-kinerja",
            businessKey = "2025-TW4",
            stepId = "Langkah3",
            stepName = "Menyusun rekapitulasi capaian kinerja",
            stepNumber = 3,
            kelengkapan = "Formulir capaian kinerja dari setiap bidang",
            waktu = "2 Hari Kerja",
            output = "Rekapitulasi capaian kinerja",
            outcomes = new[] { "setuju", "revisi" },
            status = "claimed",
            assignee = "nofriza.rahmi",
            dueAt = "2025-10-08T09:00:00+00:00",
            overdue = false,
            workingTimeRemaining = "07:30:00",
            workingMinutesRemaining = 450,
            attachments = new[] { AttachmentExample },
            previous = new
            {
                taskId = "0196f1a0-11aa-7b2c-8d3e-4f5a6b7c8d9e",
                stepName = "Mengisi formulir capaian kinerja",
                stepNumber = 2,
                completedBy = "devi.kurnia",
                outcome = (string?)null,
                comment = "Data Bidang Bina Marga sudah lengkap.",
                attachments = Array.Empty<object>(),
            },
            allowedActions = new[] { "unclaim", "complete", "attach", "delegate" },
        }),
        ["GetInstanceHistory"] = Node(new[]
        {
            new
            {
                sequence = 9,
                at = "2025-10-06T03:00:00+00:00",
                actor = new { kind = "person", userName = "dedi.firmansyah", name = "Dedi Firmansyah, S.ST, M.Si", roles = new[] { "Tim Kerja" } },
                user = "dedi.firmansyah",
                action = "task-completed",
                fromStepId = "Langkah_02",
                fromStepName = "Reviu bersama laporan kinerja tim",
                toSteps = new[] { new { id = "Langkah_03", name = "Mengompilasi laporan tim/bagian" } },
                taskId = "dc02d95e-e06c-4b5e-a854-5b306bc3a682",
                item = "Tim Statistik Produksi",
                detail = "sesuai",
                comment = "Laporan tim sudah sesuai realisasi",
                variables = new[] { new { name = "capaianPersen", before = (double?)null, after = 97.5 } },
                documents = new[]
                {
                    new
                    {
                        id = "0199b75a-b840-7fba-b3a7-a2c2e82fd73b",
                        fileName = "notulen-reviu.pdf",
                        contentType = "application/pdf",
                        sizeBytes = 48213,
                        sha256 = "edf7eb6bf74a6ed8fc52d10025e68c6f56f1872afbad37658645543dddb1a8dd",
                        uploadedBy = "dedi.firmansyah",
                        uploadedAt = "2025-10-06T02:30:00+00:00",
                    },
                },
            },
        }),
        ["UploadAttachment"] = Node(AttachmentExample),
        ["ListOverdueSupervisedTasks"] = Node(new
        {
            supervisedRoles = new[] { "Bidang", "Tim SAKIP" },
            items = new[] { new { task = TaskSummaryExample, workingMinutesLate = 135 } },
            pageSize = 50,
            nextCursor = (string?)null,
        }),
        ["ListEscalations"] = Node(new[]
        {
            new
            {
                id = "0196f1b0-3e4f-7a5b-8c6d-7e8f9a0b1c2d",
                subject = "Eskalasi: langkah 3 terlambat",
                message = "Langkah 3 \"Menyusun rekapitulasi capaian kinerja\" (2025-TW4) melewati tenggat.",
                taskId = "0196f1a2-7c3e-7d41-9a55-3c1e2f0b8a11",
                receivedAt = "2025-10-08T09:00:00+00:00",
                acknowledgedAt = (string?)null,
                task = TaskSummaryExample,
            },
        }),
        ["CreateUser"] = Node(UserExample),
        ["GetUser"] = Node(UserExample),
        ["ListUsers"] = Node(new[] { UserExample }),
        ["ListUserAudit"] = Node(new[]
        {
            new { at = "2025-10-01T01:00:00+00:00", user = "erasukma", action = "roles-changed", target = "rahmat.hidayat", detail = "peran: Tim SAKIP → Bidang, Tim SAKIP; admin: tidak → tidak" },
        }),
    };

    private static JsonNode Node(object value) => JsonSerializer.SerializeToNode(value, Json)!;
}
