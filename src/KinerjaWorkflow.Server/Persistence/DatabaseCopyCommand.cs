using Serilog;

namespace KinerjaWorkflow.Server.Persistence;

/// <summary>
/// The <c>copy-database</c> verb: <c>dotnet run --project src/KinerjaWorkflow.Server -- copy-database --to "Host=...;Database=..."</c>
/// copies the installation's database (as configured for a normal start) into an empty PostgreSQL database.
/// Stop the service first: the copy is of one instant, and commands made during it would be left behind.
/// </summary>
public static class DatabaseCopyCommand
{
    public const string Verb = "copy-database";

    public static async Task<int> RunAsync(string[] args)
    {
        var target = ValueOf(args, "--to");
        if (string.IsNullOrWhiteSpace(target))
        {
            await Console.Error.WriteLineAsync(
                $"Usage: {Verb} --to \"Host=<host>;Port=<port>;Database=<database>;Username=<user>;Password=<password>\"" + Environment.NewLine +
                "Copies this installation's database (ConnectionStrings:Kinerja, Database:Provider) into an empty PostgreSQL database.");
            return 2;
        }

        var builder = WebApplication.CreateBuilder(args.Where(a => a != Verb && a != "--to" && a != target).ToArray());
        var source = DatabaseSettings.FromConfiguration(builder.Configuration, builder.Environment);
        var destination = source with { Provider = DatabaseProvider.Postgres, ConnectionString = target };
        using var loggerFactory = LoggerFactory.Create(logging => logging.AddSerilog(
            new LoggerConfiguration().WriteTo.Console(outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {Message:lj}{NewLine}{Exception}").CreateLogger(),
            dispose: true));
        var copy = new DatabaseCopy(loggerFactory.CreateLogger<DatabaseCopy>());
        try
        {
            var tables = await copy.CopyAsync(() => Context(source), () => Context(destination), CancellationToken.None);
            Console.WriteLine($"Copied {tables.Sum(t => t.TargetRows)} row(s) in {tables.Count} table(s) from the {source} into PostgreSQL; row counts agree.");
            Console.WriteLine("Attachments stay in their folder (Attachments:Path): point every node at it, or copy it to the shared folder.");
            return 0;
        }
        catch (DatabaseCopyException ex)
        {
            await Console.Error.WriteLineAsync(ex.Message);
            return 1;
        }
    }

    internal static KinerjaDbContext Context(DatabaseSettings settings) => PersistenceServiceCollectionExtensions.NewContext(settings);

    private static string? ValueOf(string[] args, string option)
    {
        var at = Array.IndexOf(args, option);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
    }
}
