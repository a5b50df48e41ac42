using KinerjaWorkflow.Server.Persistence;
using KinerjaWorkflow.Server.Tests.Infrastructure;
using KinerjaWorkflow.Server.Tests.Tasks;
using Microsoft.EntityFrameworkCore;

namespace KinerjaWorkflow.Server.Tests.Audit;

/// <summary>
/// A completion reads the person it credits together with the task, and its answer reads who completed the task and the
/// step before it together with those tasks; a claim and other views read people on their own. All must credit and name
/// a person as the database has them, not as their sign-in token says, with every role in order.
/// </summary>
public sealed class ActingPersonTests(InboxFixture inbox) : IClassFixture<InboxFixture>
{
    [Fact]
    public async Task A_completion_credits_the_person_with_the_roles_they_hold_now_as_a_claim_does()
    {
        var dua = await inbox.As(Inbox.PelaksanaDua);
        var (instance, siapkan) = await (await inbox.As(Inbox.PelaksanaSatu)).NewSiapkanAsync("peran-sekarang");
        await GiveRoleAsync(Inbox.PelaksanaDua, "Bendahara");

        await dua.PostAsync($"/api/tasks/{siapkan}/claim", null).OkJsonAsync();
        await dua.CompleteAsync(siapkan);

        var history = await dua.GetAsync($"/api/instances/{instance}/history").OkJsonAsync();
        var credited = history.EnumerateArray()
            .Where(e => e.GetProperty("action").GetString() is "task-claimed" or "task-completed")
            .Select(e => e.GetProperty("actor"))
            .Select(a => (a.GetProperty("name").GetString(), string.Join(", ", a.GetProperty("roles").EnumerateArray().Select(r => r.GetString()))))
            .ToList();
        credited.Should().Equal(("Pelaksana Dua", "Bendahara, Pelaksana"), ("Pelaksana Dua", "Bendahara, Pelaksana"));
    }

    [Fact]
    public async Task Who_completed_a_task_and_the_step_before_it_is_named_with_every_role_they_hold_now()
    {
        var dua = await inbox.As(Inbox.PelaksanaDua);
        var kasubbag = await inbox.As(Inbox.Kasubbag);
        var (instance, siapkan) = await (await inbox.As(Inbox.PelaksanaSatu)).NewSiapkanAsync("nama-peran-sekarang");
        await GiveRoleAsync(Inbox.PelaksanaDua, "Bendahara");

        var completed = await dua.CompleteAsync(siapkan);
        var verifikasi = await kasubbag.TaskAsync(await kasubbag.OpenTaskAsync(instance, "Verifikasi"));
        var answer = await kasubbag.CompleteAsync(verifikasi.GetProperty("id").GetGuid(), "revisi", "Kurang lengkap.");

        completed.GetProperty("completedByName").GetString().Should().Be("Pelaksana Dua (Bendahara, Pelaksana)");
        completed.GetProperty("assigneeName").GetString().Should().Be("Pelaksana Dua (Bendahara, Pelaksana)");
        verifikasi.GetProperty("previous").GetProperty("completedByName").GetString().Should().Be("Pelaksana Dua (Bendahara, Pelaksana)");
        answer.GetProperty("previous").GetProperty("completedByName").GetString().Should().Be("Pelaksana Dua (Bendahara, Pelaksana)");
        answer.GetProperty("completedByName").GetString().Should().Be("Kasubbag Inbox (Kasubbag)");
    }

    private async Task GiveRoleAsync(string userName, string role)
    {
        using var scope = inbox.Server.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<KinerjaDbContext>();
        var user = await db.Users.SingleAsync(u => u.UserName == userName);
        if (!await db.UserRoles.AnyAsync(r => r.UserId == user.Id && r.RoleName == role))
        {
            db.UserRoles.Add(new UserRoleRecord { UserId = user.Id, RoleName = role });
            await db.SaveChangesAsync();
        }
    }
}
