// PpoTrainer, part 2: the experience maker. Sampling (seeded per-sample Rng streams drawn from the
// trainer's own Rng, so a response depends only on the seed and the step) into RolloutRecords
// with the decoded text and exact offsets, reward scoring (a failed sample keeps its record with the
// error and is excluded from the update), then batched forwards of prompt+response (in length order with
// LengthGroupedBatches) for the old-policy and reference log-probs and the critic values, the per-token KL,
// and the advantages — all on the RolloutBatch of the scored records, in their order.
// KL (per valid token, d = logπ_old − logπ_ref): in the reward R_t ← R_t − β·KL_t before the advantages;
// in the loss it is recomputed with the current policy during the update.
using ReasonRL.Core;
using ReasonRL.Models;
using ReasonRL.Rewards.Composition;
using ReasonRL.Text;

namespace ReasonRL.Training.Ppo;

public sealed partial class PpoTrainer
{
    private RolloutRecord[] Generate(IReadOnlyList<PromptItem> prompts, CancellationToken ct)
    {
        int n = _options.RolloutsPerPrompt;
        var promptIds = new int[prompts.Count][];
        for (int p = 0; p < prompts.Count; p++) promptIds[p] = PromptIds.Of(_tokenizer, prompts[p].Prompt);
        var records = new RolloutRecord[prompts.Count * n];
        var rngs = new Rng[records.Length];
        for (int i = 0; i < rngs.Length; i++) rngs[i] = new Rng(_rng.NextUInt64());
        for (int start = 0; start < records.Length; start += _options.GenerationBatchSize)
        {
            ct.ThrowIfCancellationRequested();
            int count = Math.Min(_options.GenerationBatchSize, records.Length - start), before = start;
            var generation = new GenerationOptions
            {
                Temperature = _options.Temperature, MaxNewTokens = _options.MaxNewTokens, EosIds = _tokenizer.EosIds,
                Progress = Progress is null ? null : (_, running) => Report(PpoPhase.Generate, before + count - running, records.Length),
            };
            var batch = new int[count][];
            for (int k = 0; k < count; k++) batch[k] = promptIds[(start + k) / n];
            var results = Generator.GenerateBatch(_policy, batch, generation, new ArraySegment<Rng>(rngs, start, count));
            for (int k = 0; k < count; k++)
            {
                int group = (start + k) / n;
                var item = prompts[group];
                var (text, offsets) = ResponseText.Decode(_tokenizer, results[k].Tokens);
                records[start + k] = new RolloutRecord(item.Id, item.Prompt, item.Gold, group, batch[k], results[k].Tokens, results[k].LogProbs,
                    results[k].FinishReason == FinishReason.Length, text, offsets);
            }
            Report(PpoPhase.Generate, start + count, records.Length);
        }
        return records;
    }

    /// <summary>The records with their rewards (or errors) filled in.</summary>
    private RolloutRecord[] Score(RolloutRecord[] records, CancellationToken ct)
    {
        var policySamples = new PolicySample[records.Length];
        for (int i = 0; i < records.Length; i++)
            policySamples[i] = new PolicySample(records[i].Prompt, records[i].Response, records[i].Gold, records[i].Offsets);
        Report(PpoPhase.Score, 0, 1);
        var results = _rewards.ScoreAsync(policySamples, ct).GetAwaiter().GetResult();
        Report(PpoPhase.Score, 1, 1);
        if (results.Count != records.Length)
            throw new InvalidOperationException($"ppo: the reward pipeline returned {results.Count} results for {records.Length} samples");
        var scored = new RolloutRecord[records.Length];
        for (int i = 0; i < records.Length; i++)
        {
            var reward = results[i].Reward;
            string? error = results[i].Error;
            if (reward is not null && reward.TokenRewards.Length != records[i].ResponseTokens.Length)
            {
                error = $"reward has {reward.TokenRewards.Length} token rewards for {records[i].ResponseTokens.Length} response tokens";
                reward = null;
            }
            scored[i] = records[i] with { Reward = reward, Error = reward is null ? error ?? "no reward" : null };
        }
        return scored;
    }

    /// <summary>The RolloutBatch of <paramref name="records"/> (all scored), their advantages and the mean KL per token / per sequence.</summary>
    private (RolloutBatch Batch, AdvantageResult Advantages, double KlPerToken, double KlPerSequence) MakeExperience(
        IReadOnlyList<RolloutRecord> records, double beta, CancellationToken ct)
    {
        int b = records.Count, t = 0;
        foreach (var r in records) t = Math.Max(t, r.ResponseTokens.Length);
        bool useKl = _options.KlPlacement != KlPlacement.None;
        var old = new double[b * t];
        var reference = useKl ? new double[b * t] : null;
        var values = _critic is not null ? new double[b * t] : null;
        var bootstrap = _critic is not null ? new double[b] : null;
        // forward batches: record order, or (length-grouped) length order in batches no larger than a minibatch
        var order = new int[b];
        for (int k = 0; k < b; k++) order[k] = k;
        int forwardBatch = _options.ForwardBatchSize;
        if (_options.LengthGroupedBatches)
        {
            order = ByLength(order, records);
            forwardBatch = Math.Min(forwardBatch, _options.MiniBatchSize);
        }
        for (int start = 0; start < b; start += forwardBatch)
        {
            ct.ThrowIfCancellationRequested();
            var members = new ArraySegment<int>(order, start, Math.Min(forwardBatch, b - start));
            var sb = new SequenceBatch(Select(records, members, r => r.PromptTokens), Select(records, members, r => r.ResponseTokens), _padId);
            var grid = new double[members.Count * sb.MaxResponse];
            if (_options.ReuseSamplingLogProbs)
            {
                foreach (int k in members)
                {
                    var lp = records[k].SamplingLogProbs;
                    for (int j = 0; j < lp.Length; j++) old[k * t + j] = lp[j];
                }
            }
            else
            {
                sb.ForwardLogProbs(_policy, grid, default);
                Scatter(grid, sb.MaxResponse, old, t, members);
            }
            if (reference is not null)
            {
                sb.ForwardLogProbs(_reference, grid, default);
                Scatter(grid, sb.MaxResponse, reference, t, members);
            }
            if (_critic is not null)
            {
                var last = new double[members.Count];
                _critic.Forward(sb, grid, last);
                Scatter(grid, sb.MaxResponse, values!, t, members);
                for (int i = 0; i < members.Count; i++) bootstrap![members[i]] = last[i];
            }
            Report(PpoPhase.Experience, start + members.Count, b);
        }
        var mask = new bool[b * t];
        var rewards = new double[b * t];
        var truncated = new bool[b];
        var groups = new int[b];
        for (int k = 0; k < b; k++)
        {
            var tokenRewards = records[k].Reward!.TokenRewards;
            for (int j = 0; j < tokenRewards.Length; j++) { mask[k * t + j] = true; rewards[k * t + j] = tokenRewards[j]; }
            truncated[k] = records[k].Truncated;
            groups[k] = records[k].Group;
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
        var adv = Advantages.Compute(_options.Estimator, batch, new AdvantageOptions(_options.Gamma, _options.Lambda, _options.WhitenAdvantages));
        return (batch, adv, klToken, klSeq);
    }

    /// <summary>Copies row i of a [members, tFrom] grid into row members[i] of a [*, tTo] grid (tFrom ≤ tTo).</summary>
    private static void Scatter(double[] from, int tFrom, double[] to, int tTo, ArraySegment<int> members)
    {
        for (int i = 0; i < members.Count; i++) Array.Copy(from, i * tFrom, to, members[i] * tTo, tFrom);
    }
}
