using System.Text.Json;
using KinerjaWorkflow.Engine.Time;
using KinerjaWorkflow.Server.Identity;
using KinerjaWorkflow.Server.Offices;

namespace KinerjaWorkflow.Server.Tests.Identity;

public sealed class OrganizationLoaderTests
{
    private const string OfficeId = "dinas-bmcktr-sumbar";

    internal const string Sumbar = """
        name: Dinas Bina Marga, Cipta Karya dan Tata Ruang Provinsi Sumatera Barat
        shortName: Dinas BMCKTR Sumbar
        timeZone: Asia/Jakarta
        officeHours:
          monday: "07:00-15:00"
          tuesday: "07:30-16:00"
          wednesday: "07:30-16:00"
          thursday: "07:30-16:00"
          friday: "07:30 – 11:30"
          saturday: null
          sunday: tutup
        breaks:
          monday: "12:00-13:00"
          tuesday: "12:00-13:00"
          wednesday: tidak ada
          thursday: "12:00-12:30, 14:00-14:15"
          friday: tidak ada
        closures:
          - date: 2025-12-31
            name: Penutupan kantor akhir tahun
        reminderAt: 0.5
        escalationInterval: "2 Hari Kerja"
        headEscalationTo: Sekretaris
        roles:
          - name: Kepala Dinas
            head: true
          - name: Sekretaris
            supervisor: Kepala Dinas
          - name: Bidang
            supervisor: Sekretaris
          - name: Tim SAKIP
            supervisor: Sekretaris
        variables:
          unitKerja: [Sekretariat, Bidang Bina Marga]
          triwulan: 4
          kode: "4"
          aktif: true
          target: { nilai: 80.5, catatan: null }
        webhooks: []
        users:
          - username: erasukma
            name: Erasukma Munaf, ST, MMI
            roles: [Kepala Dinas]
            admin: true
            email: erasukma@binamarga.sumbarprov.example
          - username: fadli
            name: Fadli, SE
            roles: [Sekretaris]
          - username: budi
            name: Budi Santoso
            roles: [Bidang, Tim SAKIP]
        """;

    private const string Minimal = """
        name: Dinas Uji
        timeZone: Asia/Makassar
        officeHours: { monday: "07:30-16:00", tuesday: "07:30-16:00", wednesday: "07:30-16:00", thursday: "07:30-16:00", friday: "07:30-16:30", saturday: tutup, sunday: tutup }
        breaks: { monday: tidak ada, tuesday: tidak ada, wednesday: tidak ada, thursday: tidak ada, friday: tidak ada }
        reminderAt: 0.75
        escalationInterval: 1 Hari Kerja
        roles:
          - name: Kepala Dinas
            head: true
          - name: Sekretaris
            supervisor: Kepala Dinas
        users:
          - username: kadis
            name: Kepala Dinas Uji
            roles: [Kepala Dinas]
          - username: sekdis
            name: Sekretaris Uji
            roles: [Sekretaris]
        """;

    [Fact]
    public void Reads_a_complete_file()
    {
        var organization = OrganizationLoader.Parse(OfficeId, Sumbar);

        organization.OfficeId.Should().Be(OfficeId);
        organization.Name.Should().Be("Dinas Bina Marga, Cipta Karya dan Tata Ruang Provinsi Sumatera Barat");
        organization.ShortName.Should().Be("Dinas BMCKTR Sumbar");
        organization.TimeZoneId.Should().Be("Asia/Jakarta");
        organization.TimeZone.BaseUtcOffset.Should().Be(TimeSpan.FromHours(7));
        organization.Closures.Should().Equal(new OfficeClosure(new DateOnly(2025, 12, 31), "Penutupan kantor akhir tahun"));
        organization.ReminderAt.Should().Be(0.5);
        organization.EscalationInterval.Should().Be(new WaktuDuration(2, WaktuUnit.WorkingDay));
        organization.HeadEscalationTo.Should().Be("Sekretaris");
        organization.HeadRole.Should().Be("Kepala Dinas");
        organization.Roles.Should().Equal(
            new OrganizationRole("Kepala Dinas", null, true),
            new OrganizationRole("Sekretaris", "Kepala Dinas", false),
            new OrganizationRole("Bidang", "Sekretaris", false),
            new OrganizationRole("Tim SAKIP", "Sekretaris", false));
        organization.Users.Should().BeEquivalentTo(new[]
        {
            new OrganizationUser("erasukma", "Erasukma Munaf, ST, MMI", ["Kepala Dinas"], true, "erasukma@binamarga.sumbarprov.example"),
            new OrganizationUser("fadli", "Fadli, SE", ["Sekretaris"], false, null),
            new OrganizationUser("budi", "Budi Santoso", ["Bidang", "Tim SAKIP"], false, null),
        }, o => o.WithStrictOrdering());
        organization.Yaml.Should().Be(Sumbar);
        organization.Warnings.Should().BeEmpty();
    }

    [Fact]
    public void Leaves_out_optional_settings_at_their_defaults()
    {
        var organization = OrganizationLoader.Parse(OfficeId, Minimal);

        organization.ShortName.Should().Be("Dinas Uji");
        organization.HeadEscalationTo.Should().BeNull("the head's overdue steps then go to the office's admins");
        organization.Closures.Should().BeEmpty();
        organization.Variables.Should().BeEmpty();
    }

    [Theory]
    [InlineData(DayOfWeek.Monday, "07:00-15:00 (istirahat 12:00-13:00)")]
    [InlineData(DayOfWeek.Tuesday, "07:30-16:00 (istirahat 12:00-13:00)")]
    [InlineData(DayOfWeek.Wednesday, "07:30-16:00")]
    [InlineData(DayOfWeek.Thursday, "07:30-16:00 (istirahat 12:00-12:30, 14:00-14:15)")]
    [InlineData(DayOfWeek.Friday, "07:30-11:30")]
    [InlineData(DayOfWeek.Saturday, null)]
    [InlineData(DayOfWeek.Sunday, null)]
    public void Office_hours_and_breaks_are_read_day_by_day(DayOfWeek day, string? hours)
    {
        var officeHours = OrganizationLoader.Parse(OfficeId, Sumbar).OfficeHours;

        officeHours.For(day)?.ToString().Should().Be(hours);
        (officeHours.For(day) is null).Should().Be(hours is null);
    }

    [Fact]
    public void The_head_of_offices_step_escalates_to_the_named_role_or_else_to_the_admins()
    {
        var named = OrganizationLoader.Parse(OfficeId, Minimal + "\nheadEscalationTo: Sekretaris\n");
        var unnamed = OrganizationLoader.Parse(OfficeId, Minimal);

        named.EscalationChain("Kepala Dinas").Should().Equal("Sekretaris");
        unnamed.EscalationChain("Kepala Dinas").Should().Equal([null]);
        named.EscalationChain("Sekretaris").Should().Equal("Kepala Dinas");
    }

    [Theory]
    [InlineData("unitKerja", """["Sekretariat","Bidang Bina Marga"]""")]
    [InlineData("triwulan", "4")]
    [InlineData("kode", "\"4\"")]
    [InlineData("aktif", "true")]
    [InlineData("target", """{"nilai":80.5,"catatan":null}""")]
    public void Variables_keep_their_yaml_types(string name, string json)
    {
        var variables = OrganizationLoader.Parse(OfficeId, Sumbar).Variables;

        JsonSerializer.Serialize(variables[name]).Should().Be(json);
    }

    [Theory]
    [InlineData("Kepala Dinas")]
    [InlineData("Sekretaris", "Kepala Dinas")]
    [InlineData("Bidang", "Sekretaris", "Kepala Dinas")]
    [InlineData("Tim SAKIP", "Sekretaris", "Kepala Dinas")]
    public void The_supervisor_chain_climbs_to_the_head_of_office(string role, params string[] chain)
    {
        var organization = OrganizationLoader.Parse(OfficeId, Sumbar);

        organization.SupervisorChain(role).Should().Equal(chain);
    }

    [Fact]
    public void The_supervisor_chain_of_an_unknown_role_is_an_error()
    {
        var organization = OrganizationLoader.Parse(OfficeId, Sumbar);

        var act = () => organization.SupervisorChain("Bendahara");

        act.Should().Throw<KeyNotFoundException>().WithMessage("'Bendahara' is not a role of office dinas-bmcktr-sumbar.");
    }

    [Fact]
    public void A_role_nobody_holds_is_a_warning()
    {
        var organization = OrganizationLoader.Parse(OfficeId, Minimal.Replace("roles: [Sekretaris]", "roles: [Kepala Dinas]", StringComparison.Ordinal));

        organization.Warnings.Should().Equal("role 'Sekretaris' has no user.");
    }

    public static TheoryData<string, string> InvalidFiles() => new()
    {
        { Minimal.Replace("Asia/Makassar", "Asia/Makasar", StringComparison.Ordinal), "timeZone 'Asia/Makasar' is not a known time zone; use an IANA name such as Asia/Jakarta (WIB), Asia/Makassar (WITA) or Asia/Jayapura (WIT)." },
        { Minimal.Replace("timeZone: Asia/Makassar\n", "", StringComparison.Ordinal), "timeZone is required, e.g. Asia/Jakarta (WIB), Asia/Makassar (WITA) or Asia/Jayapura (WIT)." },
        { Minimal.Replace("name: Dinas Uji\n", "", StringComparison.Ordinal), "name is required." },
        { Minimal.Replace("supervisor: Kepala Dinas", "supervisor: Kepala Kantor", StringComparison.Ordinal), "role 'Sekretaris' has supervisor 'Kepala Kantor', which is not a role of this office." },
        { Minimal.Replace("    supervisor: Kepala Dinas\n", "", StringComparison.Ordinal), "role 'Sekretaris' has no supervisor; every role except the head of office needs one." },
        { Minimal.Replace("    head: true\n", "", StringComparison.Ordinal), "no role is the head of office; mark exactly one role with head: true." },
        { Minimal.Replace("    supervisor: Kepala Dinas\n", "    head: true\n", StringComparison.Ordinal), "several roles are marked head: Kepala Dinas, Sekretaris; exactly one role is the head of office." },
        { Minimal.Replace("    head: true\n", "    head: true\n    supervisor: Sekretaris\n", StringComparison.Ordinal), "role 'Kepala Dinas' is the head of office and cannot have a supervisor." },
        { CycleFile, "the supervisor chain has a cycle: Bidang → Seksi → Bidang." },
        { Minimal.Replace("roles: [Sekretaris]", "roles: [Sekretaris, Bendahara]", StringComparison.Ordinal), "user 'sekdis' has role 'Bendahara', which is not a role of this office." },
        { Minimal.Replace("roles: [Sekretaris]", "roles: []", StringComparison.Ordinal), "user 'sekdis' has no roles." },
        { Minimal.Replace("username: sekdis", "username: kadis", StringComparison.Ordinal), "username 'kadis' is listed twice." },
        { Minimal.Replace("username: sekdis", "username: Sek Dis", StringComparison.Ordinal), "username 'Sek Dis' may contain only lower-case letters, digits, '.', '_' and '-', starting with a letter or digit." },
        { Minimal.Replace("monday: \"07:30-16:00\"", "monday: 7.30 sampai 16", StringComparison.Ordinal), "officeHours/breaks: Senin: Jam kantor \"7.30 sampai 16\" tidak dapat dibaca; tulis jam buka dan jam tutup, misalnya \"07:30-16:00\"." },
        { Minimal.Replace("friday: \"07:30-16:30\"", "friday: \"16:30-07:30\"", StringComparison.Ordinal), "officeHours/breaks: Jumat: Jam kantor \"16:30-07:30\": jam tutup harus sesudah jam buka." },
        { Minimal.Replace("sunday: tutup", "pekan: tutup", StringComparison.Ordinal), "officeHours does not name sunday; write every day, \"tutup\" for a closed one." },
        { Minimal.Replace(" friday: tidak ada }", " friday: \"11:00-12:00, 11:30-13:00\" }", StringComparison.Ordinal), "officeHours/breaks: Jumat: Jam istirahat \"11:00-12:00, 11:30-13:00\": istirahat 11:30-13:00 harus di dalam jam kantor 07:30-16:30, sesudah istirahat sebelumnya." },
        { Minimal.Replace(", friday: tidak ada }", " }", StringComparison.Ordinal), "breaks does not name friday; write each open day's breaks, or \"tidak ada\"." },
        { Minimal.Replace("officeHours: { monday: \"07:30-16:00\", tuesday: \"07:30-16:00\", wednesday: \"07:30-16:00\", thursday: \"07:30-16:00\", friday: \"07:30-16:30\", saturday: tutup, sunday: tutup }\n", "", StringComparison.Ordinal), "officeHours is required: write every day monday … sunday, e.g. monday: 07:30-16:00, saturday: tutup." },
        { Minimal.Replace("breaks: { monday: tidak ada, tuesday: tidak ada, wednesday: tidak ada, thursday: tidak ada, friday: tidak ada }\n", "", StringComparison.Ordinal), "breaks is required: write every open day's breaks, e.g. monday: 12:00-13:00, or monday: tidak ada." },
        { Minimal.Replace("reminderAt: 0.75\n", "", StringComparison.Ordinal), "reminderAt is required: the share of a step's allowed working time after which its assignees are reminded, e.g. 0.75." },
        { Minimal.Replace("escalationInterval: 1 Hari Kerja", "escalationInterval: sesekali", StringComparison.Ordinal), "escalationInterval: Waktu \"sesekali\" tidak dapat dibaca*" },
        { Minimal.Replace("escalationInterval: 1 Hari Kerja", "escalationInterval: 1 - 2 Hari Kerja", StringComparison.Ordinal), "escalationInterval \"1 - 2 Hari Kerja\" must be one Waktu longer than zero, not a range." },
        { Minimal + "\nheadEscalationTo: Bendahara\n", "headEscalationTo 'Bendahara' is not a role of this office." },
        { Minimal + "\nheadEscalationTo: Kepala Dinas\n", "headEscalationTo 'Kepala Dinas' is the head of office itself; name the role that follows up the head's overdue steps, e.g. the Sekretaris." },
        { Minimal + "\nclosures:\n  - date: 2025-02-30\n    name: Tidak ada\n", "closures[0].date '2025-02-30' is not a date like 2025-12-31." },
        { Minimal.Replace("reminderAt: 0.75", "reminderAt: 1.5", StringComparison.Ordinal), "reminderAt 1.5 must be greater than 0 and less than 1 (a share of the allowed time)." },
        { Minimal + "\nvariables: [a, b]\n", "variables must be a mapping of variable names to values." },
        { Minimal.Replace("    supervisor: Kepala Dinas", "    supervsior: Kepala Dinas", StringComparison.Ordinal), "line 11: unknown key 'supervsior'." },
        { Minimal.Replace("reminderAt: 0.75", "reminderAt: sebagian", StringComparison.Ordinal), "line 5: *sebagian*" },
        { "", "the file is empty." },
    };

    [Theory]
    [MemberData(nameof(InvalidFiles))]
    public void An_invalid_file_is_refused_with_a_clear_message(string yaml, string message)
    {
        var act = () => OrganizationLoader.Parse("dinas-uji", yaml);

        act.Should().Throw<OrganizationFileException>()
            .Which.Problems.Should().ContainMatch($"dinas-uji/organization.yaml: {message}");
    }

    [Fact]
    public void Every_problem_of_a_file_is_reported_at_once()
    {
        var yaml = Minimal
            .Replace("Asia/Makassar", "WITA", StringComparison.Ordinal)
            .Replace("roles: [Sekretaris]", "roles: [Bendahara]", StringComparison.Ordinal);

        var act = () => OrganizationLoader.Parse("dinas-uji", yaml);

        act.Should().Throw<OrganizationFileException>().Which.Problems.Should().HaveCount(2);
    }

    [Fact]
    public void Loads_every_office_folder_and_skips_folders_without_an_organization()
    {
        using var workflows = new TempFolder();
        workflows.Write("dinas-bmcktr-sumbar/organization.yaml", Sumbar);
        workflows.Write("dinas-uji/organization.yaml", Minimal);
        workflows.Write("calendars/2025.yaml", "holidays: []");

        var organizations = OrganizationLoader.LoadAll(workflows.Path);

        organizations.Select(o => o.OfficeId).Should().Equal("dinas-bmcktr-sumbar", "dinas-uji");
    }

    [Fact]
    public void A_username_used_by_two_offices_is_refused()
    {
        using var workflows = new TempFolder();
        workflows.Write("dinas-a/organization.yaml", Minimal);
        workflows.Write("dinas-b/organization.yaml", Minimal);

        var act = () => OrganizationLoader.LoadAll(workflows.Path);

        act.Should().Throw<OrganizationFileException>().Which.Problems.Should().Equal(
            "username 'kadis' is used in offices dinas-a and dinas-b; usernames must be unique across offices.",
            "username 'sekdis' is used in offices dinas-a and dinas-b; usernames must be unique across offices.");
    }

    private const string CycleFile = """
        name: Dinas Uji
        timeZone: Asia/Jayapura
        officeHours: { monday: "07:30-16:00", tuesday: "07:30-16:00", wednesday: "07:30-16:00", thursday: "07:30-16:00", friday: "07:30-16:30", saturday: tutup, sunday: tutup }
        breaks: { monday: tidak ada, tuesday: tidak ada, wednesday: tidak ada, thursday: tidak ada, friday: tidak ada }
        reminderAt: 0.75
        escalationInterval: 1 Hari Kerja
        roles:
          - name: Kepala Dinas
            head: true
          - name: Bidang
            supervisor: Seksi
          - name: Seksi
            supervisor: Bidang
        users:
          - username: kadis
            name: Kepala
            roles: [Kepala Dinas, Bidang, Seksi]
        """;
}
