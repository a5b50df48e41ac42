using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using KinerjaWorkflow.Server.Identity;
using KinerjaWorkflow.Server.Persistence;
using KinerjaWorkflow.Server.Tests.Infrastructure;
using KinerjaWorkflow.Server.Tests.Tasks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SseReader = KinerjaWorkflow.Server.Tests.Notifications.SseReader;

namespace KinerjaWorkflow.Server.Tests.Security;

/// <summary>
/// Failed sign-ins and lockout (issue 15, item 4) and sessions that end on the server (item 5). Every test works
/// on users of its own, created by the office admin, so they share one server.
/// </summary>
public sealed class SignInAndSessionTests(SharedServer shared) : IClassFixture<SharedServer>
{
    private const string Password = "Sandi-Uji-2025";

    private KinerjaServer Server => shared.Server;

    [Fact]
    public async Task Parallel_failures_are_all_counted()
    {
        await CreateAsync("hitung.paralel");
        using var anonymous = Server.CreateClient();

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => anonymous.PostAsJsonAsync("/api/auth/token", new { username = "hitung.paralel", password = "salah-sekali" })));

        (await StoredAsync("hitung.paralel")).FailedLogins.Should().Be(4);
    }

    [Fact]
    public async Task Twelve_parallel_guesses_lock_the_account_once_after_five_tries()
    {
        await CreateAsync("tebak.paralel");
        using var anonymous = Server.CreateClient();

        var answers = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ =>
            anonymous.PostAsJsonAsync("/api/auth/token", new { username = "tebak.paralel", password = "salah-sekali" })));

        answers.Select(a => a.StatusCode).Should().AllBeEquivalentTo(HttpStatusCode.Unauthorized);
        var stored = await StoredAsync("tebak.paralel");
        stored.Lockouts.Should().Be(1, "only the fifth counted try locks; the others found the account locked");
        stored.FailedLogins.Should().Be(0);
        stored.LockedUntil.Should().BeAfter(Server.Clock.GetUtcNow()).And.BeOnOrBefore(Server.Clock.GetUtcNow() + TimeSpan.FromMinutes(1));
    }

    [Fact]
    public async Task An_unknown_user_a_wrong_password_and_a_locked_account_get_the_same_answer()
    {
        await CreateAsync("terkunci.sama");
        using var anonymous = Server.CreateClient();
        var unknown = await anonymous.PostAsJsonAsync("/api/auth/token", new { username = "tidak.ada.sama", password = Password }).ProblemAsync(HttpStatusCode.Unauthorized);
        var wrong = await anonymous.PostAsJsonAsync("/api/auth/token", new { username = "terkunci.sama", password = "salah-sekali" }).ProblemAsync(HttpStatusCode.Unauthorized);
        for (var attempt = 2; attempt <= 5; attempt++)
        {
            (await anonymous.PostAsJsonAsync("/api/auth/token", new { username = "terkunci.sama", password = "salah-sekali" })).Dispose();
        }

        var locked = await anonymous.PostAsJsonAsync("/api/auth/token", new { username = "terkunci.sama", password = Password }).ProblemAsync(HttpStatusCode.Unauthorized);

        foreach (var answer in new[] { wrong, locked })
        {
            answer.GetProperty("title").GetString().Should().Be(unknown.GetProperty("title").GetString());
            answer.GetProperty("detail").GetString().Should().Be(IdentityEndpoints.InvalidCredentialsMessage);
        }
    }

    [Fact]
    public async Task An_unknown_user_a_wrong_password_and_a_locked_account_each_take_at_least_the_refusal_time()
    {
        await CreateAsync("terkunci.lama");
        using var anonymous = Server.CreateClient();
        var floor = Server.Services.GetRequiredService<IOptions<KinerjaIdentityOptions>>().Value.RefusedSignInAnswerTime;
        floor.Should().BePositive("the default floor is on in every environment");

        var unknown = await TimedAsync(anonymous, "tidak.ada.lama", Password);
        var wrong = await TimedAsync(anonymous, "terkunci.lama", "salah-sekali");
        for (var attempt = 2; attempt <= 5; attempt++)
        {
            await TimedAsync(anonymous, "terkunci.lama", "salah-sekali");
        }

        var locked = await TimedAsync(anonymous, "terkunci.lama", Password);

        // A timer counts whole milliseconds of the system tick, so a wait may end up to a tick before a stopwatch says.
        var tick = TimeSpan.FromMilliseconds(16);
        new[] { unknown, wrong, locked }.Should().OnlyContain(t => t >= floor - tick, "a refusal that writes nothing waits as long as one that does");
    }

    [Fact]
    public async Task A_locked_admin_is_unlocked_by_another_admin_at_once()
    {
        await CreateAsync("admin.kedua", isAdmin: true);
        using var anonymous = Server.CreateClient();
        for (var attempt = 1; attempt <= 5; attempt++)
        {
            (await anonymous.PostAsJsonAsync("/api/auth/token", new { username = "admin.kedua", password = "salah-sekali" })).Dispose();
        }

        (await anonymous.PostAsJsonAsync("/api/auth/token", new { username = "admin.kedua", password = Password }).StatusOfAsync()).Should().Be(HttpStatusCode.Unauthorized);
        var kepala = await Server.SignInAsync("kepala.uji");
        var staf = await Server.SignInAsync("staf.uji");

        await staf.PostAsync("/api/users/admin.kedua/unlock", null).ProblemAsync(HttpStatusCode.Forbidden);
        var unlocked = await kepala.PostAsync("/api/users/admin.kedua/unlock", null).OkJsonAsync();

        unlocked.GetProperty("lockedUntil").ValueKind.Should().Be(System.Text.Json.JsonValueKind.Null);
        (await anonymous.PostAsJsonAsync("/api/auth/token", new { username = "admin.kedua", password = Password }).StatusOfAsync()).Should().Be(HttpStatusCode.OK);
        var audit = await kepala.GetAsync("/api/users/audit").OkJsonAsync();
        audit.EnumerateArray().First(a => a.GetProperty("target").GetString() == "admin.kedua").GetProperty("action").GetString().Should().Be("user-unlocked");
    }

    [Fact]
    public async Task A_stranger_locking_an_admin_out_does_not_keep_out_the_browser_the_admin_signed_in_from_before()
    {
        await CreateAsync("admin.dikunci", isAdmin: true);
        using var browser = Server.CreateClient();
        (await browser.PostAsJsonAsync("/api/auth/token", new { username = "admin.dikunci", password = Password }).StatusOfAsync()).Should().Be(HttpStatusCode.OK);
        using var stranger = Server.CreateClient();
        for (var attempt = 1; attempt <= 6; attempt++)
        {
            (await stranger.PostAsJsonAsync("/api/auth/token", new { username = "admin.dikunci", password = "salah-sekali" })).Dispose();
        }

        var strangerWithThePassword = await stranger.PostAsJsonAsync("/api/auth/token", new { username = "admin.dikunci", password = Password });
        var admin = await browser.PostAsJsonAsync("/api/auth/token", new { username = "admin.dikunci", password = Password });

        strangerWithThePassword.StatusCode.Should().Be(HttpStatusCode.Unauthorized, "the lock holds for every client that never signed in to the account");
        admin.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_known_device_gets_five_wrong_guesses_of_its_own_then_counts_towards_the_lock_as_any_client()
    {
        await CreateAsync("perangkat.tebak");
        using var browser = Server.CreateClient();
        (await browser.PostAsJsonAsync("/api/auth/token", new { username = "perangkat.tebak", password = Password }).StatusOfAsync()).Should().Be(HttpStatusCode.OK);
        for (var attempt = 1; attempt <= 5; attempt++)
        {
            (await browser.PostAsJsonAsync("/api/auth/token", new { username = "perangkat.tebak", password = "salah-sekali" }).StatusOfAsync())
                .Should().Be(HttpStatusCode.Unauthorized);
        }

        var failuresOnTheDevice = (await StoredAsync("perangkat.tebak")).FailedLogins;
        (await browser.PostAsJsonAsync("/api/auth/token", new { username = "perangkat.tebak", password = "salah-sekali" })).Dispose();

        failuresOnTheDevice.Should().Be(0);
        (await StoredAsync("perangkat.tebak")).FailedLogins.Should().Be(1);
    }

    [Fact]
    public async Task A_cookie_replayed_after_sign_out_is_refused()
    {
        await CreateAsync("keluar.cookie");
        using var browser = Server.CreateClient();
        using var signIn = await browser.PostAsJsonAsync("/api/auth/cookie", new { username = "keluar.cookie", password = Password });
        var cookie = signIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(KinerjaAuthentication.CookieName, StringComparison.Ordinal)).Split(';')[0];
        using var replay = Server.CreateClient();
        replay.DefaultRequestHeaders.Add("Cookie", cookie);
        (await replay.GetAsync("/api/auth/me").StatusOfAsync()).Should().Be(HttpStatusCode.OK);

        (await browser.PostAsync("/api/auth/logout", null).StatusOfAsync()).Should().Be(HttpStatusCode.NoContent);

        (await replay.GetAsync("/api/auth/me").StatusOfAsync()).Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_bearer_token_ends_at_sign_out_and_other_sessions_go_on()
    {
        await CreateAsync("keluar.token");
        var first = await SignInAsync("keluar.token");
        var second = await SignInAsync("keluar.token");

        (await first.PostAsync("/api/auth/logout", null).StatusOfAsync()).Should().Be(HttpStatusCode.NoContent);

        (await first.GetAsync("/api/auth/me").StatusOfAsync()).Should().Be(HttpStatusCode.Unauthorized);
        (await second.GetAsync("/api/auth/me").StatusOfAsync()).Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Disabling_a_user_ends_their_sessions_and_closes_their_open_stream()
    {
        await CreateAsync("nonaktif.aliran");
        var user = await SignInAsync("nonaktif.aliran");
        using var response = await user.GetAsync("/api/notifications/stream", HttpCompletionOption.ResponseHeadersRead);
        using var stream = new SseReader(await response.Content.ReadAsStreamAsync());
        (await stream.NextCommentAsync()).Should().Be("terhubung");
        var kepala = await Server.SignInAsync("kepala.uji");

        await kepala.PostAsync("/api/users/nonaktif.aliran/disable", null).OkJsonAsync();

        await FluentActions.Awaiting(() => stream.NextEventAsync()).Should().ThrowAsync<EndOfStreamException>();
        (await user.GetAsync("/api/auth/me").StatusOfAsync()).Should().Be(HttpStatusCode.Unauthorized);
        (await user.GetAsync("/api/notifications/stream").StatusOfAsync()).Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_new_password_set_by_an_admin_ends_the_users_sessions()
    {
        await CreateAsync("sandi.baru");
        var user = await SignInAsync("sandi.baru");
        var kepala = await Server.SignInAsync("kepala.uji");

        await kepala.PostAsJsonAsync("/api/users/sandi.baru/password", new { password = "Sandi-Lain-2025" }).OkJsonAsync();

        (await user.GetAsync("/api/auth/me").StatusOfAsync()).Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task An_admin_setting_their_own_password_ends_their_other_sessions_and_keeps_this_one()
    {
        await CreateAsync("admin.sandi", isAdmin: true);
        var here = await SignInAsync("admin.sandi");
        var elsewhere = await SignInAsync("admin.sandi");

        await here.PostAsJsonAsync("/api/users/admin.sandi/password", new { password = "Sandi-Lain-2025" }).OkJsonAsync();

        (await elsewhere.GetAsync("/api/auth/me").StatusOfAsync()).Should().Be(HttpStatusCode.Unauthorized, "a session someone may have taken ends");
        (await here.GetAsync("/api/auth/me").StatusOfAsync()).Should().Be(HttpStatusCode.OK);
    }

    private async Task CreateAsync(string userName, bool isAdmin = false)
    {
        var kepala = await Server.SignInAsync("kepala.uji");
        await kepala.PostAsJsonAsync("/api/users", new { username = userName, name = userName, password = Password, roles = new[] { "Staf" }, isAdmin })
            .OkJsonAsync(HttpStatusCode.Created);
    }

    private async Task<HttpClient> SignInAsync(string userName)
    {
        var client = Server.CreateClient();
        var token = await client.PostAsJsonAsync("/api/auth/token", new { username = userName, password = Password }).OkJsonAsync();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.GetProperty("token").GetString());
        return client;
    }

    private async Task<UserRecord> StoredAsync(string userName)
    {
        await using var db = await Server.Services.GetRequiredService<IDbContextFactory<KinerjaDbContext>>().CreateDbContextAsync();
        return await db.Users.AsNoTracking().SingleAsync(u => u.UserName == userName);
    }

    private static async Task<TimeSpan> TimedAsync(HttpClient client, string userName, string password)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        (await client.PostAsJsonAsync("/api/auth/token", new { username = userName, password }).StatusOfAsync()).Should().Be(HttpStatusCode.Unauthorized);
        return System.Diagnostics.Stopwatch.GetElapsedTime(started);
    }
}
