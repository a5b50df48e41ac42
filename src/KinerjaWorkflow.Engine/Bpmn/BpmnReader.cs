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
/// whenever the file has an executable process at all, so the validator can report the rest.
/// </summary>
public static class BpmnReader
{
    public static BpmnReadResult Read(string xml)
    {
        var reading = ReadWithLocations(xml);
        return new BpmnReadResult(reading.Model, reading.Problems);
    }

    internal static BpmnReading ReadWithLocations(string xml)
    {
        if (string.IsNullOrWhiteSpace(xml))
        {
            return Failed(new DefinitionProblem(ProblemSeverity.Error, null, null, "Berkas BPMN kosong."));
        }

        XDocument document;
        try
        {
            document = Load(xml);
        }
        catch (XmlException e)
        {
            return Failed(NotXml(xml, e));
        }

        return new BpmnDocumentReader(document).Read();
    }

    private static XDocument Load(string xml)
    {
        // A DTD could pull in external files or expand entities without bound (XXE, billion laughs).
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
        };
        using var text = new StringReader(xml);
        using var reader = XmlReader.Create(text, settings);
        return XDocument.Load(reader, LoadOptions.SetLineInfo);
    }

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
