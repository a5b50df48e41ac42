namespace KinerjaWorkflow.Server.Tests.Infrastructure;

/// <summary>One server for a class whose tests change nothing another test of it reads (they run one after another).</summary>
public sealed class SharedServer : IDisposable
{
    public KinerjaServer Server { get; } = new();

    public void Dispose()
    {
        Server.Dispose();
        Server.Data.Dispose();
    }
}
