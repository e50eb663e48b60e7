// `reasonrl tokenize --tokenizer PATH TEXT`: shows how a tokenizer cuts a text — ids, pieces
// (vocabulary strings, byte-level form for BPE) and character offsets. `--json` prints one JSON
// object {"ids": [...], "pieces": [...], "offsets": [[start, end], ...]}.
// PATH may be a tokenizer.json, a gzipped one, a GGUF file or a model directory.
// Logic lives in ReasonRL.Text (TokenizerLoader, ITokenizer.Encode).
using ReasonRL.Text;
using Spectre.Console;
using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace ReasonRL.Cli.Commands;

internal static class TokenizeCommand
{
    public static Command Create()
    {
        var tokenizerOption = new Option<string>("--tokenizer")
        {
            Description = "tokenizer.json[.gz], .gguf file or model directory",
            Required = true,
        };
        var jsonOption = new Option<bool>("--json")
        {
            Description = "print one JSON object with ids, pieces and offsets",
        };
        var specialOption = new Option<SpecialTokenPolicy>("--special")
        {
            Description = "literal special tokens in TEXT: Text (encode as text, default), Allow (emit the special id), Throw",
            DefaultValueFactory = _ => SpecialTokenPolicy.Text,
        };
        var textArgument = new Argument<string>("TEXT") { Description = "text to tokenize" };
        var command = new Command("tokenize", "Encode a text: ids, pieces and character offsets.");
        command.Options.Add(tokenizerOption);
        command.Options.Add(jsonOption);
        command.Options.Add(specialOption);
        command.Arguments.Add(textArgument);
        command.SetAction(parseResult =>
        {
            ITokenizer tokenizer = TokenizerLoader.Load(parseResult.GetValue(tokenizerOption)!);
            string text = parseResult.GetValue(textArgument)!;
            TokenEncoding encoding = tokenizer.Encode(text, parseResult.GetValue(specialOption));
            if (parseResult.GetValue(jsonOption)) WriteJson(tokenizer, encoding);
            else WriteTable(tokenizer, text, encoding);
            return 0;
        });
        return command;
    }

    private static void WriteJson(ITokenizer tokenizer, TokenEncoding encoding)
    {
        using Stream stdout = Console.OpenStandardOutput();
        using (var json = new Utf8JsonWriter(stdout, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteStartArray("ids");
            foreach (int id in encoding.Ids) json.WriteNumberValue(id);
            json.WriteEndArray();
            json.WriteStartArray("pieces");
            foreach (int id in encoding.Ids) json.WriteStringValue(tokenizer.IdToToken(id));
            json.WriteEndArray();
            json.WriteStartArray("offsets");
            foreach (TokenOffset o in encoding.Offsets)
            {
                json.WriteStartArray();
                json.WriteNumberValue(o.Start);
                json.WriteNumberValue(o.End);
                json.WriteEndArray();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        stdout.WriteByte((byte)'\n');
    }

    private static void WriteTable(ITokenizer tokenizer, string text, TokenEncoding encoding)
    {
        var table = new Table().AddColumns("#", "id", "piece", "offsets", "text");
        for (int k = 0; k < encoding.Count; k++)
        {
            TokenOffset o = encoding.Offsets[k];
            string span = text[o.Start..o.End].Replace("\n", "\\n", StringComparison.Ordinal).Replace("\t", "\\t", StringComparison.Ordinal);
            string special = tokenizer.IsSpecial(encoding.Ids[k]) ? " (special)" : "";
            table.AddRow($"{k}", $"{encoding.Ids[k]}", Markup.Escape(tokenizer.IdToToken(encoding.Ids[k]) + special),
                Markup.Escape(o.ToString()), Markup.Escape(span));
        }
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine($"{encoding.Count} tokens, {text.Length} chars; vocab {tokenizer.VocabSize}");
    }
}
