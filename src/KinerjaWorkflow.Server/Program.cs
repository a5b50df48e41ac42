using KinerjaWorkflow.Server.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddKinerjaLogging();
builder.Services.AddKinerjaServer(builder.Configuration, builder.Environment);

var app = builder.Build();
app.UseKinerjaPipeline();
await app.PrepareKinerjaAsync();
app.Lifetime.ApplicationStarted.Register(() => StartupBanner.Print(app));
await app.RunAsync();

/// <summary>The entry point, visible to the tests' WebApplicationFactory.</summary>
public partial class Program;
