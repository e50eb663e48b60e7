// The writer inventory: every file write, rename and delete under src/ goes through AtomicFile or
// AtomicDirectory (docs/conventions.md §21). This test reads every src/**/*.cs and fails on a raw
// File.WriteAll* / File.AppendAll* / File.Create / File.OpenWrite / File.Copy / File.Move /
// File.Replace / File.Delete, Directory.Move / Directory.Delete, or a FileStream opened to create,
// truncate or append, outside the explicit allowlist below — so a new private writer fails the build
// instead of quietly skipping the fsyncs. The allowlist names each file with the calls it may make and
// why; an entry that no longer makes its call fails too, so the list cannot go stale.
using System.Text.RegularExpressions;

namespace ReasonRL.Core.Tests.Durable;

public sealed partial class WriterInventoryTests
{
    /// <summary>Raw file-system mutations (a match not preceded by a letter, so AtomicFile.X is not one).</summary>
    [GeneratedRegex(@"(?<![A-Za-z0-9_])(File\.(WriteAll\w*|AppendAll\w*|Create\w*|OpenWrite|Copy|Move|Replace|Delete)|Directory\.(Move|Delete))\s*\(|FileMode\.(Create|CreateNew|Truncate|Append|OpenOrCreate)\b")]
    private static partial Regex RawWrite();

    /// <summary>File (relative to the repository root) → the raw calls it may make, and why.</summary>
    private static readonly Dictionary<string, (string[] Calls, string Why)> Allowed = new(StringComparer.Ordinal)
    {
        ["src/ReasonRL.Core/Durable/AtomicFile.cs"] = (["FileMode.Create", "File.Move", "File.Delete"], "the durable file primitive itself"),
        ["src/ReasonRL.Core/Durable/AtomicDirectory.cs"] = (["Directory.Move", "Directory.Delete"], "the durable folder primitive itself"),
        ["src/ReasonRL.Runs/MetricsWriter.cs"] = (["FileMode.OpenOrCreate"], "metrics.jsonl is an append-only log, truncated to the checkpoint cursor and fsynced"),
        ["src/ReasonRL.Runs/TfEventsWriter.cs"] = (["FileMode.CreateNew"], "a TensorBoard event file is an append-only log under a fresh name"),
        ["src/ReasonRL.Training/Evaluation/EvalResultsFile.cs"] = (["FileMode.Append"], "the eval's .partial file is an append-only log replaced by AtomicFile at the end"),
    };

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "ReasonRL.slnx"))) return dir.FullName;
        throw new InvalidOperationException($"ReasonRL.slnx not found above {AppContext.BaseDirectory}");
    }

    [Fact]
    public void Every_writer_in_src_goes_through_the_durable_primitive()
    {
        string root = RepositoryRoot();
        var sources = Directory.GetFiles(Path.Combine(root, "src"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                     && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .ToList();
        Assert.True(sources.Count > 100, $"only {sources.Count} source files found under {root}/src");

        var offences = new List<string>();
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in sources)
        {
            string relative = Path.GetRelativePath(root, file).Replace(Path.DirectorySeparatorChar, '/');
            string[] lines = File.ReadAllLines(file);
            for (int i = 0; i < lines.Length; i++)
            {
                string code = lines[i].TrimStart();
                if (code.StartsWith("//", StringComparison.Ordinal)) continue;   // headers describe the calls
                foreach (Match m in RawWrite().Matches(lines[i]))
                {
                    string call = m.Value.TrimEnd('(', ' ');
                    if (Allowed.TryGetValue(relative, out var entry) && entry.Calls.Contains(call)) used.Add(relative + " " + call);
                    else offences.Add($"{relative}:{i + 1}: {call} — write through ReasonRL.Core.AtomicFile / AtomicDirectory (docs/conventions.md §21)");
                }
            }
        }
        Assert.True(offences.Count == 0, "raw file-system writes outside the allowlist:\n" + string.Join("\n", offences));
        var stale = Allowed.SelectMany(kv => kv.Value.Calls.Select(c => kv.Key + " " + c)).Where(e => !used.Contains(e)).ToList();
        Assert.True(stale.Count == 0, "allowlist entries no longer used (remove them):\n" + string.Join("\n", stale));
    }

    [Theory]
    [InlineData("File.WriteAllText(path, text);", true)]
    [InlineData("System.IO.Directory.Delete(d, true);", true)]
    [InlineData("using var s = new FileStream(p, FileMode.Create, FileAccess.Write);", true)]
    [InlineData("File.Move (a, b);", true)]
    [InlineData("AtomicFile.WriteAllText(path, text);", false)]
    [InlineData("AtomicDirectory.Delete(dir);", false)]
    [InlineData("var f = new FileStream(p, FileMode.Open, FileAccess.Read);", false)]
    [InlineData("File.ReadAllText(path)", false)]
    public void The_pattern_finds_raw_writes_and_only_them(string line, bool raw) => Assert.Equal(raw, RawWrite().IsMatch(line));
}
