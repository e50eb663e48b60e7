// Critic: the PPO value model V(s_t) — a Transformer backbone with a ScalarHead ("value_head") read at
// every position. Initialised from the policy (weights copied, head random) or from a reward model's
// backbone + ORM head (both copied), so the critic never shares memory with the model it came from.
// What it is not: an optimizer owner (PpoTrainer owns the critic's AdamW state) or a reward model.
// Reference: OpenRLHF CriticModel (value_head on the LM backbone), InstructGPT (critic from the RM).
using ReasonRL.Models;

namespace ReasonRL.Training.Ppo;

/// <summary>Value model = backbone + scalar head; owns both.</summary>
public sealed class Critic : IDisposable
{
    private Critic(Transformer backbone, ScalarHead head)
    {
        if (head.Width != backbone.Config.HiddenSize)
            throw new ArgumentException($"critic: head width {head.Width} differs from the backbone's hidden_size {backbone.Config.HiddenSize}");
        Backbone = backbone;
        Head = head;
    }

    /// <summary>The transformer backbone (its Hidden output feeds the head).</summary>
    public Transformer Backbone { get; }

    /// <summary>The value head.</summary>
    public ScalarHead Head { get; }

    /// <summary>A critic whose backbone is a copy of <paramref name="policy"/> and whose head
    /// ("value_head", no bias) is N(0, 0.02²) from <paramref name="headSeed"/>.</summary>
    public static Critic FromPolicy(Transformer policy, int headSeed)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var head = new ScalarHead(policy.Config.HiddenSize, "value_head");
        head.InitializeRandom(headSeed);
        return new Critic(CopyOf(policy), head);
    }

    /// <summary>A critic from copies of <paramref name="backbone"/> and <paramref name="head"/> (e.g. an ORM's).</summary>
    public static Critic FromParts(Transformer backbone, ScalarHead head)
    {
        ArgumentNullException.ThrowIfNull(backbone);
        ArgumentNullException.ThrowIfNull(head);
        var weight = head.Layout.Entries[0].Name;
        string prefix = weight.EndsWith(".weight", StringComparison.Ordinal) ? weight[..^".weight".Length] : "value_head";
        var copy = new ScalarHead(head.Width, prefix, head.Layout.Contains(prefix + ".bias"));
        copy.Parameters.CopyFrom(head.Parameters);
        return new Critic(CopyOf(backbone), copy);
    }

    /// <summary>A new Transformer with the same config, GEMM and parameter values.</summary>
    public static Transformer CopyOf(Transformer model)
    {
        var copy = new Transformer(model.Config, model.Gemm);
        copy.Parameters.CopyFrom(model.Parameters);
        return copy;
    }

    /// <summary>
    /// Training forward over <paramref name="batch"/>: fills <paramref name="values"/> [B, T] with V at each
    /// response token (the hidden state of the position that predicts it) and <paramref name="bootstrap"/> [B]
    /// with V after the last response token. Leaves the activations for <see cref="Backward"/>.
    /// </summary>
    internal void Forward(SequenceBatch batch, Span<double> values, Span<double> bootstrap)
    {
        Backbone.Forward(batch.Tokens, batch.Count, batch.Length);
        var v = Head.Forward(Backbone.Activations.Saved.View(Backbone.Activations.Hidden), batch.Count * batch.Length);
        batch.Gather(v, values);
        for (int b = 0; b < batch.Count; b++) bootstrap[b] = v[batch.LastRow(b)];
    }

    /// <summary>Backward from d loss / d V at the response tokens [B, T] of the last <see cref="Forward"/>
    /// (accumulates into the head's and the backbone's gradients).</summary>
    internal void Backward(SequenceBatch batch, ReadOnlySpan<double> dValues, float[] dValueRows, float[] dHidden)
    {
        int rows = batch.Count * batch.Length;
        batch.Scatter(dValues, dValueRows.AsSpan(0, rows));
        var hidden = Backbone.Activations.Saved.View(Backbone.Activations.Hidden);
        var dh = dHidden.AsSpan(0, rows * Head.Width);
        dh.Clear();
        Head.Backward(hidden, dValueRows.AsSpan(0, rows), rows, dh);
        Backbone.Backward(dh);
    }

    public void Dispose()
    {
        Backbone.Dispose();
        Head.Dispose();
    }
}
