// RewardModelInputs: the one function that turns (prompt, response, steps) into a reward model's token ids
// and the positions to read — used by BOTH the model-backed sources (PrmRewardSource, OrmRewardSource) and
// the reward-model trainer's data builder, so training and scoring read exactly the same token.
// Layout (every convention starts with the project's prompt ids, Text's PromptIds.Of: [BOS when the
// tokenizer has one] + Encode(prompt), the prompt's special-token text encoded as the special ids, as Hugging Face does):
//   StepEndToken   prompt ids + Encode(response); position k = prompt length + e_k, with e_k from
//                  StepTokenMap over the response's character offsets (a step ending inside a token
//                  reads that straddling token);
//   SeparatorToken prompt ids + Σ_k [Encode(step_k text), sep]; position k = index of the k-th sep
//                  (Qwen2.5-Math-PRM: "<extra_0>".join(steps) + "<extra_0>");
//   MathShepherd   prompt ids + Σ_k [Encode(gap_k + step_k text + " "), tag]; gap_k = the response text
//                  between step k−1 and step k (e.g. "\n"); position k = index of the k-th tag
//                  (Math-Shepherd: "Step 1: … ки\nStep 2: … ки");
//   outcome        prompt ids + Encode(response); the position is the last token (OpenRLHF reads the
//                  reward at the last non-pad token).
// Not the scoring itself (the sources) and not the step splitter.
using ReasonRL.Rewards.Steps;
using ReasonRL.Text;

namespace ReasonRL.Rewards.Sources;

/// <summary>Token ids and read positions for reward-model scoring and training.</summary>
public static class RewardModelInputs
{
    /// <summary>The project's prompt ids (Text's PromptIds.Of: [BOS if any] + Encode(prompt)) with special-token text as
    /// the special ids (SpecialTokenPolicy.Allow, as Hugging Face's tokenizer(text), which is how public PRMs/ORMs were
    /// trained): the prompt is the trainer's chat-templated string, trusted. The response stays ordinary text (the safe default).</summary>
    public static int[] PromptIds(ITokenizer tok, string prompt)
    {
        ArgumentNullException.ThrowIfNull(tok);
        ArgumentNullException.ThrowIfNull(prompt);
        return Text.PromptIds.Of(tok, tok.Encode(prompt, SpecialTokenPolicy.Allow).Ids);
    }

    /// <summary>Tokens and one read position per step (see the file header for each convention).</summary>
    /// <param name="steps">[K] step spans into <paramref name="response"/>, in order.</param>
    /// <returns>Tokens [T] and Positions [K] (indices into Tokens).</returns>
    /// <exception cref="ArgumentException">A step lies outside the response, or a separator/tag is not one token.</exception>
    public static (int[] Tokens, int[] Positions) ForSteps(ITokenizer tok, string prompt, string response, IReadOnlyList<StepSpan> steps,
        PrmScoringOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(steps);
        options ??= PrmScoringOptions.Default;
        var ids = new List<int>(PromptIds(tok, prompt));
        foreach (var s in steps)
        {
            if (s.Start < 0 || s.End > response.Length || s.End < s.Start)
                throw new ArgumentException($"step {s} lies outside the response (length {response.Length})", nameof(steps));
        }
        var positions = new int[steps.Count];
        switch (options.Convention)
        {
            case PrmConvention.StepEndToken:
                {
                    int promptLength = ids.Count;
                    var encoding = tok.Encode(response);
                    ids.AddRange(encoding.Ids);
                    if (steps.Count == 0) break;
                    var offsets = Array.ConvertAll(encoding.Offsets, o => new Steps.TokenOffset(o.Start, o.End));
                    var spans = steps.ToArray();
                    var ends = StepTokenMap.StepEndTokens(spans, offsets);
                    for (int k = 0; k < ends.Length; k++) positions[k] = promptLength + ends[k];
                    break;
                }
            case PrmConvention.SeparatorToken:
                {
                    int sep = SingleToken(tok, options.Separator, "separator");
                    for (int k = 0; k < steps.Count; k++)
                    {
                        ids.AddRange(tok.Encode(steps[k].TextOf(response)).Ids);
                        positions[k] = ids.Count;
                        ids.Add(sep);
                    }
                    break;
                }
            case PrmConvention.MathShepherd:
                {
                    int tag = SingleToken(tok, options.StepTag, "step tag");
                    int previousEnd = 0;
                    for (int k = 0; k < steps.Count; k++)
                    {
                        string gap = steps[k].Start >= previousEnd ? response[previousEnd..steps[k].Start] : "";
                        ids.AddRange(tok.Encode(gap + steps[k].TextOf(response) + " ").Ids);
                        positions[k] = ids.Count;
                        ids.Add(tag);
                        previousEnd = Math.Max(previousEnd, steps[k].End);
                    }
                    break;
                }
            default:
                throw new ArgumentOutOfRangeException(nameof(options), options.Convention, "unknown PRM convention");
        }
        return ([.. ids], positions);
    }

    /// <summary>Tokens (prompt ids + Encode(response)) and the one position read by an ORM: the last token.</summary>
    public static (int[] Tokens, int[] Positions) ForOutcome(ITokenizer tok, string prompt, string response)
    {
        ArgumentNullException.ThrowIfNull(response);
        var ids = new List<int>(PromptIds(tok, prompt));
        ids.AddRange(tok.Encode(response).Ids);
        if (ids.Count == 0) throw new ArgumentException("prompt and response encode to no tokens; an ORM needs at least one token to read", nameof(response));
        return ([.. ids], [ids.Count - 1]);
    }

    /// <summary>Joins step texts with <paramref name="joiner"/> into a response and returns each step's span
    /// (what a StepSplitter on <paramref name="joiner"/> finds again when no step contains it).</summary>
    public static (string Response, StepSpan[] Steps) JoinSteps(IReadOnlyList<string> stepTexts, string joiner = "\n")
    {
        ArgumentNullException.ThrowIfNull(stepTexts);
        var builder = new System.Text.StringBuilder();
        var spans = new StepSpan[stepTexts.Count];
        for (int k = 0; k < stepTexts.Count; k++)
        {
            if (k > 0) builder.Append(joiner);
            int start = builder.Length;
            builder.Append(stepTexts[k]);
            spans[k] = new StepSpan(start, builder.Length);
        }
        return (builder.ToString(), spans);
    }

    /// <summary>The id <paramref name="text"/> encodes to (special tokens allowed); throws unless it is exactly one token.</summary>
    public static int SingleToken(ITokenizer tok, string text, string role)
    {
        ArgumentNullException.ThrowIfNull(tok);
        ArgumentException.ThrowIfNullOrEmpty(text);
        var ids = tok.Encode(text, SpecialTokenPolicy.Allow).Ids;
        if (ids.Length != 1)
            throw new ArgumentException($"the PRM {role} \"{text}\" must be one token of this tokenizer, but it encodes to {ids.Length} tokens [{string.Join(", ", ids)}]");
        return ids[0];
    }
}
