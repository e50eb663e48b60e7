// Locates ../shared (the data every ReasonRL developer and CI run has beside the repository)
// and gives tests that need it a [SharedDataFact]/[SharedDataTheory] that skips, with a visible
// reason, where it is absent (a user's clone). CI always has it: .ci/run fails on any skip.
using System.Runtime.CompilerServices;

namespace ReasonRL.Tests;

public static class SharedData
{
    /// <summary>Trait name/value carried by every test that reads ../shared.</summary>
    public const string Trait = "Data";
    public const string TraitValue = "Shared";

    /// <summary>Absolute path of the shared folder, or null when it cannot be found.
    /// REASONRL_SHARED overrides; otherwise the first `shared` folder beside an ancestor
    /// of the repository root (the folder holding ReasonRL.slnx).</summary>
    public static string? Root { get; } = Locate();

    public static string SkipReason =>
        "needs ../shared (shared/data and shared/verifier-eval beside the repository); " +
        "set REASONRL_SHARED to its path to run this test";

    /// <summary>Path of a file under the shared folder; throws when the folder is absent.</summary>
    public static string PathOf(string relative) =>
        Path.Combine(Root ?? throw new InvalidOperationException(SkipReason), relative);

    /// <summary>Repository root (folder holding ReasonRL.slnx).</summary>
    public static string RepoRoot { get; } = LocateRepoRoot();

    private static string LocateRepoRoot([CallerFilePath] string thisFile = "")
    {
        // Deterministic builds map source paths, so walk up from the test binary instead.
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ReasonRL.slnx"))) return dir.FullName;
        }
        throw new InvalidOperationException($"ReasonRL.slnx not found above {AppContext.BaseDirectory} ({thisFile})");
    }

    private static string? Locate()
    {
        var env = Environment.GetEnvironmentVariable("REASONRL_SHARED");
        if (!string.IsNullOrEmpty(env)) return Directory.Exists(env) ? Path.GetFullPath(env) : null;
        try
        {
            var candidate = Path.GetFullPath(Path.Combine(LocateRepoRoot(), "..", "shared"));
            return Directory.Exists(Path.Combine(candidate, "data")) ? candidate : null;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }
}

/// <summary>A fact that needs ../shared: skipped with a visible reason where it is absent.
/// Pair it with [Trait(SharedData.Trait, SharedData.TraitValue)].</summary>
public sealed class SharedDataFactAttribute : FactAttribute
{
    public SharedDataFactAttribute()
    {
        if (SharedData.Root is null) Skip = SharedData.SkipReason;
    }
}

/// <summary>A theory that needs ../shared: skipped with a visible reason where it is absent.</summary>
public sealed class SharedDataTheoryAttribute : TheoryAttribute
{
    public SharedDataTheoryAttribute()
    {
        if (SharedData.Root is null) Skip = SharedData.SkipReason;
    }
}
