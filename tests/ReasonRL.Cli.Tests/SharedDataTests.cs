using ReasonRL.Tests;

namespace ReasonRL.Cli.Tests;

/// <summary>The test harness itself: ../shared is found where CI has it.</summary>
public class SharedDataTests
{
    [SharedDataFact]
    [Trait(SharedData.Trait, SharedData.TraitValue)]
    public void SharedFolderHoldsTheDataReadme()
    {
        Assert.True(File.Exists(SharedData.PathOf("data/README.md")), SharedData.PathOf("data/README.md"));
        Assert.True(File.Exists(SharedData.PathOf("verifier-eval/real2000.jsonl")));
    }

    [Fact]
    public void RepoRootHoldsTheSolution() =>
        Assert.True(File.Exists(Path.Combine(SharedData.RepoRoot, "ReasonRL.slnx")));
}
