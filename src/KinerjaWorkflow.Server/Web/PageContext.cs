using KinerjaWorkflow.Server.Identity;
using KinerjaWorkflow.Server.Offices;

namespace KinerjaWorkflow.Server.Web;

/// <summary>Who is looking at a page and what the layout shows them: their office, name and which menus they get.</summary>
public sealed record PageContext(CurrentUser User, OfficeProfile Office, bool IsSupervisor)
{
    public bool MaySeeDashboard => User.IsAdmin || IsSupervisor;
}

public sealed class PageContextFactory(OfficeDirectory offices)
{
    public async Task<PageContext> CreateAsync(CurrentUser user, CancellationToken ct)
    {
        var office = await offices.GetAsync(user.OfficeId, ct);
        return new PageContext(user, office, office.IsSupervisor(user));
    }
}
