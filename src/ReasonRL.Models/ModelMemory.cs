// ModelMemory: the up-front memory estimate that refuses, before any tensor is read, a model
// larger than the machine (or than the --max-model-gib a command was given). The estimate is the
// float32 parameters twice: HfCheckpoint holds the file's tensors as float32 while the transformer
// copies them into its parameter slab (docs/conventions.md §9). Training needs more (gradients,
// AdamW moments, activations); this is the floor below which loading cannot succeed.
// What it is not: an allocator or a measurement of what was actually allocated.
namespace ReasonRL.Models;

/// <summary>Estimated bytes to load a model, and the check against a limit.</summary>
public static class ModelMemory
{
    /// <summary>Bytes per GiB.</summary>
    public const long BytesPerGiB = 1L << 30;

    /// <summary>The default limit: the memory this process may use (physical memory, or the
    /// container's limit when there is one), as the runtime reports it.</summary>
    public static long DefaultLimitBytes => GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;

    /// <summary>Parameters × 4 bytes × 2 (the checkpoint's float32 tensors and the transformer's slab),
    /// in checked arithmetic. The config must be valid (<see cref="ModelConfig.Validate"/>).</summary>
    public static long EstimateLoadBytes(ModelConfig config) => checked(new ParameterLayout(config).ParameterCount * sizeof(float) * 2);

    /// <summary>Throws <see cref="HfConfigException"/> naming <paramref name="source"/> and the size
    /// fields when <see cref="EstimateLoadBytes"/> exceeds <paramref name="limitBytes"/>
    /// (null: <see cref="DefaultLimitBytes"/>).</summary>
    public static void Check(ModelConfig config, string source, long? limitBytes = null)
    {
        long limit = limitBytes ?? DefaultLimitBytes;
        long need = EstimateLoadBytes(config);
        if (need <= limit) return;
        string origin = limitBytes is null ? "this machine's memory" : "--max-model-gib";
        throw new HfConfigException(source, "vocab_size, hidden_size, intermediate_size, num_hidden_layers",
            $"a model that loads within {Gib(limit)} GiB ({origin}; float32 parameters held twice while loading)",
            $"an estimated {Gib(need)} GiB");
    }

    /// <summary>The same check for a model directory before anything is loaded from it: reads
    /// <paramref name="directory"/>/config.json and throws as <see cref="Check"/> does. A directory without
    /// a config.json is left to the load, which reports it with its own error.</summary>
    /// <exception cref="HfConfigException">config.json cannot be mapped, or the model is too large.</exception>
    public static void CheckDirectory(string directory, long? limitBytes = null)
    {
        string configPath = Path.Combine(directory, HfCheckpoint.ConfigFileName);
        if (File.Exists(configPath)) Check(HfConfig.Load(configPath), configPath, limitBytes);
    }

    /// <summary>GiB → bytes for a --max-model-gib value (must be positive and finite).</summary>
    public static long GibToBytes(double gib) => gib > 0 && double.IsFinite(gib) && gib * BytesPerGiB < long.MaxValue
        ? (long)(gib * BytesPerGiB)
        : throw new ArgumentOutOfRangeException(nameof(gib), gib, "--max-model-gib must be a positive number of GiB");

    private static string Gib(long bytes) => (bytes / (double)BytesPerGiB).ToString("0.###", System.Globalization.CultureInfo.InvariantCulture);
}
