// Loader fuzz for the model files (issue 17): 1,000 seeded mutants each of a committed safetensors
// checkpoint (mutations mostly inside the JSON header, plus truncations anywhere) and of a Qwen2.5
// config.json. Every case must load or be refused with the loader's typed exception naming the file
// (SafeTensorsFormatException, HfConfigException); nothing else may escape, no case may allocate
// more than a bound, and a config that loads must give a finite memory estimate.
using ReasonRL.Tests;
using System.Buffers.Binary;
using System.Text;
using Xunit.Abstractions;

namespace ReasonRL.Models.Tests;

public class LoaderFuzzTests(ITestOutputHelper output)
{
    private const int Cases = 1000;

    // One case never needs more than this: the seeds are at most 24 KB, and a hostile length in a
    // mutant must be refused before anything is sized by it.
    private const long MaxCaseAllocatedBytes = 64L << 20;

    private static string Fixture(string name) =>
        Path.Combine(SharedData.RepoRoot, "tests", "ReasonRL.Models.Tests", "Fixtures", "smollm3", name);

    private void Check(LoaderFuzzReport report) => report.AssertClean(MaxCaseAllocatedBytes, TimeSpan.FromSeconds(120), output.WriteLine);

    [Fact]
    [Trait("Fuzz", "Loader")]
    public void Mutated_and_truncated_safetensors_are_loaded_or_refused_with_a_typed_error()
    {
        byte[] seed = File.ReadAllBytes(Fixture("model.safetensors"));
        int headerEnd = 8 + (int)BinaryPrimitives.ReadUInt64LittleEndian(seed);
        using var dir = new TempFolder();
        string path = Path.Combine(dir.Path, "fuzz.safetensors");
        Check(LoaderFuzz.Run("safetensors", seed, Cases, seed: 17, text: false, focusBytes: headerEnd, "fuzz.safetensors",
            bytes =>
            {
                File.WriteAllBytes(path, bytes);
                SafeTensorsReader.Read(path);
            },
            e => e is SafeTensorsFormatException));
    }

    [Fact]
    [Trait("Fuzz", "Loader")]
    public void Mutated_and_truncated_config_json_is_loaded_or_refused_with_a_typed_error()
    {
        byte[] seed = File.ReadAllBytes(Fixture("config.json"));
        Check(LoaderFuzz.Run("config.json", seed, Cases, seed: 17, text: true, focusBytes: 0, "fuzz/config.json",
            bytes =>
            {
                var config = HfConfig.Parse(Encoding.UTF8.GetString(bytes), "fuzz/config.json");
                Assert.True(ModelMemory.EstimateLoadBytes(config) > 0);
            },
            e => e is HfConfigException));
    }
}
