using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using KinerjaWorkflow.Server.Identity;
using KinerjaWorkflow.Server.Offices;
using KinerjaWorkflow.Server.Tests.Infrastructure;

namespace KinerjaWorkflow.Server.Tests.Workflows;

/// <summary>
/// Every step of the five SOPs, given at one frozen instant on the Testing clock, is due when
/// docs/business-time.md says, by hand: once on Thursday 27 March 2025 14:00, just before the Nyepi and Idul Fitri
/// closure (Friday 28 March to Monday 7 April), and once on Thursday 31 December 2026 14:00, the last working day
/// of 2026, where a count into 2027 is provisional because 2027's holidays are not in the calendar.
/// Offices work Monday–Thursday 07:30–16:00 (break 12:00–13:00) and Friday 07:30–16:30 (break 11:30–13:00).
/// </summary>
public sealed class SopDeadlineTests : IDisposable
{
    private const string Lebaran2025 = "2025-03-27";
    private const string YearEnd2026 = "2026-12-31";

    private readonly KinerjaServer _server = new();
    private readonly Dictionary<string, HttpClient> _clients = new(StringComparer.Ordinal);

    public void Dispose()
    {
        _server.Dispose();
        _server.Data.Dispose();
    }

    /// <summary>Step number to its due instant in the office's local time; "sementara" marks a provisional one, null no deadline.</summary>
    public static TheoryData<string, string, string, Dictionary<int, string?>> Deadlines() => new()
    {
        {
            // "1 – 20 Hari Kerja": the 20th working day after the start day, Good Friday (18 April) and 1 May skipped.
            "bps-bengkulu", "bps-bengkulu-pengumpulan-data-capaian-kinerja", Lebaran2025,
            Steps((1..12, "2025-05-07 14:00"), (13..13, "2025-04-22 14:00"), (14..14, "2025-04-08 14:00"))
        },
        {
            "bps-bengkulu", "bps-bengkulu-pengumpulan-data-capaian-kinerja", YearEnd2026,
            Steps((1..12, "2027-01-28 14:00 sementara"), (13..13, "2027-01-14 14:00 sementara"), (14..14, "2027-01-01 14:00 sementara"))
        },
        {
            // Minutes from Thursday 14:00: two working hours are left that day; 240 minutes end Tuesday 8 April 09:30.
            // Steps 10, 11 and 12 run one after the other, as the SOP reads: step 11 is in every instance.
            "bakesbangpol", "bakesbangpol-mekanisme-pengumpulan-data-kinerja", Lebaran2025,
            new()
            {
                [1] = "2025-03-27 14:15", [2] = "2025-03-27 15:00", [3] = "2025-03-27 14:25", [4] = "2025-03-27 14:30",
                [5] = "2025-03-27 16:00", [6] = "2025-03-27 16:00", [7] = "2025-04-08 09:30", [8] = null, [9] = null,
                [10] = "2025-03-27 15:00", [11] = "2025-03-27 14:25", [12] = "2025-03-27 14:10", [13] = "2025-03-27 14:15",
                [14] = "2025-03-27 14:25", [15] = "2025-03-27 14:10",
            }
        },
        {
            "bakesbangpol", "bakesbangpol-mekanisme-pengumpulan-data-kinerja", YearEnd2026,
            new()
            {
                [1] = "2026-12-31 14:15", [2] = "2026-12-31 15:00", [3] = "2026-12-31 14:25", [4] = "2026-12-31 14:30",
                [5] = "2026-12-31 16:00", [6] = "2026-12-31 16:00", [7] = "2027-01-01 09:30 sementara", [8] = null, [9] = null,
                [10] = "2026-12-31 15:00", [11] = "2026-12-31 14:25", [12] = "2026-12-31 14:10", [13] = "2026-12-31 14:15",
                [14] = "2026-12-31 14:25", [15] = "2026-12-31 14:10",
            }
        },
        {
            // "5 hari", "2 hari" and "1 hari" land on Idul Fitri, Nyepi and cuti bersama: all move to Tuesday 8 April.
            "dinas-bina-marga-sumbar", "bina-marga-pengumpulan-data-kinerja", Lebaran2025,
            new()
            {
                [1] = "2025-03-27 14:10", [2] = "2025-03-27 16:00", [3] = "2025-03-27 15:00", [4] = "2025-03-27 14:30",
                [5] = "2025-03-27 16:00", [6] = "2025-04-08 14:00", [7] = "2025-04-08 14:00", [8] = "2025-04-08 14:00",
                [9] = "2025-03-27 15:00", [10] = "2025-03-27 14:10", [11] = "2025-03-27 14:02",
            }
        },
        {
            // 2027 is not in the calendar: 1 January counts as a working day, and the deadline says so.
            "dinas-bina-marga-sumbar", "bina-marga-pengumpulan-data-kinerja", YearEnd2026,
            new()
            {
                [1] = "2026-12-31 14:10", [2] = "2026-12-31 16:00", [3] = "2026-12-31 15:00", [4] = "2026-12-31 14:30",
                [5] = "2026-12-31 16:00", [6] = "2027-01-05 14:00 sementara", [7] = "2027-01-04 14:00 sementara",
                [8] = "2027-01-01 14:00 sementara", [9] = "2026-12-31 15:00", [10] = "2026-12-31 14:10", [11] = "2026-12-31 14:02",
            }
        },
        {
            // WITA. 120 hari from 27 March is Friday 25 July.
            "bpkpad-balangan", "bpkpad-balangan-mekanisme-pengumpulan-data-kinerja", Lebaran2025,
            new()
            {
                [1] = "2025-03-27 14:15", [2] = "2025-03-27 14:30", [3] = "2025-03-27 14:02", [4] = "2025-03-27 14:30",
                [5] = "2025-03-27 14:30", [6] = "2025-04-08 14:00", [7] = "2025-07-25 14:00", [8] = "2025-03-27 15:00",
                [9] = "2025-03-27 14:15",
            }
        },
        {
            "bpkpad-balangan", "bpkpad-balangan-mekanisme-pengumpulan-data-kinerja", YearEnd2026,
            new()
            {
                [1] = "2026-12-31 14:15", [2] = "2026-12-31 14:30", [3] = "2026-12-31 14:02", [4] = "2026-12-31 14:30",
                [5] = "2026-12-31 14:30", [6] = "2027-01-04 14:00 sementara", [7] = "2027-04-30 14:00 sementara",
                [8] = "2026-12-31 15:00", [9] = "2026-12-31 14:15",
            }
        },
        {
            // Steps 6–9 state no Waktu, so they have no deadline.
            "camat-batang-kapas", "camat-batang-kapas-pengumpulan-data-kinerja", Lebaran2025,
            new()
            {
                [1] = "2025-03-27 14:15", [2] = "2025-03-27 14:30", [3] = "2025-03-27 14:02", [4] = "2025-03-27 14:30",
                [5] = "2025-03-27 14:30", [6] = null, [7] = null, [8] = null, [9] = null,
            }
        },
        {
            "camat-batang-kapas", "camat-batang-kapas-pengumpulan-data-kinerja", YearEnd2026,
            new()
            {
                [1] = "2026-12-31 14:15", [2] = "2026-12-31 14:30", [3] = "2026-12-31 14:02", [4] = "2026-12-31 14:30",
                [5] = "2026-12-31 14:30", [6] = null, [7] = null, [8] = null, [9] = null,
            }
        },
    };

    [Theory]
    [MemberData(nameof(Deadlines))]
    public async Task Every_step_given_at_1400_is_due_when_the_business_time_rules_say(
        string office, string definitionKey, string date, Dictionary<int, string?> expected)
    {
        var organization = OrganizationLoader.LoadFile(Path.Combine(RepositoryRoot.Path, "workflows", office, OrganizationLoader.FileName));
        var start = DateTime.ParseExact($"{date} 14:00", "yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
        _server.Clock.SetTo(new DateTimeOffset(start, organization.TimeZone.GetUtcOffset(start)));
        var head = organization.Users.First(u => u.Roles.Contains(organization.HeadRole) || u.IsAdmin);
        var starter = await ClientAsync(head.UserName);
        var instance = (await starter.StartAsync(definitionKey, "2025-TW4", new { triwulan = 4, tahun = 2025 })).Id();

        var seen = new Dictionary<int, HashSet<string?>>();
        for (var round = 0; round < 200; round++)
        {
            var view = await starter.GetAsync($"/api/instances/{instance}").OkJsonAsync();
            if (view.GetProperty("status").GetString() != "active")
            {
                break;
            }

            var step = view.GetProperty("activeSteps").EnumerateArray().First();
            var role = step.GetProperty("roles")[0].GetString()!;
            var client = await ClientAsync(organization.Users.First(u => u.Roles.Contains(role)).UserName);
            var taskId = step.GetProperty("taskId").GetGuid();
            var task = await client.GetAsync($"/api/tasks/{taskId}").OkJsonAsync();
            seen.TryAdd(task.GetProperty("stepNumber").GetInt32(), []);
            seen[task.GetProperty("stepNumber").GetInt32()].Add(Shown(task, organization));
            var outcome = task.GetProperty("outcomes").EnumerateArray().Select(o => o.GetString()).FirstOrDefault();
            using var response = await client.PostAsJsonAsync($"/api/tasks/{taskId}/complete", new { outcome, comment = "selesai" });
            response.IsSuccessStatusCode.Should().BeTrue(await response.Content.ReadAsStringAsync());
        }

        seen.Should().OnlyContain(s => s.Value.Count == 1, "every task of one step given at the same instant is due at the same instant");
        seen.ToDictionary(s => s.Key, s => s.Value.Single()).Should().BeEquivalentTo(expected);
    }

    private static string? Shown(JsonElement task, Organization organization)
    {
        if (task.GetProperty("dueAt").ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        var due = TimeZoneInfo.ConvertTime(task.GetProperty("dueAt").GetDateTimeOffset(), organization.TimeZone);
        var text = due.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
        return task.GetProperty("dueProvisional").GetBoolean() ? text + " sementara" : text;
    }

    private static Dictionary<int, string?> Steps(params (Range Numbers, string Due)[] groups)
    {
        var steps = new Dictionary<int, string?>();
        foreach (var (numbers, due) in groups)
        {
            for (var number = numbers.Start.Value; number <= numbers.End.Value; number++)
            {
                steps[number] = due;
            }
        }

        return steps;
    }

    private async Task<HttpClient> ClientAsync(string userName)
    {
        if (!_clients.TryGetValue(userName, out var client))
        {
            client = await _server.SignInAsync(userName);
            _clients[userName] = client;
        }

        return client;
    }
}
