// PpoTrainer, part 2: the experience maker. Sampling (seeded per-sample Rng streams drawn from the
// trainer's Xoshiro stream, so a response depends only on the seed and the step), response decoding
// with exact offsets, reward scoring (a failed sample is kept as a record with its error and excluded
// from the update), then batched forwards of prompt+response for the old-policy and reference
// log-probs and the critic values, the per-token KL, and the advantages.
// KL (per valid token, d = logπ_old − logπ_ref): in the reward R_t ← R_t − β·KL_t before the advantages;
// in the loss it is recomputed with the current policy during the update.
using ReasonRL.Core;
using ReasonRL.Models;
using ReasonRL.Text;
using ReasonRL.Rewards.Composition;

namespace ReasonRL.Training.Ppo;

public sealed partial class PpoTrainer
{
    /// <summary>One sampled response: its prompt index (the group) and ids.</summary>
    private sealed record Sample(int PromptIndex, int[] Prompt, int[] Response, float[] SamplingLogProbs, bool Truncated);

    /// <summary>The numbers of the valid samples on a [B, T] grid (B valid responses, T the longest).</summary>
    private sealed class Experience
    {
        public required int[][] Prompts { get; init; }
        public required int[][] Responses { get; init; }
        public required int MaxTokens { get; init; }
        public required double[] OldLogProbs { get; init; }
        public required double[]? RefLogProbs { get; init; }
        public required double[]? OldValues { get; init; }
        public required double[] Advantages { get; init; }
        public required double[]? Returns { get; init; }
        public required double KlMeanPerToken { get; init; }
        public required double KlMeanPerSequence { get; init; }
        public int Count => Prompts.Length;
    }

    private Sample[] Generate(IReadOnlyList<PromptItem> prompts, CancellationToken ct)
    {
        int n = _options.RolloutsPerPrompt;
        var promptIds = new int[prompts.Count][];
        for (int p = 0; p < prompts.Count; p++) promptIds[p] = PromptIds.Of(_tokenizer, prompts[p].Prompt);
        var samples = new Sample[prompts.Count * n];
        var rngs = new Rng[samples.Length];
        for (int i = 0; i < rngs.Length; i++) rngs[i] = new Rng(_rng.NextUInt64());
        for (int start = 0; start < samples.Length; start += _options.GenerationBatchSize)
        {
            ct.ThrowIfCancellationRequested();
            int count = Math.Min(_options.GenerationBatchSize, samples.Length - start), before = start;
            var generation = new GenerationOptions
            {
                Temperature = _options.Temperature, MaxNewTokens = _options.MaxNewTokens, EosIds = _tokenizer.EosIds,
                Progress = Progress is null ? null : (_, running) => Report(PpoPhase.Generate, before + count - running, samples.Length),
            };
            var batch = new int[count][];
            for (int k = 0; k < count; k++) batch[k] = promptIds[(start + k) / n];
            var results = Generator.GenerateBatch(_policy, batch, generation, new ArraySegment<Rng>(rngs, start, count));
            for (int k = 0; k < count; k++)
                samples[start + k] = new Sample((start + k) / n, batch[k], results[k].Tokens, results[k].LogProbs, results[k].FinishReason == FinishReason.Length);
            Report(PpoPhase.Generate, start + count, samples.Length);
        }
        return samples;
    }

    private RolloutRecord[] Score(IReadOnlyList<PromptItem> prompts, Sample[] samples, CancellationToken ct)
    {
        var texts = new string[samples.Length];
        var policySamples = new PolicySample[samples.Length];
        for (int i = 0; i < samples.Length; i++)
        {
            var (text, offsets) = ResponseText.Decode(_tokenizer, samples[i].Response);
            texts[i] = text;
            var item = prompts[samples[i].PromptIndex];
            policySamples[i] = new PolicySample(item.Prompt, text, item.Gold, offsets);
        }
        Report(PpoPhase.Score, 0, 1);
        var results = _rewards.ScoreAsync(policySamples, ct).GetAwaiter().GetResult();
        Report(PpoPhase.Score, 1, 1);
        if (results.Count != samples.Length)
            throw new InvalidOperationException($"ppo: the reward pipeline returned {results.Count} results for {samples.Length} samples");
        var records = new RolloutRecord[samples.Length];
        for (int i = 0; i < samples.Length; i++)
        {
            var item = prompts[samples[i].PromptIndex];
            var reward = results[i].Reward;
            string? error = results[i].Error;
            if (reward is not null && reward.TokenRewards.Length != samples[i].Response.Length)
            {
                error = $"reward has {reward.TokenRewards.Length} token rewards for {samples[i].Response.Length} response tokens";
                reward = null;
            }
            records[i] = new RolloutRecord(item.Id, item.Prompt, texts[i], item.Gold, samples[i].Response, samples[i].Truncated,
                reward, reward is null ? error ?? "no reward" : null);
        }
        return records;
    }

    private Experience MakeExperience(Sample[] samples, RolloutRecord[] records, List<int> valid, double beta, CancellationToken ct)
    {
        int b = valid.Count;
        var prompts = new int[b][];
        var responses = new int[b][];
        int t = 0;
        for (int k = 0; k < b; k++)
        {
            prompts[k] = samples[valid[k]].Prompt;
            responses[k] = samples[valid[k]].Response;
            t = Math.Max(t, responses[k].Length);
        }
        bool useKl = _options.KlPlacement != KlPlacement.None;
        var old = new double[b * t];
        var reference = useKl ? new double[b * t] : null;
        var values = _critic is not null ? new double[b * t] : null;
        var bootstrap = _critic is not null ? new double[b] : null;
        for (int start = 0; start < b; start += _options.ForwardBatchSize)
        {
            ct.ThrowIfCancellationRequested();
            int count = Math.Min(_options.ForwardBatchSize, b - start);
            var sb = new SequenceBatch(new ArraySegment<int[]>(prompts, start, count), new ArraySegment<int[]>(responses, start, count), _padId);
            var grid = new double[count * sb.MaxResponse];
            if (_options.ReuseSamplingLogProbs)
            {
                for (int k = start; k < start + count; k++)
                {
                    var lp = samples[valid[k]].SamplingLogProbs;
                    for (int j = 0; j < lp.Length; j++) old[k * t + j] = lp[j];
                }
            }
            else
            {
                sb.ForwardLogProbs(_policy, grid, default);
                CopyRows(grid, sb.MaxResponse, old, t, start, count);
            }
            if (reference is not null)
            {
                sb.ForwardLogProbs(_reference, grid, default);
                CopyRows(grid, sb.MaxResponse, reference, t, start, count);
            }
            if (_critic is not null)
            {
                _critic.Forward(sb, grid, bootstrap!.AsSpan(start, count));
                CopyRows(grid, sb.MaxResponse, values!, t, start, count);
            }
            Report(PpoPhase.Experience, start + count, b);
        }
        var mask = new bool[b * t];
        var rewards = new double[b * t];
        var truncated = new bool[b];
        var groups = new int[b];
        for (int k = 0; k < b; k++)
        {
            var tokenRewards = records[valid[k]].Reward!.TokenRewards;
            for (int j = 0; j < tokenRewards.Length; j++) { mask[k * t + j] = true; rewards[k * t + j] = tokenRewards[j]; }
            truncated[k] = samples[valid[k]].Truncated;
            groups[k] = samples[valid[k]].PromptIndex;
        }
        double klToken = 0, klSeq = 0;
        if (reference is not null)
        {
            var kl = KlPenalty.PerToken(old, reference, mask, _options.KlEstimator);
            int tokens = 0;
            foreach (bool m in mask) if (m) tokens++;
            foreach (double x in kl) klToken += x;
            klSeq = klToken / b;
            klToken /= Math.Max(1, tokens);
            if (_options.KlPlacement == KlPlacement.InReward) rewards = KlPenalty.ApplyToRewards(rewards, kl, mask, beta);
        }
        var batch = new RolloutBatch
        {
            BatchSize = b, MaxTokens = t, Mask = mask, OldLogProbs = old, RefLogProbs = reference, Values = values,
            BootstrapValues = bootstrap, TokenRewards = rewards, Truncated = truncated, GroupIndex = groups,
        };
        var adv = Advantages.Compute(_options.Estimator, batch,
            new AdvantageOptions(_options.Gamma, _options.Lambda, _options.WhitenAdvantages));
        return new Experience
        {
            Prompts = prompts, Responses = responses, MaxTokens = t, OldLogProbs = old, RefLogProbs = reference, OldValues = values,
            Advantages = adv.Advantages, Returns = adv.Returns, KlMeanPerToken = klToken, KlMeanPerSequence = klSeq,
        };
    }

    /// <summary>Copies rows of a [count, tFrom] grid into rows start.. of a [*, tTo] grid (tFrom ≤ tTo).</summary>
    private static void CopyRows(double[] from, int tFrom, double[] to, int tTo, int start, int count)
    {
        for (int r = 0; r < count; r++) Array.Copy(from, r * tFrom, to, (start + r) * tTo, tFrom);
    }
}
