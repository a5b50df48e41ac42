using System.Security.Claims;
using KinerjaWorkflow.Server.Identity;

namespace KinerjaWorkflow.Server.Tests.Identity;

public sealed class CurrentUserTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_user_survives_the_trip_through_claims(bool isAdmin)
    {
        var user = new CurrentUser("budi", "Budi Santoso", "dinas-bmcktr-sumbar", new HashSet<string> { "Bidang", "Tim SAKIP" }, isAdmin);

        var principal = user.ToClaimsPrincipal("test");

        principal.ToCurrentUser().Should().BeEquivalentTo(user);
        principal.IsInRole("Tim SAKIP").Should().BeTrue();
        principal.Identity!.Name.Should().Be("budi");
    }

    [Fact]
    public void An_anonymous_principal_has_no_current_user()
    {
        var anonymous = new ClaimsPrincipal(new ClaimsIdentity());

        anonymous.FindCurrentUser().Should().BeNull();
        anonymous.Invoking(p => p.ToCurrentUser()).Should().Throw<InvalidOperationException>();
    }
}
