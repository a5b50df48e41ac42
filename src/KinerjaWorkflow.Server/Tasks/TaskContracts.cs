using System.ComponentModel;
using System.Text.Json;
using KinerjaWorkflow.Server.Attachments;
using KinerjaWorkflow.Server.Instances;
using KinerjaWorkflow.Server.Persistence;

namespace KinerjaWorkflow.Server.Tasks;

/// <summary>The query of GET /api/tasks. Filters combine: every one given must hold.</summary>
public sealed record TaskQuery(
    [property: Description("Hanya tugas yang sedang saya kerjakan (assignee saya).")] bool? Mine,
    [property: Description("Hanya tugas peran ini; harus peran saya, peran yang saya supervisi, atau saya admin.")] string? Role,
    [property: Description("Hanya tugas peran-peran yang saya supervisi (atasan dalam rantai supervisi).")] bool? Supervised,
    [property: Description("open, claimed, completed, cancelled atau active (open+claimed); boleh beberapa dipisah koma. Tanpa nilai: semua.")] string? Status,
    [property: Description("Hanya tugas aktif yang sudah lewat tenggat.")] bool? Overdue,
    [property: Description("Kunci definisi SOP, mis. uji-laporan-sederhana.")] string? DefinitionKey,
    [property: Description("Id langkah (elemen BPMN), mis. Susun.")] string? StepId,
    [property: Description("Kunci bisnis instans, mis. 2025-TW4.")] string? BusinessKey,
    [property: Description("Hanya tugas dengan tenggat sebelum waktu ini (ISO 8601).")] DateTimeOffset? DueBefore,
    [property: Description("Jumlah tugas per halaman, 1 sampai 200 (bawaan 50).")] int? PageSize,
    [property: Description("nextCursor dari halaman sebelumnya, apa adanya.")] string? Cursor);

/// <summary>The query of GET /api/tasks/counts: the list's scope without status, cursor or paging.</summary>
public sealed record TaskCountQuery(
    [property: Description("Hanya tugas yang sedang saya kerjakan.")] bool? Mine,
    [property: Description("Hanya tugas peran ini.")] string? Role,
    [property: Description("Hanya tugas peran-peran yang saya supervisi.")] bool? Supervised,
    [property: Description("Kunci definisi SOP.")] string? DefinitionKey,
    [property: Description("Id langkah (elemen BPMN).")] string? StepId,
    [property: Description("Kunci bisnis instans.")] string? BusinessKey);

public sealed record CompleteTaskRequest(
    [property: Description("Hasil yang dipilih, salah satu dari outcomes langkah (mis. setuju atau revisi); kosong bila langkah tidak menawarkan pilihan.")] string? Outcome,
    [property: Description("Komentar untuk langkah berikutnya, teks biasa, paling panjang 4000 karakter.")] string? Comment,
    [property: Description("Variabel instans yang diisi atau diubah.")] Dictionary<string, JsonElement>? Variables);

public sealed record DelegateTaskRequest(
    [property: Description("Nama pengguna anggota peran tugas yang menerima.")] string? Username);

public sealed record ReassignTaskRequest(
    [property: Description("Nama pengguna anggota peran tugas yang menerima.")] string? Username,
    [property: Description("Alasan pengalihan, dicatat di jejak audit.")] string? Reason);

/// <param name="NextCursor">Pass as cursor for the next page; null on the last page.</param>
public sealed record TaskPage(IReadOnlyList<TaskSummary> Items, int PageSize, string? NextCursor);

/// <summary>Badge counts: tasks per status, the active ones past their deadline, and the active ones held by the caller.</summary>
public sealed record TaskCounts(int Open, int Claimed, int Completed, int Cancelled, int Overdue, int Mine);

public sealed record TaskSummary(
    Guid Id,
    Guid InstanceId,
    string DefinitionKey,
    string? BusinessKey,
    string StepId,
    string StepName,
    int? StepNumber,
    IReadOnlyList<string> Roles,
    string? Assignee,
    string Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ExpectedAt,
    DateTimeOffset? DueAt,
    bool Overdue,
    JsonElement? Item)
{
    public static TaskSummary From(TaskRecord t, DateTimeOffset now) => new(
        t.Id,
        t.InstanceId,
        t.DefinitionKey,
        t.BusinessKey,
        t.StepId,
        t.StepName,
        t.StepNumber,
        TaskRoles.Decode(t.Roles),
        t.Assignee,
        t.Status,
        t.CreatedAt,
        t.ExpectedAt,
        t.DueAt,
        IsOverdue(t, now),
        ParseItem(t.LoopItem));

    internal static bool IsOverdue(TaskRecord t, DateTimeOffset now) =>
        t.DueAt is { } due && (t.CompletedAt ?? now) > due && t.Status != TaskStatusText.Cancelled;

    internal static JsonElement? ParseItem(string? json)
    {
        if (json is null)
        {
            return null;
        }

        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}

/// <summary>A task with the SOP context a person needs to act on it.</summary>
/// <param name="WorkingTimeRemaining">Office time left until the deadline; negative when late; null when done or without a deadline.</param>
/// <param name="WorkingMinutesRemaining">The same in whole minutes.</param>
/// <param name="Previous">The step completed just before this task was created, with its comment and documents.</param>
/// <param name="AllowedActions">What the caller may do now: claim, unclaim, complete, attach, delegate, reassign.</param>
public sealed record TaskDetail(
    Guid Id,
    Guid InstanceId,
    string DefinitionKey,
    int DefinitionVersion,
    string? BusinessKey,
    string StepId,
    string StepName,
    int? StepNumber,
    string? Kelengkapan,
    string? Waktu,
    string? Output,
    string? Keterangan,
    IReadOnlyList<string> Outcomes,
    IReadOnlyList<string> Roles,
    string? Assignee,
    string Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ExpectedAt,
    DateTimeOffset? DueAt,
    bool Overdue,
    TimeSpan? WorkingTimeRemaining,
    long? WorkingMinutesRemaining,
    DateTimeOffset? CompletedAt,
    string? CompletedBy,
    string? Outcome,
    string? Comment,
    JsonElement? Item,
    IReadOnlyList<AttachmentView> Attachments,
    PreviousStep? Previous,
    IReadOnlyList<HistoryEntry> History,
    IReadOnlyList<string> AllowedActions);

public sealed record PreviousStep(
    Guid TaskId,
    string StepId,
    string StepName,
    int? StepNumber,
    string? CompletedBy,
    DateTimeOffset? CompletedAt,
    string? Outcome,
    string? Comment,
    IReadOnlyList<AttachmentView> Attachments);
