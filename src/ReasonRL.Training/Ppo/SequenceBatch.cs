// SequenceBatch: B prompt+response sequences right-padded to one length L, as a training forward
// needs them, with the index arithmetic between the padded rows [B, L] and the response-token grid
// [B, T] (T = longest response) that the RL losses use. Response token t of sequence b is predicted
// at row r(b, t) = b·L + P_b + t − 1 (P_b prompt tokens), so its log-prob, entropy and the critic's
// V(s_t) are all read at that row; Targets holds the response token there and −1 elsewhere.
// What it is not: a RolloutBatch (that holds the numbers) or a generator.
// Glossary: B sequences, L padded sequence length, T longest response, P_b / T_b lengths of sequence b.
using ReasonRL.Models;

namespace ReasonRL.Training.Ppo;

/// <summary>Right-padded prompt+response token batch.</summary>
internal sealed class SequenceBatch
{
    private readonly int[] _prompt, _response;

    /// <summary>Builds the batch; <paramref name="padId"/> fills the tail of shorter sequences.</summary>
    public SequenceBatch(IReadOnlyList<int[]> prompts, IReadOnlyList<int[]> responses, int padId)
    {
        if (prompts.Count != responses.Count || prompts.Count == 0)
            throw new ArgumentException($"sequence batch: {prompts.Count} prompts and {responses.Count} responses; expected the same non-zero count");
        Count = prompts.Count;
        _prompt = new int[Count];
        _response = new int[Count];
        for (int b = 0; b < Count; b++)
        {
            if (prompts[b].Length == 0 || responses[b].Length == 0) throw new ArgumentException($"sequence batch: sequence {b} has an empty prompt or response");
            _prompt[b] = prompts[b].Length;
            _response[b] = responses[b].Length;
            Length = Math.Max(Length, _prompt[b] + _response[b]);
            MaxResponse = Math.Max(MaxResponse, _response[b]);
        }
        Tokens = new int[Count * Length];
        Targets = new int[Count * Length];
        Array.Fill(Tokens, padId);
        Array.Fill(Targets, -1);
        Mask = new bool[Count * MaxResponse];
        for (int b = 0; b < Count; b++)
        {
            prompts[b].CopyTo(Tokens, b * Length);
            responses[b].CopyTo(Tokens, b * Length + _prompt[b]);
            for (int t = 0; t < _response[b]; t++)
            {
                Targets[Row(b, t)] = responses[b][t];
                Mask[b * MaxResponse + t] = true;
            }
        }
    }

    /// <summary>B.</summary>
    public int Count { get; }
    /// <summary>L.</summary>
    public int Length { get; }
    /// <summary>T.</summary>
    public int MaxResponse { get; }
    /// <summary>[B, L] token ids.</summary>
    public int[] Tokens { get; }
    /// <summary>[B, L] next-token targets at response-predicting rows, −1 elsewhere.</summary>
    public int[] Targets { get; }
    /// <summary>[B, T] true at real response tokens.</summary>
    public bool[] Mask { get; }

    /// <summary>Row predicting response token t of sequence b.</summary>
    public int Row(int b, int t) => b * Length + _prompt[b] + t - 1;

    /// <summary>Row of the last response token of sequence b (its hidden state is the state after the response).</summary>
    public int LastRow(int b) => b * Length + _prompt[b] + _response[b] - 1;

    /// <summary>Response tokens of sequence b.</summary>
    public int ResponseLength(int b) => _response[b];

    /// <summary>[B, L] row values → [B, T] response grid (masked positions 0).</summary>
    public void Gather(ReadOnlySpan<float> rows, Span<double> grid)
    {
        grid[..(Count * MaxResponse)].Clear();
        for (int b = 0; b < Count; b++)
            for (int t = 0; t < _response[b]; t++) grid[b * MaxResponse + t] = rows[Row(b, t)];
    }

    /// <summary>[B, T] response grid → [B, L] rows (other rows 0).</summary>
    public void Scatter(ReadOnlySpan<double> grid, Span<float> rows)
    {
        rows.Clear();
        for (int b = 0; b < Count; b++)
            for (int t = 0; t < _response[b]; t++) rows[Row(b, t)] = (float)grid[b * MaxResponse + t];
    }

    /// <summary>Training forward + LM head of <paramref name="model"/>; fills log π(y_t) and (when non-empty)
    /// the entropy H_t of the next-token distribution into [B, T] grids. Leaves activations for backward.</summary>
    public void ForwardLogProbs(Transformer model, Span<double> logProbs, Span<double> entropy)
    {
        model.Forward(Tokens, Count, Length);
        model.LmHeadForward();
        model.CrossEntropy(Targets);
        var a = model.Activations;
        Gather(a.Saved.View(a.LogProbs), logProbs);
        if (!entropy.IsEmpty) Gather(a.Saved.View(a.Entropy), entropy);
    }
}
