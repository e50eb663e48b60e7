// SlabLayout: an explicit, ordered (name, shape) table mapped to offsets in one slab (docs/conventions.md §9).
// What it is: the single source of truth for where each named tensor lives; entries are in the
// order they were added (never reflection / property order). Each entry starts 16-float (64-byte)
// aligned so every tensor view is vector aligned. What it is not: the memory itself (NativeSlab).
namespace ReasonRL.Tensors;

/// <summary>One named tensor of a layout: shape, element offset in the slab, element count.</summary>
public sealed record SlabEntry(string Name, int[] Shape, long Offset, int Length)
{
    /// <summary>Shape as text, e.g. "[64, 128]".</summary>
    public string ShapeText => "[" + string.Join(", ", Shape) + "]";
}

/// <summary>Builder and lookup of an ordered name → shape → offset table.</summary>
public sealed class SlabLayout
{
    private const int AlignFloats = 16;
    private readonly List<SlabEntry> _entries = [];
    private readonly Dictionary<string, SlabEntry> _byName = new(StringComparer.Ordinal);

    /// <summary>Total floats including alignment padding.</summary>
    public long TotalLength { get; private set; }

    /// <summary>Entries in insertion order.</summary>
    public IReadOnlyList<SlabEntry> Entries => _entries;

    /// <summary>Appends a tensor; throws on a duplicate name or a non-positive / overflowing shape.</summary>
    public SlabEntry Add(string name, params int[] shape)
    {
        if (_byName.ContainsKey(name)) throw new ArgumentException($"slab layout: duplicate tensor name \"{name}\"");
        long count = 1;
        foreach (var d in shape)
        {
            if (d < 0) throw new ArgumentException($"slab layout: tensor \"{name}\" has negative dimension in [{string.Join(", ", shape)}]");
            count = checked(count * d);
        }
        if (count > int.MaxValue) throw new ArgumentException($"slab layout: tensor \"{name}\" has {count} elements, more than int.MaxValue");
        var entry = new SlabEntry(name, (int[])shape.Clone(), TotalLength, (int)count);
        TotalLength = checked(TotalLength + (count + AlignFloats - 1) / AlignFloats * AlignFloats);
        _entries.Add(entry);
        _byName.Add(name, entry);
        return entry;
    }

    /// <summary>The entry named <paramref name="name"/>; throws naming the missing key.</summary>
    public SlabEntry this[string name] => _byName.TryGetValue(name, out var e)
        ? e
        : throw new KeyNotFoundException($"slab layout: no tensor named \"{name}\" (layout has {_entries.Count} tensors)");

    /// <summary>True when a tensor of that name exists.</summary>
    public bool Contains(string name) => _byName.ContainsKey(name);

    /// <summary>Sum of the element counts (no padding): the parameter count of a parameter layout.</summary>
    public long ElementCount => _entries.Sum(e => (long)e.Length);
}
