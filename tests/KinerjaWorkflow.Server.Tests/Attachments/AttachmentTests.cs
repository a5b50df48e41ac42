using System.Net;
using System.Security.Cryptography;
using KinerjaWorkflow.Server.Attachments;
using KinerjaWorkflow.Server.Persistence;
using KinerjaWorkflow.Server.Tests.Infrastructure;
using KinerjaWorkflow.Server.Tests.Tasks;
using Microsoft.EntityFrameworkCore;

namespace KinerjaWorkflow.Server.Tests.Attachments;

public sealed class AttachmentTests(InboxFixture inbox) : IClassFixture<InboxFixture>
{
    private KinerjaServer Server => inbox.Server;

    private string Root => Server.Services.GetRequiredService<AttachmentStore>().Root;

    public static TheoryData<string, string, string?, string> Accepted() => new()
    {
        { "pdf", "berkas.pdf", "application/pdf", "application/pdf" },
        { "docx", "laporan.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "application/vnd.openxmlformats-officedocument.wordprocessingml.document" },
        { "xlsx", "rekap.xlsx", null, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" },
        { "png", "foto.png", "image/png", "image/png" },
        { "jpg", "kuitansi.JPG", "image/jpeg", "image/jpeg" },
        { "jpg", "kuitansi.jpeg", "application/octet-stream", "image/jpeg" },
    };

    [Theory]
    [MemberData(nameof(Accepted))]
    public async Task An_accepted_document_is_stored_by_its_checksum_and_downloads_unchanged(
        string kind, string fileName, string? declared, string expectedType)
    {
        var satu = await inbox.As(Inbox.PelaksanaSatu);
        var (_, siapkan) = await satu.NewSiapkanAsync($"unggah-{fileName}-{declared}");
        var bytes = Bytes(kind);

        var stored = await satu.PostAsync($"/api/tasks/{siapkan}/attachments", Documents.Upload(bytes, fileName, declared)).OkJsonAsync(HttpStatusCode.Created);

        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
        stored.GetProperty("contentType").GetString().Should().Be(expectedType);
        stored.GetProperty("sha256").GetString().Should().Be(sha);
        stored.GetProperty("sizeBytes").GetInt64().Should().Be(bytes.Length);
        File.Exists(Path.Combine(Root, sha[..2], sha)).Should().BeTrue();

        using var download = await (await inbox.As(Inbox.Kasubbag)).GetAsync(stored.GetProperty("downloadUrl").GetString());
        download.StatusCode.Should().Be(HttpStatusCode.OK);
        (await download.Content.ReadAsByteArrayAsync()).Should().Equal(bytes);
        download.Content.Headers.ContentType!.MediaType.Should().Be(expectedType);
        download.Content.Headers.ContentDisposition!.DispositionType.Should().Be("attachment");
        download.Headers.GetValues("X-Content-Type-Options").Should().Equal("nosniff");
    }

    public static TheoryData<string, string, string?> Refused() => new()
    {
        { "exe", "laporan.pdf", "application/pdf" },
        { "html", "laporan.pdf", null },
        { "zip", "laporan.docx", null },
        { "exe", "program.exe", null },
        { "png", "foto.pdf", null },
        { "pdf", "berkas.docx", null },
        { "pdf", "berkas.pdf", "image/png" },
        { "pdf", "berkas.pdf", "text/html" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task A_forbidden_or_disguised_document_is_refused_and_nothing_is_stored(string kind, string fileName, string? declared)
    {
        var satu = await inbox.As(Inbox.PelaksanaSatu);
        var (_, siapkan) = await satu.NewSiapkanAsync($"tolak-{kind}-{fileName}-{declared}");
        var before = await Server.SnapshotAsync(siapkan);
        var filesBefore = StoredFiles();

        var problem = await satu.PostAsync($"/api/tasks/{siapkan}/attachments", Documents.Upload(Bytes(kind), fileName, declared))
            .ProblemAsync(HttpStatusCode.UnsupportedMediaType);

        problem.GetProperty("detail").GetString().Should().NotBeNullOrEmpty();
        (await Server.SnapshotAsync(siapkan)).Should().Be(before);
        StoredFiles().Should().BeEquivalentTo(filesBefore);
    }

    [Fact]
    public async Task A_document_over_the_limit_is_refused_and_nothing_is_stored()
    {
        var satu = await inbox.As(Inbox.PelaksanaSatu);
        var (_, siapkan) = await satu.NewSiapkanAsync("terlalu-besar");
        var big = new byte[(10 * 1024 * 1024) + 1];
        Documents.Pdf().CopyTo(big, 0);
        var before = await Server.SnapshotAsync(siapkan);
        var filesBefore = StoredFiles();

        await satu.PostAsync($"/api/tasks/{siapkan}/attachments", Documents.Upload(big, "besar.pdf")).ProblemAsync(HttpStatusCode.RequestEntityTooLarge);

        (await Server.SnapshotAsync(siapkan)).Should().Be(before);
        StoredFiles().Should().BeEquivalentTo(filesBefore);
    }

    [Fact]
    public async Task An_empty_file_or_a_request_without_one_is_a_problem()
    {
        var satu = await inbox.As(Inbox.PelaksanaSatu);
        var (_, siapkan) = await satu.NewSiapkanAsync("kosong");

        await satu.PostAsync($"/api/tasks/{siapkan}/attachments", Documents.Upload([], "kosong.pdf")).ProblemAsync(HttpStatusCode.UnprocessableEntity);
        await satu.PostAsync($"/api/tasks/{siapkan}/attachments", new MultipartFormDataContent { { new StringContent("x"), "bukan-file" } })
            .ProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task The_same_content_is_stored_once_and_stays_while_another_document_uses_it()
    {
        var satu = await inbox.As(Inbox.PelaksanaSatu);
        var (_, first) = await satu.NewSiapkanAsync("dedup-1");
        var (_, second) = await satu.NewSiapkanAsync("dedup-2");
        var bytes = Documents.Pdf("dedup");
        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));

        var a = await satu.PostAsync($"/api/tasks/{first}/attachments", Documents.Upload(bytes, "a.pdf")).OkJsonAsync(HttpStatusCode.Created);
        await satu.PostAsync($"/api/tasks/{second}/attachments", Documents.Upload(bytes, "b.pdf")).OkJsonAsync(HttpStatusCode.Created);
        StoredFiles().Count(f => Path.GetFileName(f) == sha).Should().Be(1);

        (await satu.DeleteAsync($"/api/tasks/{first}/attachments/{a.Id()}").StatusOfAsync()).Should().Be(HttpStatusCode.NoContent);

        File.Exists(Path.Combine(Root, sha[..2], sha)).Should().BeTrue("the second task's document still refers to it");
        (await satu.GetAsync($"/api/tasks/{first}/attachments").OkJsonAsync()).GetArrayLength().Should().Be(0);
    }

    [Fact]
    public async Task A_damaged_stored_file_is_never_served()
    {
        var satu = await inbox.As(Inbox.PelaksanaSatu);
        var (_, siapkan) = await satu.NewSiapkanAsync("rusak");
        var stored = await satu.PostAsync($"/api/tasks/{siapkan}/attachments", Documents.Upload(Documents.Pdf("rusak"), "rusak.pdf")).OkJsonAsync(HttpStatusCode.Created);
        var sha = stored.GetProperty("sha256").GetString()!;
        await File.WriteAllBytesAsync(Path.Combine(Root, sha[..2], sha), Documents.Pdf("diubah"));

        var problem = await satu.GetAsync(stored.GetProperty("downloadUrl").GetString()).ProblemAsync(HttpStatusCode.InternalServerError);

        problem.GetProperty("title").GetString().Should().Be("Berkas rusak");
    }

    [Fact]
    public async Task Documents_cannot_be_added_to_a_finished_task()
    {
        var satu = await inbox.As(Inbox.PelaksanaSatu);
        var (_, siapkan) = await satu.NewSiapkanAsync("unggah-selesai");
        await satu.CompleteAsync(siapkan);
        var before = await Server.SnapshotAsync(siapkan);

        await satu.PostAsync($"/api/tasks/{siapkan}/attachments", Documents.Upload(Documents.Pdf(), "telat.pdf")).ProblemAsync(HttpStatusCode.Conflict);

        (await Server.SnapshotAsync(siapkan)).Should().Be(before);
    }

    [Fact]
    public async Task Only_the_uploader_takes_a_document_back()
    {
        var satu = await inbox.As(Inbox.PelaksanaSatu);
        var dua = await inbox.As(Inbox.PelaksanaDua);
        var (_, siapkan) = await satu.NewSiapkanAsync("hapus-orang-lain");
        var stored = await satu.PostAsync($"/api/tasks/{siapkan}/attachments", Documents.Upload(Documents.Png(), "foto.png")).OkJsonAsync(HttpStatusCode.Created);
        var before = await Server.SnapshotAsync(siapkan);

        await dua.DeleteAsync($"/api/tasks/{siapkan}/attachments/{stored.Id()}").ProblemAsync(HttpStatusCode.Forbidden);

        (await Server.SnapshotAsync(siapkan)).Should().Be(before);
    }

    [Theory]
    [InlineData(Inbox.PelaksanaDua, HttpStatusCode.OK)]
    [InlineData(Inbox.Kasubbag, HttpStatusCode.OK)]
    [InlineData(Inbox.Kepala, HttpStatusCode.OK)]
    [InlineData(Inbox.Bendahara, HttpStatusCode.Forbidden)]
    [InlineData(Inbox.Outsider, HttpStatusCode.NotFound)]
    public async Task A_document_is_downloaded_only_by_those_who_may_see_its_task(string user, HttpStatusCode expected)
    {
        var satu = await inbox.As(Inbox.PelaksanaSatu);
        var (_, siapkan) = await satu.NewSiapkanAsync("unduh-" + user);
        var stored = await satu.PostAsync($"/api/tasks/{siapkan}/attachments", Documents.Upload(Documents.Pdf(user), "spj.pdf")).OkJsonAsync(HttpStatusCode.Created);

        (await (await inbox.As(user)).GetAsync(stored.GetProperty("downloadUrl").GetString()).StatusOfAsync()).Should().Be(expected);
    }

    [Fact]
    public async Task The_database_row_carries_the_recognised_type_and_the_uploader()
    {
        var satu = await inbox.As(Inbox.PelaksanaSatu);
        var (_, siapkan) = await satu.NewSiapkanAsync("baris");
        var stored = await satu.PostAsync($"/api/tasks/{siapkan}/attachments", Documents.Upload(Documents.Xlsx(), "..\\..\\rekap.xlsx")).OkJsonAsync(HttpStatusCode.Created);

        using var scope = Server.Services.CreateScope();
        var row = await scope.ServiceProvider.GetRequiredService<KinerjaDbContext>().Set<AttachmentRecord>().AsNoTracking().SingleAsync(a => a.Id == stored.Id());
        row.FileName.Should().Be("rekap.xlsx");
        row.UploadedBy.Should().Be(Inbox.PelaksanaSatu);
        row.TaskId.Should().Be(siapkan);
    }

    private static byte[] Bytes(string kind) => kind switch
    {
        "pdf" => Documents.Pdf(kind),
        "docx" => Documents.Docx(),
        "xlsx" => Documents.Xlsx(),
        "png" => Documents.Png(),
        "jpg" => Documents.Jpeg(),
        "zip" => Documents.PlainZip(),
        "html" => Documents.Html(),
        "exe" => Documents.Executable(),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    private List<string> StoredFiles() =>
        Directory.Exists(Root) ? Directory.EnumerateFiles(Root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList() : [];
}
