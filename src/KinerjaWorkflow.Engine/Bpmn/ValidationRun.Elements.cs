using KinerjaWorkflow.Engine.Model;
using KinerjaWorkflow.Engine.Time;

namespace KinerjaWorkflow.Engine.Bpmn;

/// <summary>The rules for single elements: steps, roles, Waktu, timers, service and call activities.</summary>
internal sealed partial class ValidationRun
{
    private static readonly HashSet<string> HttpMethods = new(StringComparer.Ordinal) { "GET", "POST", "PUT", "PATCH", "DELETE" };

    /// <summary>The unit of a bare-number Waktu; an unknown unit is reported and bare numbers are then unreadable.</summary>
    private WaktuUnit? WaktuSatuan()
    {
        if (_model.WaktuSatuan is not { } written)
        {
            return null;
        }

        if (WaktuParser.TryParseUnit(written, out var unit))
        {
            return unit;
        }

        ErrorOnProcess($"Satuan Waktu \"{written}\" (sop:waktuSatuan) pada {Describe.Scope(_model, _model.Root)} tidak dikenal; gunakan menit, jam, hari, hari kerja, minggu atau bulan.");
        return null;
    }

    private void CheckHumanTask(HumanTask task, WaktuUnit? bareNumberUnit)
    {
        var label = Describe.Node(task);
        if (task.Roles.Count == 0)
        {
            Error(task, $"{label} tidak memiliki pelaksana: letakkan tugas ini di lajur (lane) yang bernama peran, atau isi candidateGroups.");
        }

        foreach (var role in task.CandidateGroups.Where(r => !IsKnownRole(r)))
        {
            Error(task, $"{label} menyebut peran \"{role}\" yang tidak terdaftar di kantor ini.");
        }

        if (task.Outcomes.Count > BpmnLimits.MaxOutcomes)
        {
            Error(task, $"{label} menawarkan lebih dari {BpmnLimits.MaxOutcomes} pilihan hasil (outcome), melebihi batasnya; sebuah langkah biasanya memilih di antara dua atau tiga hasil, misalnya setuju dan dikembalikan.");
        }

        if (task.Step?.Number is null)
        {
            Warning(task, $"{label} tidak memiliki nomor langkah (sop:step nomor), jadi tidak dapat dicocokkan dengan tabel SOP.");
        }

        var waktu = task.Step?.Waktu;
        if (string.IsNullOrWhiteSpace(waktu))
        {
            Warning(task, $"{label} tidak memiliki Waktu: tidak ada tenggat dan pengingat untuk langkah ini.");
        }
        else if (!WaktuParser.TryParse(waktu, bareNumberUnit, out var parsed, out var error))
        {
            Error(task, string.IsNullOrWhiteSpace(error)
                ? $"{label}: Waktu \"{waktu}\" tidak dapat dibaca; tulis misalnya \"15 Menit\", \"2 jam\" atau \"1 – 20 Hari Kerja\"."
                : $"{label}: {Sentence(error)}");
        }
        else if (TooLong(parsed!.Deadline) is { } limit)
        {
            Error(task, $"{label}: Waktu \"{waktu.Trim()}\" melebihi batas {limit}; periksa angkanya (tenggat sepanjang itu tidak dapat dihitung).");
        }
    }

    /// <summary>The limit a Waktu goes over, as an SOP would write it ("1.250 hari kerja"), or null.</summary>
    private static string? TooLong(WaktuDuration duration) =>
        duration.Amount > BpmnLimits.MaxWaktu[duration.Unit]
            ? new WaktuDuration(BpmnLimits.MaxWaktu[duration.Unit], duration.Unit).ToString()
            : null;

    private void CheckServiceTask(ServiceTask task)
    {
        var label = Describe.Node(task);
        if (task.ElementType == "serviceTask" && task.Http is null)
        {
            Error(task, $"{label} tidak memiliki sop:http, jadi tidak ada yang dikerjakannya; tambahkan permintaan HTTP-nya.");
        }

        if (task.ElementType == "sendTask" && task.Notification is null)
        {
            Error(task, $"{label} tidak memiliki sop:notify, jadi tidak ada pemberitahuan yang dikirimnya.");
        }

        if (task.Http is { } http)
        {
            if (string.IsNullOrWhiteSpace(http.Url))
            {
                Error(task, $"{label}: sop:http tidak memiliki url.");
            }

            if (!HttpMethods.Contains(http.Method))
            {
                Error(task, http.Method.Length == 0
                    ? $"{label}: sop:http tidak menyebut metode (method); gunakan GET, POST, PUT, PATCH atau DELETE."
                    : $"{label}: metode HTTP \"{http.Method}\" tidak didukung; gunakan GET, POST, PUT, PATCH atau DELETE.");
            }
        }

        if (task.Notification is { } notification)
        {
            if (string.IsNullOrWhiteSpace(notification.Message))
            {
                Error(task, $"{label}: pesan sop:notify kosong.");
            }

            if (notification.Role is { } role && !IsKnownRole(role))
            {
                Error(task, $"{label} memberi tahu peran \"{role}\" yang tidak terdaftar di kantor ini.");
            }
        }
    }

    private void CheckCallActivity(CallActivity call)
    {
        var label = Describe.Node(call);
        if (string.IsNullOrWhiteSpace(call.CalledElement))
        {
            Error(call, $"{label} tidak menyebut definisi yang dipanggil (calledElement).");
        }
        else if (_options.DefinitionExists is { } exists && !exists(call.CalledElement))
        {
            Error(call, $"{label} memanggil definisi \"{call.CalledElement}\" yang belum di-deploy.");
        }
    }

    private void CheckBoundary(BoundaryTimerEvent boundary)
    {
        var label = Describe.Node(boundary);
        if (!_model.Nodes.TryGetValue(boundary.AttachedToId, out var host))
        {
            Error(boundary, boundary.AttachedToId.Length == 0
                ? $"{label} tidak menempel pada aktivitas mana pun (attachedToRef)."
                : $"{label} menempel pada \"{boundary.AttachedToId}\", yang tidak ada dalam proses.");
        }
        else if (host is not Activity)
        {
            Error(boundary, $"{label} menempel pada {Describe.Node(host)}; peristiwa batas hanya boleh menempel pada tugas, sub-proses atau aktivitas panggilan.");
        }
        else if (host.Scope != boundary.Scope)
        {
            Error(boundary, $"{label} berada di cakupan yang berbeda dari {Describe.Node(host)}, tempatnya menempel.");
        }
    }

    private void CheckMultiInstance(FlowNode activity, MultiInstance multiInstance)
    {
        var label = Describe.Node(activity);
        if (string.IsNullOrWhiteSpace(multiInstance.CollectionVariable) && multiInstance.Cardinality is null)
        {
            Error(activity, $"{label} adalah multi-instance tanpa koleksi (sop:collection) maupun loopCardinality, jadi tidak diketahui berapa kali ia dijalankan.");
        }
        else if (multiInstance.Cardinality is <= 0)
        {
            Error(activity, $"{label}: loopCardinality {multiInstance.Cardinality} harus lebih dari nol.");
        }
    }

    private void CheckTimer(FlowNode node, TimerDefinition timer)
    {
        var label = Describe.Node(node);
        var expression = timer.Expression.Trim();
        if (expression.Length == 0)
        {
            Error(node, $"{label}: timer tidak memiliki ekspresi waktu; isi timeDuration, timeDate atau timeCycle.");
            return;
        }

        switch (timer.Kind)
        {
            case TimerKind.Duration when IsoPeriod.TryParse(expression, out var period):
                if ((period.Months * 31.0) + period.Days + period.Time.TotalDays > BpmnLimits.MaxTimerDuration.TotalDays)
                {
                    Error(node, $"Durasi timer \"{expression}\" pada {label} melebihi batas {BpmnLimits.MaxTimerDuration.TotalDays:0} hari (sekitar lima tahun); periksa angkanya.");
                }

                break;
            case TimerKind.Duration when WaktuParser.TryParse(expression, null, out var waktu, out _):
                if (TooLong(waktu!.Deadline) is { } limit)
                {
                    Error(node, $"Durasi timer \"{expression}\" pada {label} melebihi batas {limit}; periksa angkanya.");
                }

                break;
            case TimerKind.Duration:
                Error(node, $"Durasi timer \"{expression}\" pada {label} tidak dapat dibaca: tulis durasi ISO 8601 (misalnya PT2H) atau Waktu seperti \"2 Hari Kerja\".");
                break;
            case TimerKind.Date when !IsoInstant.TryParse(expression, out _):
                Error(node, $"Tanggal timer \"{expression}\" pada {label} tidak dapat dibaca: tulis waktu ISO 8601, misalnya 2025-01-01T08:00:00+07:00.");
                break;
            case TimerKind.Cycle when node is not StartEvent:
                Error(node, $"{label} memakai timeCycle, yang hanya berlaku untuk peristiwa awal; gunakan timeDuration atau timeDate.");
                break;
            case TimerKind.Cycle when !TimerCycle.TryParse(expression, out _, out var error):
                Error(node, $"{label}: {Sentence(error)}");
                break;
            case TimerKind.Cycle:
                CheckCycleInterval(node, expression);
                break;
        }
    }

    private void CheckCycleInterval(FlowNode node, string expression)
    {
        if (_options.MinimumStartCycle is { } minimum && TimerCycle.Parse(expression).ShortestInterval < minimum)
        {
            Error(node, $"{Describe.Node(node)}: siklus timer \"{expression}\" memulai instans lebih sering dari batas sekali per {Duration(minimum)}; perpanjang periodenya.");
        }
    }

    /// <summary>A configured interval as people say it: "1 jam", "30 menit", "1 hari".</summary>
    private static string Duration(TimeSpan span) =>
        span.TotalDays >= 1 && span.TotalDays == Math.Floor(span.TotalDays) ? $"{span.TotalDays:0} hari"
        : span.TotalHours >= 1 && span.TotalHours == Math.Floor(span.TotalHours) ? $"{span.TotalHours:0} jam"
        : span.TotalMinutes >= 1 && span.TotalMinutes == Math.Floor(span.TotalMinutes) ? $"{span.TotalMinutes:0} menit"
        : $"{span.TotalSeconds:0.###} detik";

    private void CheckLanes()
    {
        foreach (var lane in _model.Lanes.Where(l => !IsKnownRole(l.Role)))
        {
            Add(ProblemSeverity.Error, lane.Id, "lane", $"Lajur \"{lane.Role}\" adalah peran yang tidak terdaftar di kantor ini; tambahkan peran itu ke organisasi kantor atau ganti nama lajurnya.");
        }
    }

    private void CheckStarterRoles()
    {
        foreach (var role in (_model.WrittenStarterRoles ?? []).Where(r => !IsKnownRole(r)))
        {
            ErrorOnProcess($"Peran pemrakarsa \"{role}\" (sop:starterRoles) pada {Describe.Scope(_model, _model.Root)} tidak terdaftar di kantor ini; tulis nama peran seperti pada lajur atau organisasi kantor.");
        }
    }

    private bool IsKnownRole(string role) => _options.KnownRoles is not { } known || known.Contains(role);

    private void CheckStepNumbers()
    {
        var byNumber = _model.HumanTasks
            .Where(t => t.Step?.Number is not null)
            .GroupBy(t => t.Step!.Number!.Value);
        foreach (var group in byNumber)
        {
            var first = group.First();
            foreach (var other in group.Skip(1))
            {
                Warning(other, $"Nomor langkah {group.Key} dipakai oleh lebih dari satu tugas: \"{Describe.Name(first.Name, first.Id)}\" dan \"{Describe.Name(other.Name, other.Id)}\".");
            }
        }
    }
}
