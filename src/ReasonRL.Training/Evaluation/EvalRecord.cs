// EvalRecord / EvalResponse: one line of `reasonrl eval`'s results JSONL — a question, its prompt, every
// response (text, extracted answer, verdict, reward-model scores) and the mode's decision (chosen
// response and answer, correctness, score). Written with source-generated System.Text.Json metadata
// (EvalJsonContext, snake_case). Not the summary (EvalSummary aggregates these records).
using System.Text.Json.Serialization;

namespace ReasonRL.Training.Evaluation;

/// <summary>One response to a question.</summary>
/// <param name="Text">Decoded response (special tokens skipped).</param>
/// <param name="Tokens">Number of generated tokens (the EOS token included when it was sampled).</param>
/// <param name="Finish">"stop" (EOS or a stop string) or "length" (hit max new tokens: truncated).</param>
/// <param name="Answer">The final answer the verifier extracted, or null when none was found.</param>
/// <param name="Verdict">"correct", "incorrect" or "unverifiable".</param>
/// <param name="Reason">The verifier's reason for the verdict.</param>
/// <param name="RmScore">bon@k: the response's reward-model score (ORM score, or aggregated PRM step scores); null otherwise or when unscored.</param>
/// <param name="StepScores">bon@k with a PRM: [K] per-step scores; null otherwise.</param>
/// <param name="RmError">bon@k: why the reward model gave no score, when it did not.</param>
public sealed record EvalResponse(string Text, int Tokens, string Finish, string? Answer, string Verdict, string? Reason,
    double? RmScore = null, IReadOnlyList<double>? StepScores = null, string? RmError = null)
{
    /// <summary>True when the verdict is "correct".</summary>
    [JsonIgnore]
    public bool IsCorrect => Verdict == VerdictCorrect;

    /// <summary>Verdict texts.</summary>
    public const string VerdictCorrect = "correct", VerdictIncorrect = "incorrect", VerdictUnverifiable = "unverifiable";
}

/// <summary>One question's results.</summary>
/// <param name="Index">0-based row in the data file.</param>
/// <param name="Id">Problem id (MATH unique_id or "gsm8k-&lt;index&gt;").</param>
/// <param name="Question">The problem text.</param>
/// <param name="Gold">The gold answer.</param>
/// <param name="Subject">MATH subject, or null.</param>
/// <param name="Level">MATH level, or null.</param>
/// <param name="Mode">"greedy", "maj@k", "pass@k" or "bon@k".</param>
/// <param name="Prompt">The rendered prompt text.</param>
/// <param name="Responses">Every response, in sample order.</param>
/// <param name="Chosen">Index of the response the mode picked (greedy: 0; maj@k: first response of the winning answer;
/// bon@k: the highest-scored), −1 when none (pass@k, or no answer / no score at all).</param>
/// <param name="ChosenAnswer">The picked answer, or null.</param>
/// <param name="Votes">maj@k: responses in the winning answer's cluster; null for other modes.</param>
/// <param name="CorrectCount">Responses graded correct.</param>
/// <param name="Score">The question's score in [0, 1]: 1/0 for the chosen response's verdict; pass@k: the unbiased estimate.</param>
public sealed record EvalRecord(int Index, string Id, string Question, string Gold, string? Subject, int? Level, string Mode,
    string Prompt, IReadOnlyList<EvalResponse> Responses, int Chosen, string? ChosenAnswer, int? Votes, int CorrectCount, double Score);

/// <summary>Source-generated JSON metadata for eval records (snake_case, nulls written).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    RespectRequiredConstructorParameters = true, RespectNullableAnnotations = true)]
[JsonSerializable(typeof(EvalRecord))]
[JsonSerializable(typeof(EvalSummary))]
public sealed partial class EvalJsonContext : JsonSerializerContext;
