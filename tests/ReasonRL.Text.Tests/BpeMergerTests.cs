// The priority-queue merge loop against the plain-loop reference: random words over a random
// merge table (including lengths 0, 1, 2 and long words), and random byte strings over the
// real GPT-2 and Qwen merge tables.
using ReasonRL.Tests;
using ReasonRL.Text.Bpe;

namespace ReasonRL.Text.Tests;

public class BpeMergerTests
{
    [Fact]
    public void FastMatchesReferenceOnRandomTables()
    {
        var random = new Random(1234);
        for (int trial = 0; trial < 40; trial++)
        {
            // Alphabet of 4 symbols "a".."d"; merges build longer tokens from existing ones.
            var vocab = new Dictionary<string, int>(StringComparer.Ordinal);
            var tokens = new List<string> { "a", "b", "c", "d" };
            foreach (string t in tokens) vocab[t] = vocab.Count;
            var merges = new List<(string, string)>();
            var seen = new HashSet<(string, string)>();
            while (merges.Count < 30)
            {
                string left = tokens[random.Next(tokens.Count)];
                string right = tokens[random.Next(tokens.Count)];
                if (!seen.Add((left, right)) || left.Length + right.Length > 8) continue;
                merges.Add((left, right));
                if (vocab.TryAdd(left + right, vocab.Count)) tokens.Add(left + right);
            }
            BpeMergeTable table = BpeMergeTable.Build(merges, vocab, "random table");
            foreach (int length in (int[])[0, 1, 2, 3, 7, 8, 9, 31, 32, 33, 200])
            {
                int[] word = Enumerable.Range(0, length).Select(_ => random.Next(4)).ToArray();
                AssertSame(word, table, $"trial {trial} length {length}");
            }
        }
    }

    [SharedDataFact]
    [Trait(SharedData.Trait, SharedData.TraitValue)]
    public void FastMatchesReferenceOnRealTables()
    {
        var random = new Random(99);
        foreach (ByteLevelBpeTokenizer tokenizer in (ByteLevelBpeTokenizer[])[SharedTokenizers.Gpt2, SharedTokenizers.Qwen])
        {
            const string alphabet = "aaeeiioo tthhnnss\n  00112233.,+=";
            for (int trial = 0; trial < 300; trial++)
            {
                int length = random.Next(1, 120);
                byte[] bytes = Enumerable.Range(0, length).Select(_ => (byte)alphabet[random.Next(alphabet.Length)]).ToArray();
                int[] word = bytes.Select(b => tokenizer.Vocabulary.ByteId(b)).ToArray();
                AssertSame(word, tokenizer.Merges, $"{tokenizer.Options.Description} trial {trial}");
            }
        }
    }

    private static void AssertSame(int[] word, BpeMergeTable table, string what)
    {
        var fastIds = new int[word.Length];
        var fastStarts = new int[word.Length];
        var refIds = new int[word.Length];
        var refStarts = new int[word.Length];
        int fast = BpeMerger.Merge(word, table, fastIds, fastStarts);
        int reference = BpeMerger.MergeReference(word, table, refIds, refStarts);
        Assert.True(fast == reference, $"{what}: {fast} tokens vs reference {reference}");
        Assert.True(fastIds.AsSpan(0, fast).SequenceEqual(refIds.AsSpan(0, reference)), $"{what}: ids differ");
        Assert.True(fastStarts.AsSpan(0, fast).SequenceEqual(refStarts.AsSpan(0, reference)), $"{what}: starts differ");
    }
}
