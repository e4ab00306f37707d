using System.Text.Json;
using Json.Schema;
using ModKit.Tests.Support;

namespace ModKit.Tests.Json;

/// <summary>The JSON Schemas of schemas/, and validation of a tool's --json output against one.</summary>
internal static class JsonSchemas
{
    private static readonly Dictionary<string, JsonSchema> Loaded = [];

    public static void AssertValid(string schemaName, byte[] document)
    {
        JsonSchema schema;
        lock (Loaded)
        {
            if (!Loaded.TryGetValue(schemaName, out schema!))
            {
                string path = Path.Combine(RepositoryPaths.Root, "schemas", schemaName + ".schema.json");
                schema = JsonSchema.FromText(File.ReadAllText(path));
                Loaded[schemaName] = schema;
            }
        }

        using var parsed = JsonDocument.Parse(document);
        var result = schema.Evaluate(parsed.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        Assert.True(result.IsValid, $"{schemaName}: " + string.Join("; ", Errors(result).Take(10)));
    }

    private static IEnumerable<string> Errors(EvaluationResults result)
    {
        if (result.Errors is { } errors)
        {
            foreach (var (keyword, message) in errors)
            {
                yield return $"{result.InstanceLocation} {keyword}: {message}";
            }
        }

        foreach (var detail in result.Details ?? [])
        {
            foreach (string error in Errors(detail))
            {
                yield return error;
            }
        }
    }
}
