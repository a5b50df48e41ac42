using System.Globalization;
using System.Xml;
using System.Xml.Linq;
using KinerjaWorkflow.Engine.Conditions;
using KinerjaWorkflow.Engine.Model;
using static KinerjaWorkflow.Engine.Bpmn.BpmnNames;

namespace KinerjaWorkflow.Engine.Bpmn;

/// <summary>Reads one parsed BPMN document; one instance per read.</summary>
internal sealed partial class BpmnDocumentReader
{
    /// <summary>Elements that carry no behaviour: documentation, data and decoration. They are skipped.</summary>
    private static readonly HashSet<string> Ignored = new(StringComparer.Ordinal)
    {
        "documentation", "extensionElements", "laneSet", "textAnnotation", "association", "group",
        "dataObject", "dataObjectReference", "dataStoreReference", "ioSpecification", "ioBinding", "property",
        "auditing", "monitoring", "category", "incoming", "outgoing", "multiInstanceLoopCharacteristics",
        "standardLoopCharacteristics",
    };

    private static readonly Dictionary<string, string> UnsupportedReasons = new(StringComparer.Ordinal)
    {
        ["eventBasedGateway"] = "percabangan (gateway) berbasis peristiwa menunggu peristiwa yang saling bersaing, sedangkan mesin ini hanya menunggu timer; gunakan percabangan eksklusif dengan kondisi, atau peristiwa timer batas pada tugasnya",
        ["complexGateway"] = "aturan gabungan percabangan kompleks tidak dijalankan; gunakan percabangan eksklusif, paralel atau inklusif",
        ["businessRuleTask"] = "tabel keputusan (DMN) tidak dijalankan; tulis keputusannya sebagai kondisi pada alur keluar sebuah percabangan eksklusif",
        ["scriptTask"] = "mesin ini tidak menjalankan kode; gunakan tugas layanan dengan sop:http",
        ["receiveTask"] = "mesin ini tidak menunggu pesan masuk; gunakan tugas pengguna yang diselesaikan seseorang",
        ["transaction"] = "mesin ini tidak menjalankan transaksi dan kompensasi; gunakan sub-proses biasa",
        ["adHocSubProcess"] = "langkah-langkah sub-proses ad hoc tidak berurutan; gunakan sub-proses biasa",
        ["intermediateThrowEvent"] = "peristiwa lempar antara tidak menunggu maupun mengirim apa pun di mesin ini; hapus peristiwa ini atau ganti dengan peristiwa timer",
    };

    private static readonly Dictionary<string, string> EventKinds = new(StringComparer.Ordinal)
    {
        ["messageEventDefinition"] = "pesan (message)",
        ["signalEventDefinition"] = "sinyal (signal)",
        ["errorEventDefinition"] = "galat (error)",
        ["escalationEventDefinition"] = "eskalasi (escalation)",
        ["conditionalEventDefinition"] = "kondisional (conditional)",
        ["linkEventDefinition"] = "tautan (link)",
        ["compensateEventDefinition"] = "kompensasi (compensate)",
        ["cancelEventDefinition"] = "pembatalan (cancel)",
        ["terminateEventDefinition"] = "terminate",
        ["timerEventDefinition"] = "timer",
        ["eventDefinitionRef"] = "dengan rujukan definisi peristiwa",
    };

    private static readonly string[] HttpExtensions = ["http", "notify"];

    /// <summary>The list fields of the SOP-AP header, each a child element of sop:identity, one item per line.</summary>
    private static readonly string[] IdentityLists =
        ["dasarHukum", "kualifikasiPelaksana", "keterkaitan", "peralatanPerlengkapan", "peringatan", "pencatatanPendataan"];

    private readonly XDocument _document;
    private readonly CancellationToken _cancellationToken;
    private readonly List<DefinitionProblem> _problems = [];
    private readonly Dictionary<string, SourceLocation> _locations = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _typeOfId = new(StringComparer.Ordinal);

    /// <summary>Each node's enclosing sub-process (null: the process itself), in document order.</summary>
    private readonly Dictionary<string, string?> _containerOf = new(StringComparer.Ordinal);
    private readonly List<string> _nodeOrder = [];
    private readonly HashSet<string> _idsInProcess = new(StringComparer.Ordinal);
    private ProcessModelBuilder _builder = null!;
    private int _flowElements;

    public BpmnDocumentReader(XDocument document, CancellationToken cancellationToken)
    {
        _document = document;
        _cancellationToken = cancellationToken;
    }

    public BpmnReading Read()
    {
        var root = _document.Root!;
        if (root.Name != Semantic + "definitions")
        {
            Error(root, null, $"Berkas ini bukan definisi BPMN 2.0: elemen akarnya <{root.Name.LocalName}> dari namespace \"{root.Name.NamespaceName}\", bukan <definitions> dari namespace \"{Semantic.NamespaceName}\".");
            return Result(null);
        }

        var process = SelectProcess(root);
        if (process is null)
        {
            return Result(null);
        }

        var key = Text(process.Attribute("id"));
        if (key is null)
        {
            Error(process, null, "Proses yang dapat dijalankan tidak memiliki id; id proses adalah kunci definisi.");
            return Result(null);
        }

        Register(process, key);
        var participantName = ReadCollaborations(root, key);
        foreach (var id in process.Descendants().Select(e => Text(e.Attribute("id"))).OfType<string>())
        {
            _idsInProcess.Add(id);
        }

        var extensions = Extensions(process);
        _builder = new ProcessModelBuilder(key, Text(process.Attribute("name")) ?? participantName)
        {
            Identity = ReadIdentity(extensions.FirstOrDefault(e => e.Name == Sop + "identity"), key),
            WaktuSatuan = Text(process.Attribute(Sop + "waktuSatuan")),
            StarterRoles = List(process.Attribute(Sop + "starterRoles")) is { Count: > 0 } starters ? starters : null,
        };
        WarnUnknownExtensions(process, key, extensions, "identity");

        if (!ReadScope(process, null, 0))
        {
            Error(process, key, $"Proses \"{Describe.Name(_builder.Name, key)}\" memuat lebih dari {BpmnLimits.MaxFlowElements} elemen alur (peristiwa, tugas, percabangan, sub-proses dan alur), melebihi batasnya; bagi SOP ini menjadi beberapa definisi yang saling memanggil (callActivity).");
            return Result(null);
        }

        WarnVendorExtensions(root);
        foreach (var lane in ReadLanes(process))
        {
            _builder.Add(lane);
        }

        return Result(_builder.Build());
    }

    private BpmnReading Result(ProcessModel? model) => new(model, _problems, _locations);

    private XElement? SelectProcess(XElement definitions)
    {
        var processes = definitions.Elements(Semantic + "process").ToList();
        var executable = processes.Where(p => IsTrue(p.Attribute("isExecutable"))).ToList();
        if (executable.Count == 0 && processes.Count == 1 && processes[0].Attribute("isExecutable") is null)
        {
            executable = processes;
        }

        if (executable.Count == 0)
        {
            Error(definitions, null, processes.Count == 0
                ? "Berkas BPMN tidak memiliki proses."
                : "Berkas BPMN tidak memiliki proses yang dapat dijalankan: tandai satu proses dengan isExecutable=\"true\".");
            return null;
        }

        foreach (var extra in executable.Skip(1))
        {
            var id = Text(extra.Attribute("id"));
            Error(extra, id, $"Proses \"{Describe.Name(Text(extra.Attribute("name")), id ?? "?")}\" adalah proses kedua yang dapat dijalankan; satu berkas hanya boleh memiliki satu proses yang dapat dijalankan.");
        }

        return executable[0];
    }

    /// <summary>Checks the collaboration around the process and returns the pool's name, which bpmn-js keeps there.</summary>
    private string? ReadCollaborations(XElement definitions, string processId)
    {
        string? participantName = null;
        var collaborations = definitions.Elements(Semantic + "collaboration").ToList();
        foreach (var extra in collaborations.Skip(1))
        {
            Error(extra, Text(extra.Attribute("id")), "Berkas hanya boleh memiliki satu kolaborasi dengan satu peserta (pool).");
        }

        foreach (var collaboration in collaborations.Take(1))
        {
            var participants = collaboration.Elements(Semantic + "participant").ToList();
            foreach (var extra in participants.Skip(1))
            {
                var id = Text(extra.Attribute("id"));
                Error(extra, id, $"Kolaborasi hanya boleh memiliki satu peserta (pool); \"{Describe.Name(Text(extra.Attribute("name")), id ?? "?")}\" adalah pool kedua.");
            }

            foreach (var participant in participants.Take(1))
            {
                var id = Text(participant.Attribute("id"));
                var processRef = Text(participant.Attribute("processRef"));
                if (processRef is not null && processRef != processId)
                {
                    Error(participant, id, $"Pool \"{Describe.Name(Text(participant.Attribute("name")), id ?? "?")}\" merujuk proses \"{processRef}\", bukan proses yang dapat dijalankan \"{processId}\".");
                }

                participantName = Text(participant.Attribute("name"));
                if (id is not null)
                {
                    Register(participant, id);
                }
            }

            foreach (var element in collaboration.Elements().Where(e => e.Name.Namespace == Semantic))
            {
                var type = element.Name.LocalName;
                if (type is "participant" || Ignored.Contains(type))
                {
                    continue;
                }

                var id = Text(element.Attribute("id"));
                var reason = type == "messageFlow"
                    ? "satu definisi adalah satu pool, jadi tidak ada pool lain untuk dikirimi pesan"
                    : "elemen ini di luar bagian BPMN yang didukung";
                Error(element, id, $"Elemen {type} \"{Describe.Name(Text(element.Attribute("name")), id ?? "?")}\" tidak didukung: {reason}.");
            }
        }

        return participantName;
    }

    /// <summary>
    /// Reads the flow elements of the process or of a sub-process at <paramref name="nesting"/> (the process
    /// is 0); false when the process holds more than <see cref="BpmnLimits.MaxFlowElements"/>, and reading stopped.
    /// </summary>
    private bool ReadScope(XElement container, string? subProcessId, int nesting)
    {
        foreach (var element in container.Elements().Where(e => e.Name.Namespace == Semantic))
        {
            _cancellationToken.ThrowIfCancellationRequested();
            var type = element.Name.LocalName;
            if (Ignored.Contains(type))
            {
                continue;
            }

            if (++_flowElements > BpmnLimits.MaxFlowElements)
            {
                return false;
            }

            if (!TryRegister(element, out var id))
            {
                continue;
            }

            if (type == "sequenceFlow")
            {
                _builder.Add(ReadFlow(element, id), subProcessId);
                continue;
            }

            var node = ReadNode(element, id, type, nesting + 1);
            if (node is null)
            {
                return false;
            }

            _builder.Add(node, subProcessId);
            _containerOf[id] = subProcessId;
            _nodeOrder.Add(id);
        }

        return true;
    }

    /// <summary>The node at <paramref name="nesting"/>; null when reading a sub-process went over the limit of flow elements.</summary>
    private FlowNode? ReadNode(XElement element, string id, string type, int nesting)
    {
        var name = Text(element.Attribute("name"));
        switch (type)
        {
            case "startEvent":
            case "endEvent":
            case "intermediateCatchEvent":
            case "boundaryEvent":
                return ReadEvent(element, id, type, name);
            case "userTask":
                return ReadHumanTask(element, id, name, HumanTaskKind.User);
            case "manualTask":
                return ReadHumanTask(element, id, name, HumanTaskKind.Manual);
            case "task":
                return ReadHumanTask(element, id, name, HumanTaskKind.Plain);
            case "serviceTask":
            case "sendTask":
                return ReadServiceTask(element, id, type, name);
            case "exclusiveGateway":
                return ReadGateway(element, id, type, name, GatewayKind.Exclusive);
            case "parallelGateway":
                return ReadGateway(element, id, type, name, GatewayKind.Parallel);
            case "inclusiveGateway":
                return ReadGateway(element, id, type, name, GatewayKind.Inclusive);
            case "subProcess" when IsTrue(element.Attribute("triggeredByEvent")):
                return Unsupported(element, id, name, "sub-proses peristiwa (triggeredByEvent) tidak dijalankan; gunakan peristiwa timer batas pada tugasnya");
            case "subProcess" when nesting > BpmnLimits.MaxSubProcessNesting:
                return Unsupported(element, id, name, $"sub-proses ini bersarang {nesting} tingkat di dalam sub-proses lain, melebihi batas {BpmnLimits.MaxSubProcessNesting} tingkat; ratakan sub-prosesnya atau pindahkan bagian dalamnya ke definisi yang dipanggil (callActivity)");
            case "subProcess":
                var subProcess = new SubProcess
                {
                    Id = id,
                    Name = name,
                    ElementType = type,
                    Inner = new Scope { Id = id },
                    MultiInstance = ReadLoop(element, id),
                };
                WarnUnknownExtensions(element, id, Extensions(element));
                return ReadScope(element, id, nesting) ? subProcess : null;
            case "callActivity":
                WarnUnknownExtensions(element, id, Extensions(element));
                return new CallActivity
                {
                    Id = id,
                    Name = name,
                    ElementType = type,
                    CalledElement = Text(element.Attribute("calledElement")) ?? string.Empty,
                    MultiInstance = ReadLoop(element, id),
                };
            default:
                return Unsupported(element, id, name, UnsupportedReasons.GetValueOrDefault(type)
                    ?? "elemen ini di luar bagian BPMN yang didukung (lihat docs/bpmn-extensions.md)");
        }
    }

    private FlowNode ReadEvent(XElement element, string id, string type, string? name)
    {
        var definitions = element.Elements()
            .Where(e => e.Name.Namespace == Semantic && EventKinds.ContainsKey(e.Name.LocalName))
            .ToList();
        if (definitions.Count > 1)
        {
            return Unsupported(element, id, name, "mesin ini hanya menjalankan peristiwa dengan satu definisi, bukan lebih dari satu definisi (multiple)");
        }

        var kind = definitions.Count == 0 ? null : definitions[0].Name.LocalName;
        var timer = kind == "timerEventDefinition" ? ReadTimer(definitions[0], element, id) : null;
        var kindName = kind is null ? null : EventKinds[kind];
        switch (type)
        {
            case "startEvent" when kind is null || timer is not null:
                return new StartEvent { Id = id, Name = name, ElementType = type, Timer = timer };
            case "startEvent":
                return Unsupported(element, id, name, $"ini peristiwa awal {kindName}, sedangkan yang didukung hanya peristiwa awal biasa dan peristiwa awal timer");
            case "endEvent" when kind is null or "terminateEventDefinition":
                return new EndEvent { Id = id, Name = name, ElementType = type, Terminate = kind is not null };
            case "endEvent":
                return Unsupported(element, id, name, $"ini peristiwa akhir {kindName}, sedangkan yang didukung hanya peristiwa akhir biasa dan peristiwa akhir terminate");
            case "intermediateCatchEvent" when timer is not null:
                return new IntermediateTimerEvent { Id = id, Name = name, ElementType = type, Timer = timer };
            case "intermediateCatchEvent" when kind is null:
                return Unsupported(element, id, name, "peristiwa tangkap antara tanpa definisi tidak menunggu apa pun; jadikan peristiwa timer");
            case "intermediateCatchEvent":
                return Unsupported(element, id, name, $"ini peristiwa tangkap {kindName}, sedangkan yang didukung hanya peristiwa timer");
            case "boundaryEvent" when timer is not null:
                return new BoundaryTimerEvent
                {
                    Id = id,
                    Name = name,
                    ElementType = type,
                    AttachedToId = Text(element.Attribute("attachedToRef")) ?? string.Empty,
                    CancelActivity = !IsFalse(element.Attribute("cancelActivity")),
                    Timer = timer,
                };
            default:
                return Unsupported(
                    element,
                    id,
                    name,
                    $"ini peristiwa batas {kindName ?? "tanpa definisi"}, sedangkan yang didukung hanya peristiwa batas timer",
                    Text(element.Attribute("attachedToRef")));
        }
    }

    private TimerDefinition ReadTimer(XElement definition, XElement owner, string id)
    {
        var parts = new[] { ("timeDuration", TimerKind.Duration), ("timeDate", TimerKind.Date), ("timeCycle", TimerKind.Cycle) }
            .Select(p => (Element: definition.Element(Semantic + p.Item1), Kind: p.Item2))
            .Where(p => p.Element is not null)
            .ToList();
        if (parts.Count > 1)
        {
            Error(owner, id, $"{Describe.Element(owner.Name.LocalName, Text(owner.Attribute("name")), id)}: timer harus memakai tepat satu dari timeDuration, timeDate atau timeCycle.");
        }

        return parts.Count == 0
            ? new TimerDefinition(TimerKind.Duration, string.Empty)
            : new TimerDefinition(parts[0].Kind, parts[0].Element!.Value.Trim());
    }

    private HumanTask ReadHumanTask(XElement element, string id, string? name, HumanTaskKind kind)
    {
        var extensions = Extensions(element);
        WarnUnknownExtensions(element, id, extensions, "step");
        var step = extensions.FirstOrDefault(e => e.Name == Sop + "step");
        return new HumanTask
        {
            Id = id,
            Name = name,
            ElementType = element.Name.LocalName,
            TaskKind = kind,
            CandidateGroups = List(element.Attribute(Sop + "candidateGroups") ?? element.Attribute(Camunda + "candidateGroups")),
            Documentation = Paragraphs(element.Elements(Semantic + "documentation").Select(d => d.Value)),
            Step = step is null ? null : ReadStep(step, element, id, name),
            MultiInstance = ReadLoop(element, id),
        };
    }

    private SopStep ReadStep(XElement step, XElement task, string id, string? name)
    {
        int? number = null;
        var nomor = Text(step.Attribute("nomor"));
        if (nomor is not null)
        {
            if (int.TryParse(nomor, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed))
            {
                number = parsed;
            }
            else
            {
                Error(task, id, $"Nomor langkah \"{nomor}\" pada {Describe.Element(task.Name.LocalName, name, id)} bukan bilangan bulat.");
            }
        }

        var outcomes = List(step.Attribute("outcomes"));
        return new SopStep(
            number,
            Text(step.Attribute("kelengkapan")),
            Text(step.Attribute("waktu")),
            Text(step.Attribute("output")),
            Text(step.Attribute("keterangan")),
            outcomes.Count == 0 ? null : outcomes);
    }

    private ServiceTask ReadServiceTask(XElement element, string id, string type, string? name)
    {
        var extensions = Extensions(element);
        WarnUnknownExtensions(element, id, extensions, HttpExtensions);
        var http = extensions.FirstOrDefault(e => e.Name == Sop + "http");
        var notify = extensions.FirstOrDefault(e => e.Name == Sop + "notify");
        return new ServiceTask
        {
            Id = id,
            Name = name,
            ElementType = type,
            Http = http is null ? null : new HttpCall(
                Text(http.Attribute("method"))?.ToUpperInvariant() ?? string.Empty,
                Text(http.Attribute("url")) ?? string.Empty,
                http.Elements(Sop + "header")
                    .Select(h => KeyValuePair.Create(Text(h.Attribute("name")) ?? string.Empty, h.Attribute("value")?.Value ?? string.Empty))
                    .ToList(),
                http.Element(Sop + "body") is { } body && !string.IsNullOrWhiteSpace(body.Value) ? body.Value : null,
                Text(http.Attribute("resultVariable"))),
            Notification = notify is null ? null : new NotificationSpec(Text(notify.Attribute("role")), notify.Value.Trim()),
            MultiInstance = ReadLoop(element, id),
        };
    }

    private Gateway ReadGateway(XElement element, string id, string type, string? name, GatewayKind kind)
    {
        WarnUnknownExtensions(element, id, Extensions(element));
        return new Gateway
        {
            Id = id,
            Name = name,
            ElementType = type,
            Kind = kind,
            DefaultFlowId = Text(element.Attribute("default")),
        };
    }

    private MultiInstance? ReadLoop(XElement activity, string id)
    {
        var label = Describe.Element(activity.Name.LocalName, Text(activity.Attribute("name")), id);
        if (activity.Element(Semantic + "standardLoopCharacteristics") is not null)
        {
            Error(activity, id, $"{label}: perulangan standar (standardLoopCharacteristics) tidak didukung; gunakan multi-instance atas sebuah koleksi, atau alur balik lewat percabangan (gateway).");
        }

        var loop = activity.Element(Semantic + "multiInstanceLoopCharacteristics");
        if (loop is null)
        {
            return null;
        }

        if (loop.Element(Semantic + "completionCondition") is not null)
        {
            Error(activity, id, $"{label}: completionCondition pada multi-instance tidak didukung; setiap instans selalu diselesaikan.");
        }

        int? cardinality = null;
        if (Text(loop.Element(Semantic + "loopCardinality")?.Value) is { } cardinalityText)
        {
            if (int.TryParse(cardinalityText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed))
            {
                cardinality = parsed;
            }
            else
            {
                Error(activity, id, $"{label}: loopCardinality \"{cardinalityText}\" bukan bilangan bulat.");
            }
        }

        return new MultiInstance(
            IsTrue(loop.Attribute("isSequential")),
            Unwrap(Text(loop.Attribute(Sop + "collection") ?? loop.Attribute(Camunda + "collection"))),
            Text(loop.Attribute(Sop + "elementVariable") ?? loop.Attribute(Camunda + "elementVariable")),
            cardinality);
    }

    private SequenceFlow ReadFlow(XElement element, string id)
    {
        var name = Text(element.Attribute("name"));
        var expression = element.Element(Semantic + "conditionExpression");
        var text = Text(expression?.Value);
        var condition = text is null ? null : ReadCondition(element, id, name, expression!, text);
        return new SequenceFlow
        {
            Id = id,
            Name = name,
            SourceId = Text(element.Attribute("sourceRef")) ?? string.Empty,
            TargetId = Text(element.Attribute("targetRef")) ?? string.Empty,
            ConditionText = text,
            Condition = condition,
        };
    }

    private Condition? ReadCondition(XElement flow, string id, string? name, XElement expression, string text)
    {
        var label = Describe.Element("sequenceFlow", name, id);
        if (Text(expression.Attribute("language")) is { } language)
        {
            Error(flow, id, $"Kondisi pada {label} ditulis dalam bahasa \"{language}\"; hanya bahasa kondisi KinerjaWorkflow yang didukung (tanpa atribut language).");
            return null;
        }

        try
        {
            return Condition.Parse(text);
        }
        catch (ConditionSyntaxException e)
        {
            var hint = text.StartsWith("${", StringComparison.Ordinal) || text.StartsWith("#{", StringComparison.Ordinal)
                ? " Tulis kondisinya tanpa pembungkus ${ }, misalnya outcome == \"setuju\"."
                : string.Empty;
            Error(flow, id, $"Kondisi \"{text}\" pada {label} tidak dapat dibaca: {e.Message}{hint}");
            return null;
        }
    }

    /// <summary>
    /// Lanes become roles. A node takes the innermost named lane that lists it; a node inside an embedded
    /// sub-process that no lane lists takes the sub-process's lane, as bpmn-js lists only the sub-process.
    /// Each <see cref="Lane"/> returned holds exactly the nodes whose role it gives.
    /// </summary>
    private List<Lane> ReadLanes(XElement process)
    {
        var named = new List<(string Id, string Role)>();
        var listed = new Dictionary<string, (string LaneId, int Depth)>(StringComparer.Ordinal);
        foreach (var laneSet in process.Descendants(Semantic + "laneSet"))
        {
            ReadLaneSet(laneSet, 1, named, listed);
        }

        string? LaneOf(string nodeId)
        {
            for (string? id = nodeId; id is not null; id = _containerOf.GetValueOrDefault(id))
            {
                if (listed.TryGetValue(id, out var lane))
                {
                    return lane.LaneId;
                }
            }

            return null;
        }

        var byLane = _nodeOrder.ToLookup(LaneOf, StringComparer.Ordinal);
        return named.Select(l => new Lane(l.Id, l.Role, byLane[l.Id].ToList())).ToList();
    }

    /// <summary>The lanes of one lane set, whose lanes are at <paramref name="depth"/> (those of the process's lane set at 1).</summary>
    private void ReadLaneSet(
        XElement laneSet,
        int depth,
        List<(string Id, string Role)> named,
        Dictionary<string, (string LaneId, int Depth)> listed)
    {
        foreach (var lane in laneSet.Elements(Semantic + "lane"))
        {
            _cancellationToken.ThrowIfCancellationRequested();
            var children = lane.Elements(Semantic + "childLaneSet").ToList();
            if (depth > BpmnLimits.MaxLaneNesting)
            {
                var laneId = Text(lane.Attribute("id"));
                Error(lane, laneId, $"Lajur \"{Describe.Name(Text(lane.Attribute("name")), laneId ?? "tanpa id")}\" bersarang {depth} tingkat (childLaneSet), melebihi batas {BpmnLimits.MaxLaneNesting} tingkat lajur bersarang; lajur ini dan lajur di dalamnya diabaikan.");
                continue;
            }

            if (TryRegister(lane, out var id))
            {
                var role = Text(lane.Attribute("name")) is { } written ? Describe.Name(written, id) : null;
                if (role is null && !children.Elements(Semantic + "lane").Any())
                {
                    Error(lane, id, $"Lajur \"{id}\" tidak memiliki nama; nama lajur adalah peran (Pelaksana) yang mengerjakan tugas di dalamnya.");
                }

                foreach (var reference in lane.Elements(Semantic + "flowNodeRef").Select(r => Text(r.Value)).OfType<string>())
                {
                    if (!_idsInProcess.Contains(reference))
                    {
                        Warning(lane, id, $"Lajur \"{Describe.Name(role, id)}\" mencantumkan elemen \"{reference}\" yang tidak ada; rujukan ini diabaikan.");
                    }
                    else if (role is not null && (!listed.TryGetValue(reference, out var current) || current.Depth <= depth))
                    {
                        listed[reference] = (id, depth);
                    }
                }

                if (role is not null)
                {
                    named.Add((id, role));
                }
            }

            foreach (var child in children)
            {
                ReadLaneSet(child, depth + 1, named, listed);
            }
        }
    }

    private SopIdentity? ReadIdentity(XElement? identity, string key)
    {
        if (identity is null)
        {
            return null;
        }

        foreach (var unknown in identity.Elements().Where(e => e.Name.Namespace != Sop || !IdentityLists.Contains(e.Name.LocalName)))
        {
            Warning(unknown, key, $"Elemen <{unknown.Name.LocalName}> di dalam sop:identity tidak dikenal dan diabaikan; kepala SOP memuat {string.Join(", ", IdentityLists.Select(n => "sop:" + n))}.");
        }

        IReadOnlyList<string> Items(string name) =>
            identity.Elements(Sop + name)
                .SelectMany(e => e.Value.Split('\n'))
                .Select(line => line.Trim())
                .Where(line => line.Length > 0)
                .ToList();

        return new SopIdentity(
            Text(identity.Attribute("nomor")),
            Text(identity.Attribute("judul")),
            Text(identity.Attribute("kantor")),
            Text(identity.Attribute("disahkanOleh")),
            Text(identity.Attribute("tanggalEfektif")),
            Text(identity.Attribute("jumlahWaktu")))
        {
            MadeDate = Text(identity.Attribute("tanggalPembuatan")),
            RevisionDate = Text(identity.Attribute("tanggalRevisi")),
            LegalBasis = Items("dasarHukum"),
            Qualifications = Items("kualifikasiPelaksana"),
            RelatedProcedures = Items("keterkaitan"),
            Equipment = Items("peralatanPerlengkapan"),
            Warnings = Items("peringatan"),
            RecordKeeping = Items("pencatatanPendataan"),
        };
    }

    /// <summary>The documentation of an element as one text, its paragraphs kept; null when it has none.</summary>
    private static string? Paragraphs(IEnumerable<string> documentation)
    {
        var text = string.Join("\n", documentation.Select(d => d.Trim()).Where(d => d.Length > 0));
        return text.Length == 0 ? null : text;
    }

    private UnsupportedNode Unsupported(XElement element, string id, string? name, string reason, string? attachedToId = null)
    {
        var type = element.Name.LocalName;
        var named = string.IsNullOrWhiteSpace(name) ? $"\"{id}\"" : $"\"{Describe.Name(name, id)}\" ({id})";
        Error(element, id, $"Elemen {type} {named} tidak didukung: {reason}.");
        return new UnsupportedNode { Id = id, Name = name, ElementType = type, AttachedToId = attachedToId };
    }

    private static List<XElement> Extensions(XElement element) =>
        element.Element(Semantic + "extensionElements")?.Elements().ToList() ?? [];

    /// <summary>A misspelt SOP extension would silently lose the step's fields; say so.</summary>
    private void WarnUnknownExtensions(XElement element, string id, List<XElement> extensions, params string[] known)
    {
        foreach (var extension in extensions.Where(e => e.Name.Namespace == Sop && !known.Contains(e.Name.LocalName)))
        {
            Warning(element, id, $"Ekstensi sop:{extension.Name.LocalName} pada {Describe.Element(element.Name.LocalName, Text(element.Attribute("name")), id)} tidak dikenal di sini dan diabaikan.");
        }
    }

    private bool TryRegister(XElement element, out string id)
    {
        var type = element.Name.LocalName;
        var written = Text(element.Attribute("id"));
        if (written is null)
        {
            Error(element, null, $"Elemen {type} \"{Describe.Name(Text(element.Attribute("name")), "tanpa nama")}\" tidak memiliki id; setiap elemen proses memerlukan id yang unik.");
            id = string.Empty;
            return false;
        }

        id = written;
        if (_typeOfId.TryGetValue(id, out var firstType))
        {
            Error(element, id, $"Id \"{id}\" dipakai lebih dari satu elemen ({firstType} dan {type}); setiap elemen memerlukan id yang unik. Elemen {type} ini diabaikan.");
            return false;
        }

        Register(element, id);
        return true;
    }

    private void Register(XElement element, string id)
    {
        _typeOfId[id] = element.Name.LocalName;
        var location = Location(element);
        if (location is { } known)
        {
            _locations[id] = known;
        }
    }

    private void Error(XElement element, string? id, string message) => Add(ProblemSeverity.Error, element, id, message);

    private void Warning(XElement element, string? id, string message) => Add(ProblemSeverity.Warning, element, id, message);

    private void Add(ProblemSeverity severity, XElement element, string? id, string message)
    {
        var location = Location(element);
        _problems.Add(new DefinitionProblem(severity, id, element.Name.LocalName, message, location?.Line, location?.Column));
    }

    private static SourceLocation? Location(XElement element) =>
        element is IXmlLineInfo info && info.HasLineInfo() ? new SourceLocation(info.LineNumber, info.LinePosition) : null;

    private static string? Text(XAttribute? attribute) => Text(attribute?.Value);

    private static string? Text(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static List<string> List(XAttribute? attribute) =>
        (attribute?.Value ?? string.Empty)
            .Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Distinct(StringComparer.Ordinal)
            .ToList();

    /// <summary>Camunda Modeler writes a collection as an expression, <c>${unitKerja}</c>; the variable is inside.</summary>
    private static string? Unwrap(string? collection) =>
        collection is not null && collection.StartsWith("${", StringComparison.Ordinal) && collection.EndsWith('}')
            ? Text(collection[2..^1])
            : collection;

    private static bool IsTrue(XAttribute? attribute) =>
        Text(attribute) is { } value && (value.Equals("true", StringComparison.OrdinalIgnoreCase) || value == "1");

    private static bool IsFalse(XAttribute? attribute) =>
        Text(attribute) is { } value && (value.Equals("false", StringComparison.OrdinalIgnoreCase) || value == "0");
}
