// CheckpointParts: AdamW optimizer state ↔ a CheckpointStore part (tensors "step" [1] I64, "m" [n], "v" [n] F32).
// What it is not: the store (CheckpointStore) or the optimizer (AdamWOptimizer.CaptureState).
using ReasonRL.Models;
using ReasonRL.Training;

namespace ReasonRL.Runs;

/// <summary>Optimizer state as checkpoint tensors.</summary>
public static class CheckpointParts
{
    /// <summary>The part holding <paramref name="state"/>.</summary>
    public static CheckpointPart Optimizer(string name, AdamWOptimizerState state) => new(name,
    [
        SafeTensorsTensor.FromIntegers("step", [1], [state.Step]),
        SafeTensorsTensor.FromFloats("m", [state.FirstMoment.Length], state.FirstMoment),
        SafeTensorsTensor.FromFloats("v", [state.SecondMoment.Length], state.SecondMoment),
    ]);

    /// <summary>Reads a part written by <see cref="Optimizer"/>.</summary>
    public static AdamWOptimizerState ReadOptimizer(SafeTensorsFile part) =>
        new((int)part["step"].Integers[0], part["m"].Floats, part["v"].Floats);
}
