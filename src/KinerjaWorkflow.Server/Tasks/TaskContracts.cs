using System.ComponentModel;
using System.Text.Json;
using KinerjaWorkflow.Engine.Model;
using KinerjaWorkflow.Engine.Time;
using KinerjaWorkflow.Server.Attachments;
using KinerjaWorkflow.Server.Instances;
using KinerjaWorkflow.Server.Offices;
using KinerjaWorkflow.Server.Persistence;
using Microsoft.AspNetCore.Mvc;

namespace KinerjaWorkflow.Server.Tasks;

/// <summary>The query of GET /api/tasks. Filters combine: every one given must hold.</summary>
public sealed record TaskQuery(
    [property: Description("Hanya tugas yang sedang saya kerjakan (assignee saya)."), FromQuery(Name = "mine")] bool? Mine,
    [property: Description("Hanya tugas peran ini; harus peran saya, peran yang saya supervisi, atau saya admin."), FromQuery(Name = "role")] string? Role,
    [property: Description("Hanya tugas peran-peran yang saya supervisi (atasan dalam rantai supervisi)."), FromQuery(Name = "supervised")] bool? Supervised,
    [property: Description("open, claimed, completed, cancelled atau active (open+claimed); boleh beberapa dipisah koma. Tanpa nilai: semua."), FromQuery(Name = "status")] string? Status,
    [property: Description("Hanya tugas aktif yang sudah lewat tenggat."), FromQuery(Name = "overdue")] bool? Overdue,
    [property: Description("Kunci definisi SOP, mis. uji-laporan-sederhana."), FromQuery(Name = "definitionKey")] string? DefinitionKey,
    [property: Description("Id langkah (elemen BPMN), mis. Susun."), FromQuery(Name = "stepId")] string? StepId,
    [property: Description("Nomor/keterangan berkas proses, mis. 2025-TW4."), FromQuery(Name = "businessKey")] string? BusinessKey,
    [property: Description("Hanya tugas dengan tenggat sebelum waktu ini (ISO 8601)."), FromQuery(Name = "dueBefore")] DateTimeOffset? DueBefore,
    [property: Description("Jumlah tugas per halaman, 1 sampai 200 (bawaan 50)."), FromQuery(Name = "pageSize")] int? PageSize,
    [property: Description("nextCursor dari halaman sebelumnya, apa adanya."), FromQuery(Name = "cursor")] string? Cursor);

/// <summary>The query of GET /api/tasks/counts: the list's scope without status, cursor or paging.</summary>
public sealed record TaskCountQuery(
    [property: Description("Hanya tugas yang sedang saya kerjakan."), FromQuery(Name = "mine")] bool? Mine,
    [property: Description("Hanya tugas peran ini."), FromQuery(Name = "role")] string? Role,
    [property: Description("Hanya tugas peran-peran yang saya supervisi."), FromQuery(Name = "supervised")] bool? Supervised,
    [property: Description("Kunci definisi SOP."), FromQuery(Name = "definitionKey")] string? DefinitionKey,
    [property: Description("Id langkah (elemen BPMN)."), FromQuery(Name = "stepId")] string? StepId,
    [property: Description("Nomor/keterangan berkas proses."), FromQuery(Name = "businessKey")] string? BusinessKey);

public sealed record CompleteTaskRequest(
    [property: Description("Hasil yang dipilih, salah satu dari outcomes langkah (mis. setuju atau revisi); kosong bila langkah tidak menawarkan pilihan.")] string? Outcome,
    [property: Description("Komentar untuk langkah berikutnya, teks biasa, paling panjang 4000 karakter.")] string? Comment,
    [property: Description("Variabel proses yang diisi atau diubah.")] Dictionary<string, JsonElement>? Variables);

public sealed record DelegateTaskRequest(
    [property: Description("Nama pengguna anggota peran tugas yang menerima.")] string? Username);

public sealed record ReassignTaskRequest(
    [property: Description("Nama pengguna anggota peran tugas yang menerima.")] string? Username,
    [property: Description("Alasan pengalihan, dicatat di jejak audit.")] string? Reason);

/// <param name="NextCursor">Pass as cursor for the next page; null on the last page.</param>
public sealed record TaskPage(IReadOnlyList<TaskSummary> Items, int PageSize, string? NextCursor);

/// <summary>Badge counts of active work: open, claimed, past the deadline, and held by the caller.</summary>
public sealed record TaskCounts(int Open, int Claimed, int Overdue, int Mine);

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
    /// <summary>The deadline was counted across a year whose holidays are not in the calendar yet (docs/business-time.md).</summary>
    public bool DueProvisional { get; init; }

    /// <summary>Who holds the task as pages name them, "Nama (Peran)"; null when nobody does.</summary>
    public string? AssigneeName { get; init; }

    /// <summary>The work was sent back to this step, and why; null when it came forward.</summary>
    public SentBack? SentBack { get; init; }

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

    /// <summary>A row as the inbox shows it: with its deadline's provisional mark in the office's calendar and its holder named.</summary>
    public static TaskSummary Listed(TaskRecord t, DateTimeOffset now, BusinessCalendar calendar, IReadOnlyDictionary<string, string> names) =>
        From(t, now) with
        {
            DueProvisional = IsDueProvisional(t, calendar),
            AssigneeName = names.NameOf(t.Assignee),
        };

    internal static bool IsDueProvisional(TaskRecord t, BusinessCalendar calendar) =>
        t.DueAt is { } due && calendar.IsProvisional(t.CreatedAt, due);

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
    IReadOnlyList<string> AllowedActions)
{
    /// <summary>The deadline was counted across a year whose holidays are not in the calendar yet (docs/business-time.md).</summary>
    public bool DueProvisional { get; init; }

    /// <summary>The working time left as people say it, e.g. "2 hari kerja 3 jam" or "terlambat 1 jam"; null when not active.</summary>
    public string? WorkingTimeLeft { get; init; }

    /// <summary>Who holds the task as pages name them, "Nama (Peran)"; null when nobody does.</summary>
    public string? AssigneeName { get; init; }

    /// <summary>Who completed the task as pages name them; null while it is not completed.</summary>
    public string? CompletedByName { get; init; }

    /// <summary>The work was sent back to this step, and why; null when it came forward.</summary>
    public SentBack? SentBack { get; init; }

    /// <summary>The outcomes that send the work back to an earlier step; choosing one needs a reason (the comment).</summary>
    public IReadOnlyList<string> SendBackOutcomes { get; init; } = [];

    /// <summary>
    /// In the answer to a claim, unclaim or completion: the tasks that command opened, whichever roles they are for (the
    /// next steps, or none while other branches are still at work); empty when the task is only read, and in the replay
    /// of a completion by its Idempotency-Key. Anyone in the office can see an instance's open steps; an id grants
    /// nothing, working on a task still needs its role.
    /// </summary>
    public IReadOnlyList<TaskSummary> Opened { get; init; } = [];
}

public sealed record PreviousStep(
    Guid TaskId,
    string StepId,
    string StepName,
    int? StepNumber,
    string? CompletedBy,
    DateTimeOffset? CompletedAt,
    string? Outcome,
    string? Comment,
    IReadOnlyList<AttachmentView> Attachments)
{
    /// <summary>Who completed the step as pages name them, "Nama (Peran)".</summary>
    public string? CompletedByName { get; init; }

    /// <summary>
    /// The step as its completion line recorded it: the line holds every field the task row would give (a completed
    /// task's row never changes again), so the step before is read with the trail instead of as a row of its own.
    /// </summary>
    /// <param name="completion">A completion line: it names its task and the step of it.</param>
    public static PreviousStep From(
        HistoryEntry completion, ProcessModel model, IReadOnlyList<AttachmentView> attachments, IReadOnlyDictionary<string, string> names) =>
        new(
            completion.TaskId!.Value,
            completion.FromStepId!,
            completion.FromStepName ?? completion.FromStepId!,
            (model.Nodes.GetValueOrDefault(completion.FromStepId!) as HumanTask)?.Step?.Number,
            completion.User,
            completion.At,
            completion.Detail,
            completion.Comment,
            attachments)
        {
            CompletedByName = names.NameOf(completion.User),
        };
}
