// NonFiniteTrainingException: thrown when the NaN/Inf guard has skipped MaxConsecutiveNonFinite
// updates in a row. No skipped update touched the weights or the optimizer, so the caller can save
// or inspect the last good state (weights, CaptureState) after catching it.
// What it is not: thrown for a single bad update (those are skipped and counted in the metrics).
namespace ReasonRL.Training.Ppo;

/// <summary>Training stopped after too many non-finite updates in a row.</summary>
public sealed class NonFiniteTrainingException(string message) : Exception(message);
