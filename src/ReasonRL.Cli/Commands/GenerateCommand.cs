// `reasonrl generate --model DIR --prompt TEXT [--n N] [--temperature T] [--top-p P] [--top-k K]
// [--max-new-tokens M] [--seed S] [--stop STR]...`: loads a Hugging Face directory (config.json +
// safetensors via HfCheckpoint, tokenizer.json via TokenizerLoader), samples N continuations of the
// prompt in one batch and prints each with its finish reason, then the throughput (new tokens/s,
// prefill included). Sample i draws from its own stream Rng.ForStream(S, i). Logic lives in ReasonRL.Models
// (Generator.GenerateBatch) and ReasonRL.Text; this file only parses and prints.
using ReasonRL.Core;
using ReasonRL.Models;
using ReasonRL.Tensors;
using ReasonRL.Text;
using System.CommandLine;
using System.Diagnostics;

namespace ReasonRL.Cli.Commands;

internal static class GenerateCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Hugging Face model directory (config.json, safetensors, tokenizer.json)", Required = true };
        var prompt = new Option<string>("--prompt") { Description = "prompt text (BOS is prepended when the tokenizer defines one)", Required = true };
        var n = new Option<int>("--n") { Description = "number of continuations, sampled as one batch", DefaultValueFactory = _ => 1 };
        var temperature = new Option<float>("--temperature") { Description = "softmax temperature; 0 = greedy", DefaultValueFactory = _ => 1f };
        var topP = new Option<float>("--top-p") { Description = "nucleus probability in (0, 1]; 1 = off", DefaultValueFactory = _ => 1f };
        var topK = new Option<int>("--top-k") { Description = "keep the K most likely tokens; 0 = off", DefaultValueFactory = _ => 0 };
        var maxNew = new Option<int>("--max-new-tokens") { Description = "most new tokens per continuation", DefaultValueFactory = _ => 64 };
        var seed = new Option<int>("--seed") { Description = "continuation i samples from the stream (seed, i)", DefaultValueFactory = _ => 0 };
        var stop = new Option<string[]>("--stop") { Description = "stop string (repeatable); the tokenizer's EOS ids always stop", DefaultValueFactory = _ => [] };
        var maxModelGib = MaxModelGibOption.Create();
        var command = new Command("generate", "Sample continuations of a prompt from a Hugging Face checkpoint (KV-cache, batched).");
        foreach (var o in new Option[] { model, prompt, n, temperature, topP, topK, maxNew, seed, stop, maxModelGib }) command.Options.Add(o);
        command.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            int count = parse.GetValue(n), baseSeed = parse.GetValue(seed);
            if (count < 1)
            {
                error.WriteLine($"generate: --n must be >= 1, got {count}");
                return 2;
            }
            if (!MaxModelGibOption.TryGetBytes(parse, maxModelGib, "generate", error, out long? maxBytes)) return 2;
            string dir = parse.GetValue(model)!;
            MaxModelGibOption.CheckDirectories(maxBytes, dir);
            ITokenizer tokenizer = TokenizerLoader.Load(dir);
            var checkpoint = HfCheckpoint.Load(dir, maxModelBytes: maxBytes);
            using var transformer = new Transformer(checkpoint.Config, GemmFactory.Create(GemmKind.Managed));
            transformer.LoadParameters(checkpoint.Floats);
            int[] promptIds = PromptIds.Of(tokenizer, parse.GetValue(prompt)!);
            var options = new GenerationOptions
            {
                Temperature = parse.GetValue(temperature), TopP = parse.GetValue(topP), TopK = parse.GetValue(topK),
                MaxNewTokens = parse.GetValue(maxNew), EosIds = tokenizer.EosIds, StopStrings = parse.GetValue(stop)!,
                Decode = t => tokenizer.Decode(t),
                // A one-line live status on stderr when it is a terminal (never in redirected output).
                Progress = Console.IsErrorRedirected ? null : (done, running) =>
                    Console.Error.Write($"\rdecode step {done}/{parse.GetValue(maxNew) - 1}, {running} sequence(s) running   "),
            };
            var prompts = Enumerable.Repeat(promptIds, count).ToArray();
            var rngs = Enumerable.Range(0, count).Select(i => Rng.ForStream(unchecked((ulong)baseSeed), (ulong)i)).ToArray();
            var clock = Stopwatch.StartNew();
            var results = Generator.GenerateBatch(transformer, prompts, options, rngs);
            double seconds = clock.Elapsed.TotalSeconds;
            if (!Console.IsErrorRedirected) Console.Error.WriteLine();
            int total = 0;
            for (int i = 0; i < results.Length; i++)
            {
                var r = results[i];
                total += r.Tokens.Length;
                output.WriteLine($"--- continuation {i}: {r.Tokens.Length} tokens, finish {r.FinishReason.ToString().ToLowerInvariant()}, sum log-prob {r.LogProbs.Sum():F3}");
                output.WriteLine(tokenizer.Decode(r.Tokens, skipSpecialTokens: true));
            }
            output.WriteLine($"{total} new tokens in {seconds:F3} s: {total / seconds:F1} tokens/s (prompt {promptIds.Length} tokens, batch {count}, prefill included)");
            return 0;
        });
        return command;
    }
}
