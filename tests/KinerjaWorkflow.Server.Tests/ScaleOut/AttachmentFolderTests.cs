using KinerjaWorkflow.Server.Attachments;
using KinerjaWorkflow.Server.Persistence;
using Microsoft.Extensions.Hosting.Internal;

namespace KinerjaWorkflow.Server.Tests.ScaleOut;

/// <summary>
/// On PostgreSQL several nodes may serve one database, so a document must be stored where every node reads it:
/// outside Development and Testing, Attachments:Path has to name that folder, or the service does not start.
/// </summary>
public sealed class AttachmentFolderTests
{
    [Theory]
    [InlineData(DatabaseProvider.Postgres, "Production", null, false)]
    [InlineData(DatabaseProvider.Postgres, "Production", " ", false)]
    [InlineData(DatabaseProvider.Postgres, "Staging", null, false)]
    [InlineData(DatabaseProvider.Postgres, "Production", "/srv/kinerja-lampiran", true)]
    [InlineData(DatabaseProvider.Postgres, "Development", null, true)]
    [InlineData(DatabaseProvider.Postgres, "Testing", null, true)]
    [InlineData(DatabaseProvider.Sqlite, "Production", null, true)]
    public void A_PostgreSQL_service_outside_development_names_the_folder_every_node_shares(
        DatabaseProvider provider, string environment, string? path, bool accepted)
    {
        var options = new AttachmentOptions { Path = path };
        var database = new DatabaseSettings(provider, "Host=db;Database=kinerja", "/opt/kinerjaworkflow/data");

        options.NamesFolderForEveryNode(database, new HostingEnvironment { EnvironmentName = environment }).Should().Be(accepted);
    }
}
