// RewardModelScoring: the batching and failure handling shared by the model-backed sources
// (PrmRewardSource, OrmRewardSource): build each sample's inputs, mark samples that cannot be scored
// (input building threw, too many tokens) as Failed, score the rest in batches under one lock (a model
// holds activation buffers, so one call at a time), and fail — never zero — any non-finite result.
// Not a source itself and not the input layout (RewardModelInputs).
using ReasonRL.Models;

namespace ReasonRL.Rewards.Sources;

internal static class RewardModelScoring
{
    /// <summary>Scores <paramref name="batch"/>; one SampleScore per sample, in order.</summary>
    /// <param name="build">Sample → (tokens, read positions); may throw ArgumentException for a bad sample.</param>
    /// <param name="score">Tokens and positions of a sub-batch → one logit per position (RewardModel call).</param>
    /// <param name="finish">A sample's logits (all finite) → its SampleScore.</param>
    public static IReadOnlyList<SampleScore> Run(RewardModel model, object gate, IReadOnlyList<RewardSample> batch, int batchSize,
        Func<RewardSample, (int[] Tokens, int[] Positions)> build,
        Func<IReadOnlyList<int[]>, IReadOnlyList<int[]>, float[][]> score,
        Func<float[], SampleScore> finish, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var results = new SampleScore[batch.Count];
        var ready = new List<(int Index, int[] Tokens, int[] Positions)>();
        int maxTokens = model.Backbone.Config.MaxPositionEmbeddings;
        for (int i = 0; i < batch.Count; i++)
        {
            try
            {
                var (tokens, positions) = build(batch[i]);
                if (tokens.Length > maxTokens)
                    results[i] = SampleScore.Fail($"{tokens.Length} tokens exceed the reward model's max_position_embeddings {maxTokens}");
                else if (tokens.Length == 0)
                    results[i] = SampleScore.Fail("the sample encodes to no tokens");
                else
                    ready.Add((i, tokens, positions));
            }
            catch (ArgumentException e)
            {
                results[i] = SampleScore.Fail($"cannot build reward-model input: {e.Message}");
            }
        }
        for (int start = 0; start < ready.Count; start += Math.Max(1, batchSize))
        {
            ct.ThrowIfCancellationRequested();
            var chunk = ready.Skip(start).Take(Math.Max(1, batchSize)).ToList();
            float[][] logits;
            lock (gate)
            {
                logits = score(chunk.ConvertAll(c => c.Tokens), chunk.ConvertAll(c => c.Positions));
            }
            for (int j = 0; j < chunk.Count; j++)
            {
                var values = logits[j];
                int bad = Array.FindIndex(values, v => !float.IsFinite(v));
                results[chunk[j].Index] = bad >= 0
                    ? SampleScore.Fail($"reward model produced a non-finite score ({values[bad]}) at position {chunk[j].Positions[bad]}")
                    : finish(values);
            }
        }
        return results;
    }
}
