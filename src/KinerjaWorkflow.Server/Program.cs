using KinerjaWorkflow.Server.Backup;
using KinerjaWorkflow.Server.Hosting;
using KinerjaWorkflow.Server.Persistence;

if (args is [DatabaseCopyCommand.Verb, ..])
{
    return await DatabaseCopyCommand.RunAsync(args);
}

if (args is [BackupCommand.BackupVerb or BackupCommand.RestoreVerb, ..])
{
    return await BackupCommand.RunAsync(args);
}

var builder = WebApplication.CreateBuilder(args);
builder.AddKinerjaLogging();
builder.Services.AddKinerjaServer(builder.Configuration, builder.Environment);

var app = builder.Build();
app.UseKinerjaPipeline();
await app.PrepareKinerjaAsync();
app.Lifetime.ApplicationStarted.Register(() => StartupBanner.Print(app));
await app.RunAsync();
return 0;

/// <summary>The entry point, visible to the tests' WebApplicationFactory.</summary>
public partial class Program;
