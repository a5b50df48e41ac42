using KinerjaWorkflow.Server.Persistence;
using KinerjaWorkflow.Server.Tests.Infrastructure;
using KinerjaWorkflow.Server.Tests.Tasks;
using Microsoft.EntityFrameworkCore;

namespace KinerjaWorkflow.Server.Tests.Audit;

/// <summary>
/// A completion reads the person it credits together with the task; a claim reads them on their own. Both must credit
/// the person as the database has them when they act, not as their sign-in token says, with every role ordered by name.
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

    private async Task GiveRoleAsync(string userName, string role)
    {
        using var scope = inbox.Server.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<KinerjaDbContext>();
        var user = await db.Users.SingleAsync(u => u.UserName == userName);
        db.UserRoles.Add(new UserRoleRecord { UserId = user.Id, RoleName = role });
        await db.SaveChangesAsync();
    }
}
