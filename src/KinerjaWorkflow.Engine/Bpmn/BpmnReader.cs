using System.Text;
using System.Xml;
using System.Xml.Linq;
using KinerjaWorkflow.Engine.Model;

namespace KinerjaWorkflow.Engine.Bpmn;

public sealed record BpmnReadResult(ProcessModel? Model, IReadOnlyList<DefinitionProblem> Problems);

/// <summary>Where an element starts in the BPMN file.</summary>
internal readonly record struct SourceLocation(int Line, int Column);

/// <summary>A read result plus the location of every element, so later problems can point into the file.</summary>
internal sealed record BpmnReading(
    ProcessModel? Model,
    IReadOnlyList<DefinitionProblem> Problems,
    IReadOnlyDictionary<string, SourceLocation> Locations);

/// <summary>
/// Reads BPMN 2.0 XML as the bpmn-js modeler and Camunda Modeler write it into a <see cref="ProcessModel"/>.
/// Bad input never throws: everything wrong is a <see cref="DefinitionProblem"/>, and the model is built
/// whenever the file has an executable process at all, so the validator can report the rest. A file beyond
/// <see cref="BpmnLimits"/> is refused before it is read, naming the limit; only cancellation throws.
/// </summary>
public static class BpmnReader
{
    public static BpmnReadResult Read(string xml, CancellationToken cancellationToken = default)
    {
        var reading = ReadWithLocations(xml, cancellationToken);
        return new BpmnReadResult(reading.Model, reading.Problems);
    }

    internal static BpmnReading ReadWithLocations(string xml, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(xml))
        {
            return Failed(new DefinitionProblem(ProblemSeverity.Error, null, null, "Berkas BPMN kosong."));
        }

        XDocument document;
        try
        {
            if (BeyondLimits(xml, cancellationToken) is { } refusal)
            {
                return Failed(refusal);
            }

            document = Load(xml);
        }
        catch (XmlException e)
        {
            return Failed(NotXml(xml, e));
        }

        return new BpmnDocumentReader(document, cancellationToken).Read();
    }

    private static XmlReader Open(string xml) =>
        XmlReader.Create(new StringReader(xml), new XmlReaderSettings
        {
            // A DTD could pull in external files or expand entities without bound (XXE, billion laughs).
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
            CloseInput = true,
        });

    private static XDocument Load(string xml)
    {
        using var reader = Open(xml);
        return XDocument.Load(reader, LoadOptions.SetLineInfo);
    }

    /// <summary>
    /// Streams through the file before a tree is built, so a file too large or too deep is refused after
    /// reading no more of it than the limit allows.
    /// </summary>
    private static DefinitionProblem? BeyondLimits(string xml, CancellationToken cancellationToken)
    {
        var bytes = Encoding.UTF8.GetByteCount(xml);
        if (bytes > BpmnLimits.MaxBytes)
        {
            return new DefinitionProblem(
                ProblemSeverity.Error,
                null,
                null,
                $"Berkas BPMN berukuran {Kilobytes(bytes)} KB, melebihi batas {Kilobytes(BpmnLimits.MaxBytes)} KB; sebuah SOP cukup beberapa puluh KB.");
        }

        using var reader = Open(xml);
        var position = (IXmlLineInfo)reader;
        var elements = 0;
        while (reader.Read())
        {
            if (reader.NodeType != XmlNodeType.Element)
            {
                continue;
            }

            elements++;
            if (elements % 256 == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            if (elements > BpmnLimits.MaxElements)
            {
                return AtReader(position, $"Berkas BPMN memuat lebih dari {BpmnLimits.MaxElements} elemen XML (batasnya {BpmnLimits.MaxElements}); elemen ke-{elements}, <{reader.Name}>, ada di baris {position.LineNumber}, kolom {position.LinePosition}.");
            }

            if (reader.Depth >= BpmnLimits.MaxDepth)
            {
                return AtReader(position, $"Elemen <{reader.Name}> (baris {position.LineNumber}, kolom {position.LinePosition}) bersarang {reader.Depth + 1} tingkat, melebihi batas {BpmnLimits.MaxDepth} tingkat elemen XML bersarang.");
            }
        }

        return null;
    }

    private static DefinitionProblem AtReader(IXmlLineInfo position, string message) =>
        new(ProblemSeverity.Error, null, null, message, position.LineNumber, position.LinePosition);

    private static string Kilobytes(int bytes) => ((bytes + 1023) / 1024).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static BpmnReading Failed(DefinitionProblem problem) =>
        new(null, [problem], new Dictionary<string, SourceLocation>());

    private static DefinitionProblem NotXml(string xml, XmlException e)
    {
        // The reader refuses a DTD without saying where it is, and a DTD can only stand before the root
        // element, so the refusal is about the first declaration in the text.
        var doctype = xml.IndexOf("<!DOCTYPE", StringComparison.Ordinal);
        if (doctype >= 0 && !StartsAnElement(xml.AsSpan(0, doctype)))
        {
            var line = xml.AsSpan(0, doctype).Count('\n') + 1;
            var lineStart = doctype == 0 ? 0 : xml.LastIndexOf('\n', doctype - 1) + 1;
            var column = doctype - lineStart + 1;
            return new DefinitionProblem(
                ProblemSeverity.Error,
                null,
                null,
                $"Berkas BPMN memuat deklarasi DOCTYPE (baris {line}, kolom {column}); deklarasi DTD dan entitas tidak diizinkan demi keamanan. Hapus deklarasi tersebut.",
                line,
                column);
        }

        return new DefinitionProblem(
            ProblemSeverity.Error,
            null,
            null,
            $"Berkas BPMN bukan XML yang sah: {XmlErrorText.Translate(e.Message)} (baris {e.LineNumber}, kolom {e.LinePosition}).",
            e.LineNumber,
            e.LinePosition);
    }

    private static bool StartsAnElement(ReadOnlySpan<char> text)
    {
        for (var i = 0; i + 1 < text.Length; i++)
        {
            if (text[i] == '<' && (char.IsLetter(text[i + 1]) || text[i + 1] == '_'))
            {
                return true;
            }
        }

        return false;
    }
}
