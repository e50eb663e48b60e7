// OpenBlasGemm: IGemm over OpenBLAS's cblas_sgemm through LibraryImport (docs/conventions.md §10: BLAS stays
// optional, behind the same interface, chosen explicitly). What it is: a thin P/Invoke wrapper that
// loads Debian's libopenblas0-pthread from its multiarch folder (or REASONRL_OPENBLAS / the
// default search path). What it is not: the default; nothing in ReasonRL needs a native library.
// Reference: CBLAS row-major sgemm (enum values CblasRowMajor = 101, CblasNoTrans = 111, CblasTrans = 112).
using System.Runtime.InteropServices;

namespace ReasonRL.Tensors;

/// <summary>SGEMM by OpenBLAS; construct with <see cref="Create"/> or probe with <see cref="TryLoad"/>.</summary>
public sealed unsafe partial class OpenBlasGemm : IGemm
{
    private const string LibraryName = "reasonrl-openblas";
    private const int RowMajor = 101, NoTrans = 111, Trans = 112;

    /// <summary>Candidate paths, in order: $REASONRL_OPENBLAS, Debian's pthread variant, the loader's default.</summary>
    public static IReadOnlyList<string> CandidatePaths { get; } = BuildCandidates();

    private static readonly Lazy<(nint Handle, string? Error)> Loaded = new(Load);

    private OpenBlasGemm() { }

    public string Name => "openblas";

    /// <summary>True when the library loads; <paramref name="reason"/> says why not otherwise.</summary>
    public static bool TryLoad(out string reason)
    {
        var (handle, error) = Loaded.Value;
        reason = error ?? "";
        return handle != 0;
    }

    /// <summary>The OpenBLAS GEMM; throws <see cref="DllNotFoundException"/> listing the paths tried.</summary>
    public static OpenBlasGemm Create()
    {
        if (!TryLoad(out var reason)) throw new DllNotFoundException(reason);
        return new OpenBlasGemm();
    }

    /// <summary>Sets OpenBLAS's worker thread count (openblas_set_num_threads).</summary>
    public static void SetThreadCount(int threads)
    {
        if (!TryLoad(out var reason)) throw new DllNotFoundException(reason);
        openblas_set_num_threads(threads);
    }

    public void Multiply(Transpose transA, Transpose transB, int m, int n, int k,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb,
        bool accumulate, Span<float> c, int ldc)
    {
        GemmChecks.Validate(transA, transB, m, n, k, a.Length, lda, b.Length, ldb, c.Length, ldc);
        if (m == 0 || n == 0) return;
        if (k == 0)
        {
            if (!accumulate) for (int i = 0; i < m; i++) c.Slice(i * ldc, n).Clear();
            return;
        }
        fixed (float* pa = a) fixed (float* pb = b) fixed (float* pc = c)
        {
            cblas_sgemm(RowMajor, transA == Transpose.No ? NoTrans : Trans, transB == Transpose.No ? NoTrans : Trans,
                m, n, k, 1f, pa, Math.Max(1, lda), pb, Math.Max(1, ldb), accumulate ? 1f : 0f, pc, Math.Max(1, ldc));
        }
    }

    [LibraryImport(LibraryName)]
    private static partial void cblas_sgemm(int order, int transA, int transB, int m, int n, int k,
        float alpha, float* a, int lda, float* b, int ldb, float beta, float* c, int ldc);

    [LibraryImport(LibraryName)]
    private static partial void openblas_set_num_threads(int threads);

    private static List<string> BuildCandidates()
    {
        var list = new List<string>();
        var env = Environment.GetEnvironmentVariable("REASONRL_OPENBLAS");
        if (!string.IsNullOrEmpty(env)) list.Add(env);
        list.Add("/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblas.so.0");
        list.Add("/usr/lib/aarch64-linux-gnu/openblas-pthread/libopenblas.so.0");
        list.Add("libopenblas.so.0");
        return list;
    }

    private static (nint, string?) Load()
    {
        foreach (var path in CandidatePaths)
        {
            if (NativeLibrary.TryLoad(path, out var handle)
                && NativeLibrary.TryGetExport(handle, "cblas_sgemm", out _))
            {
                NativeLibrary.SetDllImportResolver(typeof(OpenBlasGemm).Assembly, (name, _, _) => name == LibraryName ? handle : 0);
                return (handle, null);
            }
        }
        return (0, "OpenBLAS not found (install Debian's libopenblas0-pthread or set REASONRL_OPENBLAS); tried: "
            + string.Join(", ", CandidatePaths));
    }
}
