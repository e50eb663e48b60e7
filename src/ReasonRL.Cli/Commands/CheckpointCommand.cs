// `reasonrl checkpoint …`: look inside and convert Hugging Face safetensors checkpoints.
//   inspect <path>                      config.json (when a directory) and every tensor's dtype,
//                                       shape and size, read from the headers only
//   convert <source> <destination>      re-save a model directory (with its tokenizer, tokenizer_config.json,
//                                       generation_config.json, …), optionally as another float
//           [--dtype keep|f32|bf16|f16] dtype and/or sharded with model.safetensors.index.json
//           [--shard-mb N]
// Thin: the work is HfCheckpoint / SafeTensorsReader in ReasonRL.Models and ModelStore.Convert in ReasonRL.Runs.
using ReasonRL.Models;
using ReasonRL.Runs;
using Spectre.Console;
using System.CommandLine;
using System.Globalization;

namespace ReasonRL.Cli.Commands;

internal static class CheckpointCommand
{
    public static Command Create()
    {
        var checkpoint = new Command("checkpoint", "Inspect or convert Hugging Face safetensors checkpoints (Qwen2 / Llama).");
        checkpoint.Subcommands.Add(Inspect());
        checkpoint.Subcommands.Add(Convert());
        return checkpoint;
    }

    private static Command Inspect()
    {
        var path = new Argument<string>("path") { Description = "A model directory (config.json + safetensors) or one .safetensors file." };
        var cmd = new Command("inspect", "Print the config and every tensor's dtype, shape and byte size (reads headers only).");
        cmd.Arguments.Add(path);
        cmd.SetAction(parse => Run(parse, () =>
        {
            string p = parse.GetValue(path)!;
            IReadOnlyList<SafeTensorsHeader> headers;
            if (Directory.Exists(p))
            {
                (var config, headers) = HfCheckpoint.ReadHeaders(p);
                AnsiConsole.WriteLine("resolved config (defaults filled in):");
                AnsiConsole.WriteLine(HfConfig.ToJson(config));
            }
            else
            {
                headers = [SafeTensorsReader.ReadHeader(p)];
            }
            foreach (var h in headers) Print(h);
            return 0;
        }));
        return cmd;
    }

    private static Command Convert()
    {
        var source = new Argument<string>("source") { Description = "Model directory to read." };
        var destination = new Argument<string>("destination") { Description = "Model directory to write (created if needed)." };
        var dtype = new Option<string>("--dtype")
        {
            Description = "Float dtype to store: keep | f32 | bf16 | f16 (default keep).",
            DefaultValueFactory = _ => "keep",
        };
        var shardMb = new Option<double>("--shard-mb")
        {
            Description = "Largest shard in MiB (fractions allowed); 0 writes one model.safetensors (default 0, range 0..100000).",
            DefaultValueFactory = _ => 0,
        };
        var maxModelGib = MaxModelGibOption.Create();
        var cmd = new Command("convert", "Re-save a model directory, optionally as another dtype or sharded.");
        cmd.Arguments.Add(source);
        cmd.Arguments.Add(destination);
        cmd.Options.Add(dtype);
        cmd.Options.Add(shardMb);
        cmd.Options.Add(maxModelGib);
        cmd.SetAction(parse => Run(parse, () =>
        {
            if (!MaxModelGibOption.TryGetBytes(parse, maxModelGib, "checkpoint convert", parse.InvocationConfiguration.Error, out long? maxBytes)) return 2;
            SafeTensorsDType? target = parse.GetValue(dtype) switch
            {
                "keep" => null,
                "f32" => SafeTensorsDType.F32,
                "bf16" => SafeTensorsDType.BF16,
                "f16" => SafeTensorsDType.F16,
                var other => throw new ArgumentException($"--dtype must be keep, f32, bf16 or f16, got \"{other}\""),
            };
            double mb = parse.GetValue(shardMb);
            if (!(mb >= 0 && mb <= 100_000)) throw new ArgumentException($"--shard-mb must be in 0..100000, got {mb}");
            string dst = parse.GetValue(destination)!;
            var checkpoint = ModelStore.Convert(parse.GetValue(source)!, dst, target, (long)(mb * (1L << 20)), maxBytes);
            AnsiConsole.WriteLine($"wrote {dst}: {checkpoint.Tensors.Count} tensors, dtype {parse.GetValue(dtype)}, " +
                (mb == 0 ? "one model.safetensors" : $"shards of at most {mb} MiB"));
            return 0;
        }));
        return cmd;
    }

    private static void Print(SafeTensorsHeader h)
    {
        var table = new Table().Title(Markup.Escape(h.FilePath)).AddColumns("tensor", "dtype", "shape", "bytes");
        foreach (var e in h.Entries)
        {
            table.AddRow(Markup.Escape(e.Name), SafeTensorsDTypes.HeaderName(e.DType), Markup.Escape(SafeTensorsTensor.FormatShape(e.Shape)),
                e.ByteLength.ToString("N0", CultureInfo.InvariantCulture));
        }
        AnsiConsole.Write(table);
        foreach (var (k, v) in h.Metadata) AnsiConsole.WriteLine($"__metadata__ {k} = {(v.Length > 120 ? v[..120] + "…" : v)}");
        AnsiConsole.WriteLine($"{h.Entries.Count} tensors, {h.DataLength.ToString("N0", CultureInfo.InvariantCulture)} data bytes, header {h.HeaderLength} bytes");
    }

    // Format and config errors are the user's input, not a crash: one line on stderr, exit code 2
    // (the same as every command; CliRunner).
    private static int Run(ParseResult parse, Func<int> action)
    {
        try
        {
            return action();
        }
        catch (Exception ex) when (ex is SafeTensorsFormatException or HfConfigException or HfCheckpointException
                                       or IOException or ArgumentException or UnauthorizedAccessException)
        {
            string verb = parse.CommandResult.Command.Name;
            parse.InvocationConfiguration.Error.WriteLine($"checkpoint {verb}: {ex.Message}");
            return CliRunner.InputErrorExitCode;
        }
    }
}
