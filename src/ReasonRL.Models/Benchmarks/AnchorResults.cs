// AnchorResults: reads PyTorch's anchor figures from ../shared/anchors/results/*.json at run time
// (never copied into the repository) so `bench engine` can print ratios beside its own figures.
// What it is: a strict reader of the few fields the comparison needs (JsonDocument, no reflection);
// a missing file or field is reported, not guessed. What it is not: a general results parser.
// Files: train_{size}.json (tokens_per_s, mfu), sample_{size}_b64.json / _b1.json
// (generated_tokens_per_s), sgemm.json (peak_gflops), each with env.cpu; variants *_passive,
// *_r2, *_passive_r2 are the other runs of the same protocol.
using System.Text.Json;

namespace ReasonRL.Models.Benchmarks;

/// <summary>One PyTorch figure: the value from the default run-1 file and the best over every variant file.</summary>
public sealed record AnchorFigure(double Default, double Best, string DefaultFile, int Variants);

/// <summary>PyTorch's figures for one size, plus the machine they were measured on.</summary>
public sealed record AnchorSize(string Size, AnchorFigure? Train, AnchorFigure? TrainMfu, AnchorFigure? SampleB64, AnchorFigure? SampleB1, string Machine);

public static class AnchorResults
{
    private static readonly string[] Variants = ["", "_r2", "_passive", "_passive_r2"];

    /// <summary>Measured peak SGEMM (GFLOP/s) of sgemm.json — the MFU denominator of run 1 — or null when absent.</summary>
    public static double? PeakGflops(string folder)
    {
        var path = Path.Combine(folder, "sgemm.json");
        if (!File.Exists(path)) return null;
        using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
        return doc.RootElement.TryGetProperty("peak_gflops", out var p) ? p.GetDouble() : null;
    }

    /// <summary>The figures of one size; entries are null where the files are missing.</summary>
    public static AnchorSize Load(string folder, string size)
    {
        string machine = "";
        AnchorFigure? Read(string stem, string field)
        {
            double? def = null; double best = double.NegativeInfinity; int count = 0;
            foreach (var v in Variants)
            {
                var path = Path.Combine(folder, $"{stem}{v}.json");
                if (!File.Exists(path)) continue;
                using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
                var root = doc.RootElement;
                if (!root.TryGetProperty(field, out var value))
                    throw new InvalidDataException($"{path}: field \"{field}\" missing (expected a number)");
                double x = value.GetDouble();
                if (v == "") def = x;
                best = Math.Max(best, x);
                count++;
                if (machine.Length == 0 && root.TryGetProperty("env", out var env) && env.TryGetProperty("cpu", out var cpu))
                    machine = $"{cpu.GetString()}, {(env.TryGetProperty("logical_cpus", out var n) ? n.GetInt32() : 0)} logical CPUs";
            }
            return def is null ? null : new AnchorFigure(def.Value, best, $"{stem}.json", count);
        }
        var train = Read($"train_{size}", "tokens_per_s");
        var mfu = Read($"train_{size}", "mfu");
        var b64 = Read($"sample_{size}_b64", "generated_tokens_per_s");
        var b1 = Read($"sample_{size}_b1", "generated_tokens_per_s");
        return new AnchorSize(size, train, mfu, b64, b1, machine);
    }
}
