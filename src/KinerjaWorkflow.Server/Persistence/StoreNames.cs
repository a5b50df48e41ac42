using System.Globalization;
using System.Text;

namespace KinerjaWorkflow.Server.Persistence;

/// <summary>How tables, columns, indexes and constraints are named in the database.</summary>
internal static class StoreNames
{
    public static string SnakeCase(string name)
    {
        var builder = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c) && i > 0 && (char.IsLower(name[i - 1]) || char.IsDigit(name[i - 1])))
            {
                builder.Append('_');
            }

            builder.Append(char.ToLower(c, CultureInfo.InvariantCulture));
        }

        return builder.ToString();
    }

    public static string Index(string table, IEnumerable<string> columns) => $"ix_{table}_{string.Join('_', columns)}";

    public static string ForeignKey(string table, string principalTable, IEnumerable<string> columns) =>
        $"fk_{table}_{principalTable}_{string.Join('_', columns)}";
}
