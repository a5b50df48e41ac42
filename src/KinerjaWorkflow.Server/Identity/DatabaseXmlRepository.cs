using System.Xml.Linq;
using KinerjaWorkflow.Server.Persistence;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.EntityFrameworkCore;

namespace KinerjaWorkflow.Server.Identity;

/// <summary>
/// Keeps the data protection key ring in the service's database, so tokens and cookies outlive a restart and
/// every node of a cluster can read what another node issued.
/// </summary>
internal sealed class DatabaseXmlRepository(IDbContextFactory<KinerjaDbContext> contexts) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var db = contexts.CreateDbContext();
        return db.DataProtectionKeys.AsNoTracking()
            .OrderBy(k => k.FriendlyName)
            .Select(k => k.Xml)
            .AsEnumerable()
            .Select(XElement.Parse)
            .ToList();
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using var db = contexts.CreateDbContext();
        db.DataProtectionKeys.Add(new DataProtectionKeyRecord
        {
            FriendlyName = friendlyName,
            Xml = element.ToString(SaveOptions.DisableFormatting),
        });
        db.SaveChanges();
    }
}
