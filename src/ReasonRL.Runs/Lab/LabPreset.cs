// LabPreset: every size and hyper-parameter of one `reasonrl lab` run, in one immutable record with
// three named presets — Quick (a ≤ 3 min smoke run), Default (≤ 15 min on a 2-core laptop, 5 seeds)
// and Full (longer SFT and PPO, 10 seeds). Not the orchestration (LabOrchestrator) and not the reward
// arithmetic; `--set key=value` changes single settings (LabPresetOverrides).
// Sizing (char-level Qwen2 policy, width 96, 3 layers, ~0.31 M parameters; sequences ~140 tokens): SFT
// and the two reward models take about a third of Default's time, the 30 PPO runs (34 steps of
// 8 prompts × 4 responses, two runs at once on one core each, the success-only ones beside the
// reward models' training) the rest.
using ReasonRL.Data.Lab;
using ReasonRL.Models;
using ReasonRL.Training;
using ReasonRL.Training.Ppo;

namespace ReasonRL.Runs.Lab;

/// <summary>Reward-design parameters shared by every design of a run.</summary>
/// <param name="PrmAlpha">α on PRM step scores, e.g. 1.0: a correct extra line earns ≈ +1 under raw
/// shaping, as much as a right answer (docs/reward-methods.md §2.5).</param>
/// <param name="ClipEta">η of Clip / Clip-Delta, e.g. 0.5 (§3.5's example; the PRM's scores are near 0 or 1).</param>
/// <param name="OrmAlpha">α_orm on the ORM probability, e.g. 1.0.</param>
public sealed record LabRewardSettings(double PrmAlpha = 1.0, double ClipEta = 0.5, double OrmAlpha = 1.0);

/// <summary>All sizes of a lab run (see the file header for the presets).</summary>
public sealed record LabPreset
{
    /// <summary>"quick", "default" or "full".</summary>
    public required string Name { get; init; }

    /// <summary>The task generator's options (difficulty, share of unnecessary SFT lines). The lab's
    /// default is an easier task than LabTaskOptions.Default (2–3 operations, operands ≤ 9, results ≤ 30,
    /// multipliers ≤ 2): a char-level policy must learn the arithmetic within a few minutes of SFT on two cores.</summary>
    public LabTaskOptions Task { get; init; } = EasyTask;

    /// <summary>The lab's task (see <see cref="Task"/>). Its SFT solutions restate a result (<c>14 = 14</c>) after
    /// 30 % of the gold lines: the paper's hack needs an SFT policy that sometimes writes correct-but-unnecessary
    /// lines, and among the variants with them (restatements, or all three kinds; 10 % or 30 %) this one gave the
    /// best success-only validation accuracy (docs/lab-sweep.md).</summary>
    public static LabTaskOptions EasyTask { get; } = LabTaskOptions.Default with
    {
        MinOperations = 2,
        MaxOperations = 3,
        OperandMax = 9,
        ResultMax = 30,
        MultiplierMax = 2,
        UnnecessaryLineShare = 0.3,
        UnnecessaryKinds = UnnecessaryLineKinds.Restatement,
    };

    /// <summary>Training problems (SFT, RM samples and PPO prompts all draw from them).</summary>
    public int TrainProblems { get; init; } = 4000;

    /// <summary>Held-out (test split) problems for the greedy evaluation of every policy; 500 keeps the standard
    /// error of an accuracy near 50 % at about 2 points.</summary>
    public int TestProblems { get; init; } = 500;

    /// <summary>Validation problems (train split, after the training problems) on which `reasonrl lab sweep`
    /// tunes the shared settings.</summary>
    public int ValidationProblems { get; init; } = 500;

    /// <summary>The policy's shape, a ModelShapes name (default "lab": width 96, 3 layers, 4 heads / 2 KV heads, SwiGLU 256).</summary>
    public string PolicySize { get; init; } = "lab";

    /// <summary>PPO checkpoints every N steps (an interrupted lab resumes inside a PPO run from the last one).</summary>
    public int CheckpointEvery { get; init; } = 10;

    /// <summary>Position capacity of the models (prompt + response tokens), e.g. 320.</summary>
    public int MaxPositions { get; init; } = 256;

    /// <summary>SFT optimizer updates.</summary>
    public int SftSteps { get; init; } = 1000;

    /// <summary>SFT batch size.</summary>
    public int SftBatchSize { get; init; } = 16;

    /// <summary>SFT peak learning rate (cosine to 10 %).</summary>
    public double SftLearningRate { get; init; } = 3e-3;

    /// <summary>Train problems sampled from the SFT policy for reward-model data: every training problem (4,000), chosen
    /// by the PRM check on validation responses (docs/lab-prm.md, fourth round).</summary>
    public int SampleProblems { get; init; } = 4000;

    /// <summary>Training problems whose corrupted SFT solution (LabStepLabelledSet.CorruptedSolution) and SFT solution are
    /// added to the reward models' data, so the small PRM sees more errors and correct-but-unnecessary lines; 0 = sampled
    /// responses only; more than TrainProblems means all of them. Default 1,000, chosen by the PRM check on validation
    /// responses alone (docs/lab-prm.md, fourth round; 4,000 before, when the SFT policy's samples covered 1,000 problems).</summary>
    public int PerturbedProblems { get; init; } = 1000;

    /// <summary>Share, in [0, 1], of those problems whose corrupted row is instead a run-on solution
    /// (LabStepLabelledSet.RunOnSolution: the chain continued past the answer with wrong or off-question lines, the
    /// kind of line a policy farming a per-line reward writes), so the PRM sees such errors; 0 = none. Chosen by the
    /// PRM check alone (docs/lab-prm.md): 0.25.</summary>
    public double RunOnShare { get; init; } = 0.25;

    /// <summary>Share, in [0, 1 − RunOnShare], of those problems whose corrupted row is instead an extra-operation
    /// solution (LabStepLabelledSet.ExtraOperationSolution: one more operation on a question number before a now-wrong
    /// answer, how raw-PRM policies fail after 150 PPO steps), so the PRM sees that error; 0 = none. Default 0: not
    /// chosen yet (docs/lab-prm.md, exploratory).</summary>
    public double ExtraOperationShare { get; init; }

    /// <summary>Samples per problem (temperature 1).</summary>
    public int SamplesPerProblem { get; init; } = 4;

    /// <summary>Share of sampled problems held out for reward-model evaluation (by problem, so
    /// no held-out question is trained on).</summary>
    public double RewardModelHeldOutShare { get; init; } = 0.2;

    /// <summary>PRM epochs over the labelled samples (chosen by the PRM check on validation responses, docs/lab-prm.md).</summary>
    public int PrmEpochs { get; init; } = 3;

    /// <summary>Decoder layers the PRM adds on top of its backbone (its base model or the SFT policy), each starting as the identity
    /// (Transformer.WithExtraLayers); 0 = the policy's depth.</summary>
    public int PrmExtraLayers { get; init; }

    /// <summary>SFT steps of the PRM's own base model (a language model of the task's gold solutions, without the
    /// unnecessary lines the policy's SFT data has), from which the PRM's backbone starts instead of the SFT policy;
    /// 0 = the PRM starts from the SFT policy. A copy of the default SFT policy made a PRM that ignores a result's last
    /// digit (docs/lab-prm.md, sixth round).</summary>
    public int PrmBaseSteps { get; init; } = 1000;

    /// <summary>Question-less arithmetic drills (LabStepDrills) added to the PRM's data (not the ORM's); 0 = none.</summary>
    public int PrmDrills { get; init; }

    /// <summary>ORM epochs over the same samples: fewer than the PRM's, since more do not make the ORM better (held-out
    /// AUC about 0.6 either way, docs/lab-prm.md), and a core the ORM frees early trains success-only PPO runs.</summary>
    public int OrmEpochs { get; init; } = 2;

    /// <summary>Reward-model batch size.</summary>
    public int RewardModelBatchSize { get; init; } = 16;

    /// <summary>Reward-model (peak) learning rate.</summary>
    public double RewardModelLearningRate { get; init; } = 2e-4;

    /// <summary>Reward-model learning-rate schedule over all its optimizer steps: constant, or cosine down to 10 % of
    /// <see cref="RewardModelLearningRate"/> at the last step.</summary>
    public LearningRateScheduleKind RewardModelSchedule { get; init; } = LearningRateScheduleKind.Constant;

    /// <summary>Reward-model optimizer steps of linear warm-up.</summary>
    public int RewardModelWarmupSteps { get; init; }

    /// <summary>PPO steps per design and seed: 34, set by the 15-minute budget (the sweep at 34 and at 40 steps chose
    /// the same learning rate, docs/lab-sweep.md).</summary>
    public int PpoSteps { get; init; } = 34;

    /// <summary>Prompts per PPO step.</summary>
    public int PromptsPerStep { get; init; } = 8;

    /// <summary>Responses sampled per prompt.</summary>
    public int RolloutsPerPrompt { get; init; } = 4;

    /// <summary>Most response tokens in PPO and evaluation; about 1.5–2× a gold solution, so padding
    /// a solution with many extra lines ends in truncation.</summary>
    public int MaxNewTokens { get; init; } = 100;

    /// <summary>Policy learning rate of PPO: 2e-5, chosen by `reasonrl lab sweep` on the validation split by the
    /// success-only design's accuracy (docs/lab-sweep.md).</summary>
    public double PolicyLearningRate { get; init; } = 2e-5;

    /// <summary>Critic learning rate of PPO.</summary>
    public double CriticLearningRate { get; init; } = 1e-3;

    /// <summary>Linear learning-rate warm-up of PPO (policy and critic), in steps.</summary>
    public int WarmupSteps { get; init; }

    /// <summary>PPO runs (design × seed) trained at once, each on its own core (Kernels.WorkerCount
    /// split between them); results do not depend on it.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public int ParallelRuns { get; init; } = Math.Clamp(Environment.ProcessorCount, 1, 2);

    /// <summary>β of the KL penalty in the reward.</summary>
    public double KlCoef { get; init; } = 0.01;

    /// <summary>PPO epochs over each rollout batch.</summary>
    public int PpoEpochs { get; init; } = 1;

    /// <summary>PPO minibatch size (responses).</summary>
    public int MiniBatchSize { get; init; } = 16;

    /// <summary>Seeds; every design runs once per seed.</summary>
    public IReadOnlyList<int> Seeds { get; init; } = [1, 2, 3, 4, 5];

    /// <summary>Designs to run, in table order.</summary>
    public IReadOnlyList<LabDesign> Designs { get; init; } = LabDesigns.Default;

    /// <summary>The advantage estimator of every PPO run: gae (with a critic, the paper's), or a critic-free
    /// one — grpo, dr_grpo, rloo, reinforce_pp — to ask whether the finding holds with a group baseline.</summary>
    public string Estimator { get; init; } = "gae";

    /// <summary>α, η, α_orm.</summary>
    public LabRewardSettings Rewards { get; init; } = new();

    /// <summary>How this setting departs from the issue's plain description, one sentence each (shown in the report).</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>Seed of SFT, sampling and reward-model training (the shared stages).</summary>
    public int BaseSeed { get; init; } = 7;

    /// <summary>The ≤ 15-minute preset (3 seeds × 6 designs).</summary>
    public static LabPreset Default { get; } = new()
    {
        Name = "default",
        Notes =
        [
            "The task is easier than the generator's default (2–3 operations, operands ≤ 9, results ≤ 30, multipliers ≤ 2), so that a character-level policy learns the arithmetic within a few minutes of SFT on two cores.",
            "SFT sees 4,000 training problems about 4 times each (1,000 steps × 16), rather than a few hundred many times: the policy then generalises to held-out problems and leaves RL room to sharpen it.",
            "The SFT solutions restate a result (e.g. `14 = 14`) after 30 % of the gold lines, so the SFT policy sometimes writes correct-but-unnecessary lines, as the policies of the paper do; among the task variants with such lines, this one gave the best success-only accuracy on the validation split (docs/lab-sweep.md).",
            "The default preset's PPO policy learning rate (2e-5; `--set policy_lr` changes it, and the PPO line below gives this run's) was chosen by `reasonrl lab sweep` on the validation split (train-split problems never trained on) by the success-only design's accuracy alone; every design runs with it (docs/lab-sweep.md). GAE uses λ = 1, so the critic is a baseline only.",
            "The PRM starts from a base model of its own (the policy's shape, SFT'd for 1,000 steps on the training problems' gold solutions beside the policy's SFT), not from a copy of the SFT policy: with the same data, that copy made a PRM that ignores a result's last digit (PRM check AUC on validation responses 0.849, against 0.959 from its own base model with the same 4 epochs, and 0.945 with the 3 epochs the 15-minute budget leaves; docs/lab-prm.md, sixth round). The ORM still starts from the SFT policy.",
            "The reward models' data: 4 SFT-policy samples of every training problem, plus the as-written SFT solution and a corrupted copy (for a quarter of them: the solution run on past its answer with wrong lines) of 1,000 problems, labelled by the same automatic labeller, so the small PRM sees enough errors and correct-but-unnecessary lines (chosen by the PRM check on validation responses, docs/lab-prm.md).",
        ],
    };

    /// <summary>The ≤ 3-minute smoke preset: small sets, 1 seed, a few PPO steps.</summary>
    public static LabPreset Quick { get; } = new()
    {
        Name = "quick",
        TrainProblems = 600,
        TestProblems = 60,
        ValidationProblems = 60,
        PerturbedProblems = 600,
        SftSteps = 200,
        PrmBaseSteps = 200,
        SampleProblems = 80,
        SamplesPerProblem = 4,
        PrmEpochs = 1,
        OrmEpochs = 1,
        PpoSteps = 4,
        PromptsPerStep = 8,
        Seeds = [1],
    };

    /// <summary>The longer preset: more SFT, PPO steps and seeds.</summary>
    public static LabPreset Full { get; } = new()
    {
        Name = "full",
        SftSteps = 2000,
        PpoSteps = 100,
        Seeds = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
    };

    /// <summary>The preset called <paramref name="name"/> (quick, default, full).</summary>
    public static LabPreset Named(string name) => name switch
    {
        "quick" => Quick,
        "default" => Default,
        "full" => Full,
        _ => throw new ArgumentException($"unknown lab preset \"{name}\"; expected quick, default or full"),
    };

    /// <summary>Throws ArgumentException naming the first field out of range.</summary>
    public LabPreset Validate()
    {
        Task.Validate();
        static void Positive(int v, string name) { if (v < 1) throw new ArgumentException($"lab preset: {name} = {v}; expected >= 1"); }
        static void Rate(double v, string name) { if (!(v > 0) || !double.IsFinite(v)) throw new ArgumentException($"lab preset: {name} = {v}; expected a finite value > 0"); }
        if (!ModelShapes.Names.Contains(PolicySize)) throw new ArgumentException($"lab preset: PolicySize = {PolicySize}; expected one of {string.Join(", ", ModelShapes.Names)}");
        Positive(CheckpointEvery, nameof(CheckpointEvery));
        Positive(ParallelRuns, nameof(ParallelRuns));
        if (WarmupSteps < 0) throw new ArgumentException($"lab preset: WarmupSteps = {WarmupSteps}; expected >= 0");
        if (Estimator is not ("gae" or "grpo" or "dr_grpo" or "rloo" or "reinforce_pp"))
            throw new ArgumentException($"lab preset: Estimator = {Estimator}; expected gae, grpo, dr_grpo, rloo or reinforce_pp");
        Positive(TrainProblems, nameof(TrainProblems));
        Positive(TestProblems, nameof(TestProblems));
        Positive(ValidationProblems, nameof(ValidationProblems));
        Positive(SftSteps, nameof(SftSteps));
        Positive(SftBatchSize, nameof(SftBatchSize));
        Positive(SampleProblems, nameof(SampleProblems));
        Positive(SamplesPerProblem, nameof(SamplesPerProblem));
        if (!(RunOnShare >= 0 && RunOnShare <= 1)) throw new ArgumentException($"lab preset: RunOnShare = {RunOnShare}; expected in [0, 1]");
        if (!(ExtraOperationShare >= 0 && ExtraOperationShare <= 1 - RunOnShare))
        {
            throw new ArgumentException($"lab preset: ExtraOperationShare = {ExtraOperationShare}; expected in [0, 1 - RunOnShare = {1 - RunOnShare}]");
        }
        if (PerturbedProblems < 0) throw new ArgumentException($"lab preset: PerturbedProblems = {PerturbedProblems}; expected >= 0 (at most TrainProblems are used)");
        Positive(PrmEpochs, nameof(PrmEpochs));
        Positive(OrmEpochs, nameof(OrmEpochs));
        Positive(RewardModelBatchSize, nameof(RewardModelBatchSize));
        Positive(PpoSteps, nameof(PpoSteps));
        Positive(PromptsPerStep, nameof(PromptsPerStep));
        Positive(RolloutsPerPrompt, nameof(RolloutsPerPrompt));
        Positive(MaxNewTokens, nameof(MaxNewTokens));
        Positive(PpoEpochs, nameof(PpoEpochs));
        Positive(MiniBatchSize, nameof(MiniBatchSize));
        Rate(SftLearningRate, nameof(SftLearningRate));
        Rate(RewardModelLearningRate, nameof(RewardModelLearningRate));
        Rate(PolicyLearningRate, nameof(PolicyLearningRate));
        Rate(CriticLearningRate, nameof(CriticLearningRate));
        if (PrmBaseSteps < 0) throw new ArgumentException($"lab preset: PrmBaseSteps = {PrmBaseSteps}; expected >= 0 (0: the PRM starts from the SFT policy)");
        if (PrmDrills < 0) throw new ArgumentException($"lab preset: PrmDrills = {PrmDrills}; expected >= 0");
        if (PrmExtraLayers < 0) throw new ArgumentException($"lab preset: PrmExtraLayers = {PrmExtraLayers}; expected >= 0");
        if (RewardModelWarmupSteps < 0) throw new ArgumentException($"lab preset: RewardModelWarmupSteps = {RewardModelWarmupSteps}; expected >= 0");
        if (!(KlCoef >= 0)) throw new ArgumentException($"lab preset: KlCoef = {KlCoef}; expected >= 0");
        if (!(RewardModelHeldOutShare > 0 && RewardModelHeldOutShare < 1)) throw new ArgumentException($"lab preset: RewardModelHeldOutShare = {RewardModelHeldOutShare}; expected in (0, 1)");
        if (SampleProblems > TrainProblems) throw new ArgumentException($"lab preset: SampleProblems = {SampleProblems}; expected <= TrainProblems ({TrainProblems})");
        if (Seeds.Count == 0) throw new ArgumentException("lab preset: Seeds is empty; expected at least one seed");
        if (Seeds.Distinct().Count() != Seeds.Count) throw new ArgumentException($"lab preset: Seeds has duplicates ({string.Join(",", Seeds)})");
        if (Designs.Count == 0) throw new ArgumentException("lab preset: Designs is empty; expected at least one design");
        return this;
    }
}
