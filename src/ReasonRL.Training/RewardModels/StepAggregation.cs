// StepAggregation: how a PRM's step scores become one response score for best-of-N selection
// (docs/reward-methods.md §8: min, product, last, mean). Not the selection itself (RewardModelMetrics.BestOfN).
namespace ReasonRL.Training.RewardModels;

/// <summary>How best-of-N turns a PRM's step scores into one response score.</summary>
public enum StepAggregation
{
    /// <summary>min_k s_k (PURE / Qwen PRM test-time practice).</summary>
    Min,

    /// <summary>s_K, the last step's score.</summary>
    Last,

    /// <summary>Π_k s_k.</summary>
    Product,

    /// <summary>(1/K) Σ_k s_k.</summary>
    Mean,
}
