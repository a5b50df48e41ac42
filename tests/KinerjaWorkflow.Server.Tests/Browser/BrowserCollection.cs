namespace KinerjaWorkflow.Server.Tests.Browser;

/// <summary>Browser tests run one at a time: each starts a server and a Chromium, and the machine has two cores.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class BrowserCollection
{
    public const string Name = "Browser";
}
