using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace ModKit.Cli;

/// <summary>
/// A tool's <c>--json</c> output: one JSON document on standard output, written while it is produced (a whole
/// tree's document is streamed in blocks, never held). Module data is bytes and JSON strings are Unicode:
/// bytes that are not UTF-8 become U+FFFD, the only place the JSON and the text output can differ.
/// The documents are described by the JSON Schemas in <c>schemas/</c>.
/// </summary>
internal sealed class JsonOutput : IDisposable
{
    // Pending bytes are handed to the stream in blocks of about this size.
    private const int BlockSize = 64 * 1024;

    private readonly Stream _stream;

    public JsonOutput(Stream stream)
    {
        _stream = stream;
        Writer = new Utf8JsonWriter(stream, new JsonWriterOptions
        {
            Indented = true,
            // Module texts are printed as they are: no \u escapes for non-ASCII letters or for <, > and &.
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        });
    }

    public Utf8JsonWriter Writer { get; }

    /// <summary>The text of module bytes: UTF-8, with U+FFFD for what is not.</summary>
    public static string Text(ReadOnlySpan<byte> bytes) => Encoding.UTF8.GetString(bytes);

    public void WriteString(string name, ReadOnlySpan<byte> value) => Writer.WriteString(name, Text(value));

    /// <summary>Writes a property whose value is an array of strings.</summary>
    public void WriteStrings(string name, IEnumerable<string> values)
    {
        Writer.WriteStartArray(name);
        foreach (string value in values)
        {
            Writer.WriteStringValue(value);
        }

        Writer.WriteEndArray();
    }

    /// <summary>Call between items: writes out what is pending once a block is full.</summary>
    public void Checkpoint()
    {
        if (Writer.BytesPending >= BlockSize)
        {
            Writer.Flush();
        }
    }

    /// <summary>Writes out the document and ends it with a newline.</summary>
    public void Dispose()
    {
        Writer.Flush();
        _stream.Write("\n"u8);
        _stream.Flush();
        Writer.Dispose();
    }
}
