// SafeTensorsTensor: one named tensor as loaded from (or to be written to) a .safetensors file:
// name, shape, the dtype it has in the file, and its values in memory — float[] for F32/F16/BF16
// (converted to F32 on load), long[] for I32/I64 (token ids). Values are row-major (C order),
// exactly as PyTorch stores them: a Linear weight is [out, in].
// What it is not: a compute tensor (the engine's slabs live in ReasonRL.Tensors) or a view into
// the file (values are copied out; files are small enough for our models).
namespace ReasonRL.Models;

/// <summary>A named, shaped tensor of floats or integers, row-major.</summary>
public sealed class SafeTensorsTensor
{
    private readonly int[] shape;
    private readonly float[]? floats;
    private readonly long[]? integers;

    private SafeTensorsTensor(string name, SafeTensorsDType dtype, int[] shape, float[]? floats, long[]? integers)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        long count = ElementCountOf(shape, name);
        long length = floats?.LongLength ?? integers!.LongLength;
        if (count != length)
            throw new ArgumentException($"tensor \"{name}\": shape [{string.Join(", ", shape)}] holds {count} elements, got {length} values");
        Name = name;
        DType = dtype;
        this.shape = (int[])shape.Clone();
        this.floats = floats;
        this.integers = integers;
    }

    /// <summary>A float tensor that will be stored as <paramref name="storeAs"/> (F32, F16 or BF16)
    /// when written. <paramref name="values"/> is kept, not copied.</summary>
    public static SafeTensorsTensor FromFloats(string name, int[] shape, float[] values, SafeTensorsDType storeAs = SafeTensorsDType.F32)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (SafeTensorsDTypes.IsInteger(storeAs)) throw new ArgumentException($"tensor \"{name}\": float values cannot be stored as {storeAs}");
        return new(name, storeAs, shape, values, null);
    }

    /// <summary>An integer tensor stored as <paramref name="storeAs"/> (I64 or I32).
    /// <paramref name="values"/> is kept, not copied.</summary>
    public static SafeTensorsTensor FromIntegers(string name, int[] shape, long[] values, SafeTensorsDType storeAs = SafeTensorsDType.I64)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (!SafeTensorsDTypes.IsInteger(storeAs)) throw new ArgumentException($"tensor \"{name}\": integer values cannot be stored as {storeAs}");
        return new(name, storeAs, shape, null, values);
    }

    /// <summary>The same name, shape and values, to be written as <paramref name="dtype"/>
    /// (float tensors: F32/F16/BF16; integer tensors: I32/I64). Values are shared, not copied.</summary>
    public SafeTensorsTensor StoredAs(SafeTensorsDType dtype) => IsInteger
        ? FromIntegers(Name, shape, integers!, dtype)
        : FromFloats(Name, shape, floats!, dtype);

    /// <summary>The tensor's key in the file, e.g. "model.layers.0.self_attn.q_proj.weight".</summary>
    public string Name { get; }

    /// <summary>The element type in the file (loaded) or to be used when written.</summary>
    public SafeTensorsDType DType { get; }

    /// <summary>Dimensions, outermost first; empty for a scalar.</summary>
    public IReadOnlyList<int> Shape => shape;

    /// <summary>Product of the dimensions (1 for a scalar).</summary>
    public long ElementCount => floats?.LongLength ?? integers!.LongLength;

    /// <summary>True when the values are integers (I32/I64).</summary>
    public bool IsInteger => integers is not null;

    /// <summary>The values of a float tensor (F32/F16/BF16, as F32), row-major.</summary>
    public float[] Floats => floats ?? throw new InvalidOperationException(
        $"tensor \"{Name}\" holds {SafeTensorsDTypes.HeaderName(DType)} integers, not floats; use Integers");

    /// <summary>The values of an integer tensor (I32/I64), row-major.</summary>
    public long[] Integers => integers ?? throw new InvalidOperationException(
        $"tensor \"{Name}\" holds {SafeTensorsDTypes.HeaderName(DType)} floats, not integers; use Floats");

    /// <summary>Bytes the tensor occupies in a file with its <see cref="DType"/>.</summary>
    public long ByteLength => checked(ElementCount * SafeTensorsDTypes.SizeOf(DType));

    /// <summary>True when the shape equals <paramref name="expected"/>.</summary>
    public bool HasShape(ReadOnlySpan<int> expected) => expected.SequenceEqual(shape);

    /// <summary>Shape as text, e.g. "[896, 151936]".</summary>
    public string ShapeText => FormatShape(shape);

    /// <summary>"[a, b, …]" for messages.</summary>
    public static string FormatShape(IEnumerable<int> dims) => "[" + string.Join(", ", dims) + "]";

    private static long ElementCountOf(int[] shape, string name)
    {
        ArgumentNullException.ThrowIfNull(shape);
        long count = 1;
        foreach (int d in shape)
        {
            if (d < 0) throw new ArgumentException($"tensor \"{name}\": dimension {d} is negative");
            count = checked(count * d);
        }
        return count;
    }
}
