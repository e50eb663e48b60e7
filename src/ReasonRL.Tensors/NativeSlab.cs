// NativeSlab: one 64-byte-aligned native allocation of floats, carved into named tensors by a
// SlabLayout (docs/conventions.md §9). What it is: the owner of parameter / gradient / moment / activation
// memory, handing out Span<float> views by name or by layout entry. What it is not: a tensor type
// with shapes and operators (kernels take spans plus explicit sizes).
// Offsets are long (nint) so slabs above 2^31 floats work; one tensor's length is an int.
// Reference: llm.c's single malloc'd parameter block; NativeMemory.AlignedAlloc docs.
using System.Runtime.InteropServices;

namespace ReasonRL.Tensors;

/// <summary>An aligned, zero-initialised native float buffer laid out by a <see cref="SlabLayout"/>.</summary>
public sealed unsafe class NativeSlab : IDisposable
{
    private float* _data;
    private readonly long _capacity;

    /// <summary>Alignment of the allocation in bytes (one cache line, one AVX-512 vector).</summary>
    public const int Alignment = 64;

    /// <summary>The layout this slab is carved by.</summary>
    public SlabLayout Layout { get; private set; }

    /// <summary>Floats allocated (at least <see cref="Length"/>).</summary>
    public long Capacity => _capacity;

    /// <summary>Total float count.</summary>
    public long Length => Layout.TotalLength;

    /// <summary>Allocates <paramref name="layout"/>.TotalLength floats, zeroed.</summary>
    public NativeSlab(SlabLayout layout)
    {
        Layout = layout;
        _capacity = Math.Max(1, layout.TotalLength);
        var bytes = (nuint)_capacity * sizeof(float);
        _data = (float*)NativeMemory.AlignedAlloc(bytes, Alignment);
        NativeMemory.Clear(_data, bytes);
    }

    /// <summary>Carves the same allocation by <paramref name="layout"/> when it fits in <see cref="Capacity"/>,
    /// zeroing the floats it uses (so the slab reads as a fresh one); false, and nothing changed, when it
    /// does not fit. Activations of varying shape reuse one allocation instead of mapping and faulting
    /// in new memory for every shape.</summary>
    public bool TryRelayout(SlabLayout layout)
    {
        ArgumentNullException.ThrowIfNull(layout);
        ObjectDisposedException.ThrowIf(_data is null, this);
        if (layout.TotalLength > _capacity) return false;
        Layout = layout;
        Clear();
        return true;
    }

    /// <summary>The floats of the tensor named <paramref name="name"/>.</summary>
    public Span<float> this[string name] => View(Layout[name]);

    /// <summary>The floats of one layout entry.</summary>
    public Span<float> View(SlabEntry entry)
    {
        ObjectDisposedException.ThrowIf(_data is null, this);
        return new Span<float>(_data + entry.Offset, entry.Length);
    }

    /// <summary>Native address of an entry's first float (alignment checks, native interop).</summary>
    public nint AddressOf(SlabEntry entry) => (nint)(_data + entry.Offset);

    /// <summary>The floats from <paramref name="offset"/>, <paramref name="length"/> long (for flat ops such as AdamW over a whole slab).</summary>
    public Span<float> Range(long offset, int length)
    {
        ObjectDisposedException.ThrowIf(_data is null, this);
        if (offset < 0 || length < 0 || offset + length > Length)
            throw new ArgumentOutOfRangeException(nameof(offset), $"slab range [{offset}, {offset + length}) outside [0, {Length})");
        return new Span<float>(_data + offset, length);
    }

    /// <summary>Sets every float to zero (the single explicit ZeroGrad per step, docs/conventions.md §3).</summary>
    public void Clear() => NativeMemory.Clear(_data, (nuint)Math.Max(1, Length) * sizeof(float));

    /// <summary>Copies every float of <paramref name="source"/> (same layout length) into this slab.</summary>
    public void CopyFrom(NativeSlab source)
    {
        if (source.Length != Length) throw new ArgumentException($"slab copy: length {source.Length} != {Length}");
        Buffer.MemoryCopy(source._data, _data, Length * sizeof(float), Length * sizeof(float));
    }

    /// <summary>Calls <paramref name="action"/> on consecutive chunks of at most int.MaxValue floats covering the slab.</summary>
    public void ForEachChunk(SpanAction action)
    {
        for (long off = 0; off < Length; off += int.MaxValue)
            action(Range(off, (int)Math.Min(int.MaxValue, Length - off)));
    }

    /// <summary>A callback over a chunk of the slab.</summary>
    public delegate void SpanAction(Span<float> chunk);

    public void Dispose()
    {
        if (_data is not null)
        {
            NativeMemory.AlignedFree(_data);
            _data = null;
        }
        GC.SuppressFinalize(this);
    }

    ~NativeSlab()
    {
        if (_data is not null) NativeMemory.AlignedFree(_data);
    }
}
