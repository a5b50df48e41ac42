using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using KinerjaWorkflow.Server.Tests.Infrastructure;
using KinerjaWorkflow.Server.Tests.Tasks;

namespace KinerjaWorkflow.Server.Tests.Users;

public sealed class UserAdministrationTests(InboxFixture inbox) : IClassFixture<InboxFixture>
{
    private const string Password = "Sandi-Uji-2025";

    private KinerjaServer Server => inbox.Server;

    [Fact]
    public async Task An_admin_creates_a_user_who_signs_in_with_the_roles_given_and_the_change_is_audited()
    {
        var kepala = await inbox.As(Inbox.Kepala);

        var created = await kepala.PostAsJsonAsync("/api/users", new
        {
            username = "Pelaksana.Tiga",
            name = "Pelaksana Tiga, S.E.",
            email = "tiga@kantor.example",
            password = Password,
            roles = new[] { "Pelaksana" },
        }).OkJsonAsync(HttpStatusCode.Created);

        created.GetProperty("username").GetString().Should().Be("pelaksana.tiga");
        created.GetProperty("office").GetString().Should().Be("kantor-uji-inbox");
        var tiga = await SignInAsync("pelaksana.tiga", Password);
        var me = await tiga.GetAsync("/api/auth/me").OkJsonAsync();
        me.GetProperty("roles").EnumerateArray().Select(r => r.GetString()).Should().Equal("Pelaksana");
        var (_, siapkan) = await tiga.NewSiapkanAsync("pengguna-baru");
        await tiga.CompleteAsync(siapkan);
        (await kepala.GetAsync("/api/users").OkJsonAsync()).EnumerateArray().Select(u => u.GetProperty("username").GetString())
            .Should().Contain("pelaksana.tiga").And.NotContain(Inbox.Outsider);
        var audit = await kepala.GetAsync("/api/users/audit").OkJsonAsync();
        var entry = audit.EnumerateArray().First(a => a.GetProperty("target").GetString() == "pelaksana.tiga");
        entry.GetProperty("action").GetString().Should().Be("user-created");
        entry.GetProperty("user").GetString().Should().Be(Inbox.Kepala);
    }

    [Theory]
    [InlineData("{\"name\":\"X\",\"password\":\"Sandi-Uji-2025\",\"roles\":[]}", HttpStatusCode.UnprocessableEntity)]
    [InlineData("{\"username\":\"Bukan Sah!\",\"name\":\"X\",\"password\":\"Sandi-Uji-2025\",\"roles\":[]}", HttpStatusCode.UnprocessableEntity)]
    [InlineData("{\"username\":\"calon.satu\",\"password\":\"Sandi-Uji-2025\",\"roles\":[]}", HttpStatusCode.UnprocessableEntity)]
    [InlineData("{\"username\":\"calon.dua\",\"name\":\"X\",\"password\":\"pendek\",\"roles\":[]}", HttpStatusCode.UnprocessableEntity)]
    [InlineData("{\"username\":\"calon.tiga\",\"name\":\"X\",\"password\":\"Sandi-Uji-2025\",\"roles\":[\"Staf\"]}", HttpStatusCode.UnprocessableEntity)]
    [InlineData("{\"username\":\"calon.empat\",\"name\":\"X\",\"email\":\"bukan-email\",\"password\":\"Sandi-Uji-2025\"}", HttpStatusCode.UnprocessableEntity)]
    [InlineData("{\"username\":\"staf.uji\",\"name\":\"X\",\"password\":\"Sandi-Uji-2025\",\"roles\":[]}", HttpStatusCode.Conflict)]
    [InlineData("{\"username\":\"calon.lima\",\"name\":\"X\",\"password\":\"Sandi-Uji-2025\",\"roles\":\"Pelaksana\"}", HttpStatusCode.BadRequest)]
    [InlineData("{\"username\":\"calon.enam\",\"name\":\"X\",\"password\":\"Sandi-Uji-2025\",\"isAdmin\":\"ya\"}", HttpStatusCode.BadRequest)]
    public async Task A_bad_new_user_is_a_problem_and_creates_nothing(string body, HttpStatusCode expected)
    {
        var kepala = await inbox.As(Inbox.Kepala);
        var before = (await kepala.GetAsync("/api/users").OkJsonAsync()).GetRawText();
        var auditBefore = (await kepala.GetAsync("/api/users/audit").OkJsonAsync()).GetRawText();

        using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        await kepala.PostAsync("/api/users", content).ProblemAsync(expected);

        (await kepala.GetAsync("/api/users").OkJsonAsync()).GetRawText().Should().Be(before);
        (await kepala.GetAsync("/api/users/audit").OkJsonAsync()).GetRawText().Should().Be(auditBefore);
    }

    [Theory]
    [InlineData("GET", "/api/users", null)]
    [InlineData("GET", "/api/users/audit", null)]
    [InlineData("GET", "/api/users/pelaksana.dua", null)]
    [InlineData("POST", "/api/users", "{\"username\":\"penyusup\",\"name\":\"X\",\"password\":\"Sandi-Uji-2025\",\"roles\":[\"Kepala\"],\"isAdmin\":true}")]
    [InlineData("PUT", "/api/users/pelaksana.dua/roles", "{\"roles\":[\"Kepala\"],\"isAdmin\":true}")]
    [InlineData("POST", "/api/users/pelaksana.dua/password", "{\"password\":\"Sandi-Baru-2025\"}")]
    [InlineData("POST", "/api/users/pelaksana.dua/disable", null)]
    public async Task Only_an_admin_of_the_office_manages_its_users(string method, string path, string? body)
    {
        var before = (await (await inbox.As(Inbox.Kepala)).GetAsync("/api/users").OkJsonAsync()).GetRawText();

        await Send(await inbox.As(Inbox.Kasubbag), method, path, body).ProblemAsync(HttpStatusCode.Forbidden);
        var otherAdmin = await inbox.As("kepala.uji");
        if (path.Contains("pelaksana.dua", StringComparison.Ordinal))
        {
            await Send(otherAdmin, method, path, body).ProblemAsync(HttpStatusCode.NotFound);
        }

        (await (await inbox.As(Inbox.Kepala)).GetAsync("/api/users").OkJsonAsync()).GetRawText().Should().Be(before);
        (await SignInAsync(Inbox.PelaksanaDua, KinerjaServer.DemoPassword)).Should().NotBeNull();
    }

    [Theory]
    [InlineData(KinerjaServer.DemoPassword)]
    [InlineData("kinerja2025")]
    public async Task The_demo_password_is_refused_for_a_new_user_and_as_a_new_password(string demoPassword)
    {
        var kepala = await inbox.As(Inbox.Kepala);
        var before = (await kepala.GetAsync("/api/users").OkJsonAsync()).GetRawText();

        var created = await kepala.PostAsJsonAsync("/api/users", new { username = "calon.demo", name = "Calon Demo", password = demoPassword, roles = Array.Empty<string>() })
            .ProblemAsync(HttpStatusCode.UnprocessableEntity);
        var set = await kepala.PostAsJsonAsync($"/api/users/{Inbox.PelaksanaDua}/password", new { password = demoPassword })
            .ProblemAsync(HttpStatusCode.UnprocessableEntity);

        created.GetProperty("detail").GetString().Should().Contain("Kata sandi demo");
        set.GetProperty("detail").GetString().Should().Contain("Kata sandi demo");
        (await kepala.GetAsync("/api/users").OkJsonAsync()).GetRawText().Should().Be(before);
    }

    [Fact]
    public async Task New_roles_count_at_once_even_for_a_token_issued_before_the_change()
    {
        var kepala = await inbox.As(Inbox.Kepala);
        await CreateAsync("calon.kasubbag", ["Pelaksana"]);
        var calon = await SignInAsync("calon.kasubbag", Password);
        var (_, verifikasi) = await Inbox.NewVerifikasiAsync(inbox, "peran-baru");
        await calon.PostAsync($"/api/tasks/{verifikasi}/claim", null).ProblemAsync(HttpStatusCode.Forbidden);

        var changed = await kepala.PutAsJsonAsync("/api/users/calon.kasubbag/roles", new { roles = new[] { "Kasubbag" } }).OkJsonAsync();

        changed.GetProperty("roles").EnumerateArray().Select(r => r.GetString()).Should().Equal("Kasubbag");
        await calon.PostAsync($"/api/tasks/{verifikasi}/claim", null).OkJsonAsync();
        (await calon.GetAsync("/api/tasks?role=Pelaksana").StatusOfAsync()).Should().Be(HttpStatusCode.OK, "Kasubbag supervises Pelaksana");
        var audit = await kepala.GetAsync("/api/users/audit").OkJsonAsync();
        audit.EnumerateArray().First().GetProperty("detail").GetString().Should().Be("peran: Pelaksana → Kasubbag; admin: tidak → tidak");
    }

    [Fact]
    public async Task A_completion_names_whoever_did_the_step_before_with_the_roles_an_admin_just_gave_them()
    {
        var kepala = await inbox.As(Inbox.Kepala);
        var kasubbag = await inbox.As(Inbox.Kasubbag);
        await CreateAsync("penyusun.spj", ["Pelaksana"]);
        var penyusun = await SignInAsync("penyusun.spj", Password);

        async Task<string?> StepBeforeNamedAsync(string businessKey)
        {
            var (instance, siapkan) = await penyusun.NewSiapkanAsync(businessKey);
            await penyusun.CompleteAsync(siapkan);
            var verifikasi = await kasubbag.CompleteAsync(await kasubbag.OpenTaskAsync(instance, "Verifikasi"), "setuju");
            return verifikasi.GetProperty("previous").GetProperty("completedByName").GetString();
        }

        (await StepBeforeNamedAsync("nama-kini-1")).Should().Be("penyusun.spj (Pelaksana)");
        (await StepBeforeNamedAsync("nama-kini-2")).Should().Be("penyusun.spj (Pelaksana)");
        await kepala.PutAsJsonAsync("/api/users/penyusun.spj/roles", new { roles = new[] { "Pelaksana", "Bendahara" } }).OkJsonAsync();

        (await StepBeforeNamedAsync("nama-kini-3")).Should().Be("penyusun.spj (Bendahara, Pelaksana)");
    }

    [Fact]
    public async Task A_disabled_user_can_neither_sign_in_nor_use_a_token_they_had_and_signs_in_again_once_enabled()
    {
        var kepala = await inbox.As(Inbox.Kepala);
        await CreateAsync("calon.nonaktif", ["Pelaksana"]);
        var calon = await SignInAsync("calon.nonaktif", Password);

        var disabled = await kepala.PostAsync("/api/users/calon.nonaktif/disable", null).OkJsonAsync();

        disabled.GetProperty("isDisabled").GetBoolean().Should().BeTrue();
        (await calon.GetAsync("/api/tasks").StatusOfAsync()).Should().Be(HttpStatusCode.Unauthorized);
        using var anonymous = Server.CreateClient();
        await anonymous.PostAsJsonAsync("/api/auth/token", new { username = "calon.nonaktif", password = Password }).ProblemAsync(HttpStatusCode.Forbidden);
        await kepala.PostAsync("/api/users/calon.nonaktif/enable", null).OkJsonAsync();
        (await calon.GetAsync("/api/tasks").StatusOfAsync()).Should().Be(HttpStatusCode.Unauthorized, "disabling ended the session for good");
        var again = await SignInAsync("calon.nonaktif", Password);
        (await again.GetAsync("/api/tasks").StatusOfAsync()).Should().Be(HttpStatusCode.OK);
        var actions = (await kepala.GetAsync("/api/users/audit").OkJsonAsync()).EnumerateArray()
            .Where(a => a.GetProperty("target").GetString() == "calon.nonaktif").Select(a => a.GetProperty("action").GetString());
        actions.Should().Equal("user-enabled", "user-disabled", "user-created");
    }

    [Fact]
    public async Task A_new_password_replaces_the_old_one_and_lifts_a_lockout()
    {
        var kepala = await inbox.As(Inbox.Kepala);
        await CreateAsync("calon.sandi", ["Pelaksana"]);
        using var anonymous = Server.CreateClient();
        for (var attempt = 0; attempt < 5; attempt++)
        {
            (await anonymous.PostAsJsonAsync("/api/auth/token", new { username = "calon.sandi", password = "salah-salah" }).StatusOfAsync())
                .Should().Be(HttpStatusCode.Unauthorized);
        }

        await anonymous.PostAsJsonAsync("/api/auth/token", new { username = "calon.sandi", password = Password }).ProblemAsync(HttpStatusCode.Unauthorized);

        var set = await kepala.PostAsJsonAsync("/api/users/calon.sandi/password", new { password = "Sandi-Baru-2025" }).OkJsonAsync();

        set.GetProperty("lockedUntil").ValueKind.Should().Be(JsonValueKind.Null);
        (await anonymous.PostAsJsonAsync("/api/auth/token", new { username = "calon.sandi", password = Password }).StatusOfAsync())
            .Should().Be(HttpStatusCode.Unauthorized);
        (await SignInAsync("calon.sandi", "Sandi-Baru-2025")).Should().NotBeNull();
        var audit = await kepala.GetAsync("/api/users/audit").OkJsonAsync();
        var entry = audit.EnumerateArray().First(a => a.GetProperty("target").GetString() == "calon.sandi");
        entry.GetProperty("action").GetString().Should().Be("password-set");
        entry.GetRawText().Should().NotContain("Sandi-Baru-2025");
    }

    [Theory]
    [InlineData("/api/users/kepala.inbox/disable", null)]
    [InlineData("/api/users/kepala.inbox/roles", "{\"roles\":[\"Kepala\"],\"isAdmin\":false}")]
    public async Task An_admin_cannot_lock_themselves_out(string path, string? body)
    {
        var kepala = await inbox.As(Inbox.Kepala);

        await Send(kepala, body is null ? "POST" : "PUT", path, body).ProblemAsync(HttpStatusCode.UnprocessableEntity);

        var me = await kepala.GetAsync("/api/users/kepala.inbox").OkJsonAsync();
        me.GetProperty("isAdmin").GetBoolean().Should().BeTrue();
        me.GetProperty("isDisabled").GetBoolean().Should().BeFalse();
    }

    [Theory]
    [InlineData("{\"roles\":[\"Bukan Peran\"]}", HttpStatusCode.UnprocessableEntity)]
    [InlineData("{}", HttpStatusCode.UnprocessableEntity)]
    [InlineData("{\"roles\":[\"Pelaksana\"],\"isAdmin\":1}", HttpStatusCode.BadRequest)]
    public async Task Bad_roles_are_a_problem_and_change_nothing(string body, HttpStatusCode expected)
    {
        var kepala = await inbox.As(Inbox.Kepala);
        var before = (await kepala.GetAsync("/api/users/pelaksana.dua").OkJsonAsync()).GetRawText();

        await Send(kepala, "PUT", "/api/users/pelaksana.dua/roles", body).ProblemAsync(expected);

        (await kepala.GetAsync("/api/users/pelaksana.dua").OkJsonAsync()).GetRawText().Should().Be(before);
    }

    private async Task CreateAsync(string userName, string[] roles) =>
        await (await inbox.As(Inbox.Kepala)).PostAsJsonAsync("/api/users", new { username = userName, name = userName, password = Password, roles })
            .OkJsonAsync(HttpStatusCode.Created);

    private async Task<HttpClient> SignInAsync(string userName, string password)
    {
        var client = Server.CreateClient();
        var token = await client.PostAsJsonAsync("/api/auth/token", new { username = userName, password }).OkJsonAsync();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.GetProperty("token").GetString());
        return client;
    }

    private static Task<HttpResponseMessage> Send(HttpClient client, string method, string path, string? body)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null)
        {
            request.Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        }

        return client.SendAsync(request);
    }
}
