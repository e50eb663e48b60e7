// AnchorResults: reads PyTorch's anchor figures from ../shared/anchors/results/*.json at run time
// (never copied into the repository) so `bench engine` can print ratios beside its own figures.
// What it is: a strict reader of the few fields the comparison needs (JsonDocument, no reflection);
// a missing file or field is reported, not guessed. What it is not: a general results parser.
// Files: train_{size}.json (tokens_per_s; mfu, or achieved_gflops over sgemm.json's peak), sample_{size}_b64.json / _b1.json
// (generated_tokens_per_s), sgemm.json (peak_gflops), each with env.cpu; variants *_passive,
// *_r2, *_passive_r2 are the other runs of the same protocol.
using System.Text.Json;

namespace ReasonRL.Benchmarks;

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

    /// <summary>
    /// The figures of one size; entries are null where the files are missing. PyTorch's training MFU is
    /// its file's "mfu" field, or — when the run had no sgemm.json to divide by — its "achieved_gflops"
    /// over this folder's sgemm.json peak (null when neither is there).
    /// </summary>
    public static AnchorSize Load(string folder, string size)
    {
        string machine = "";
        double? peak = PeakGflops(folder);
        AnchorFigure? Read(string stem, Func<JsonElement, string, double?> extract)
        {
            double? def = null; double best = double.NegativeInfinity; int count = 0;
            foreach (var v in Variants)
            {
                var path = Path.Combine(folder, $"{stem}{v}.json");
                if (!File.Exists(path)) continue;
                using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
                var root = doc.RootElement;
                if (extract(root, path) is not { } x) continue;
                if (v == "") def = x;
                best = Math.Max(best, x);
                count++;
                if (machine.Length == 0 && root.TryGetProperty("env", out var env) && env.TryGetProperty("cpu", out var cpu))
                    machine = $"{cpu.GetString()}, {(env.TryGetProperty("logical_cpus", out var n) ? n.GetInt32() : 0)} logical CPUs";
            }
            return def is null ? null : new AnchorFigure(def.Value, best, $"{stem}.json", count);
        }
        static Func<JsonElement, string, double?> Required(string field) => (root, path) =>
            root.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.Number
                ? value.GetDouble()
                : throw new InvalidDataException($"{path}: field \"{field}\" missing (expected a number)");
        double? Mfu(JsonElement root, string path)
        {
            if (root.TryGetProperty("mfu", out var m) && m.ValueKind == JsonValueKind.Number) return m.GetDouble();
            if (peak is { } p && root.TryGetProperty("achieved_gflops", out var g) && g.ValueKind == JsonValueKind.Number) return g.GetDouble() / p;
            return null;
        }
        var train = Read($"train_{size}", Required("tokens_per_s"));
        var mfu = Read($"train_{size}", Mfu);
        var b64 = Read($"sample_{size}_b64", Required("generated_tokens_per_s"));
        var b1 = Read($"sample_{size}_b1", Required("generated_tokens_per_s"));
        return new AnchorSize(size, train, mfu, b64, b1, machine);
    }
}
