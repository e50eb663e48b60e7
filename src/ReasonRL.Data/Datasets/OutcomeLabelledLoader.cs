// OutcomeLabelledLoader: reads ORM training data, one response per JSONL line:
//   {"question": "…", "response": "…", "correct": true|false, "group"?: "…"}   ("prompt" is accepted for
//   "question"; the group defaults to the question, so responses to one question form a best-of-N group).
// The lab's OrmRecord rows ({"question", "response", "correct"}) load as they are. Schema problems are
// DatasetFormatException naming the file, line and field. Not the trainer's tokenisation.
namespace ReasonRL.Data.Datasets;

public static class OutcomeLabelledLoader
{
    /// <summary>Every record of <paramref name="path"/> (".gz" allowed).</summary>
    public static IReadOnlyList<OutcomeLabelledRecord> Load(string path)
    {
        var records = new List<OutcomeLabelledRecord>();
        foreach (var (line, text) in JsonlFile.ReadLines(path))
        {
            var row = JsonRow.Parse(path, line, text, out var document);
            using (document)
            {
                string questionField = row.Has("question") ? "question" : "prompt";
                string question = row.Has(questionField) ? row.RequiredString(questionField) : throw row.Error("question", "missing (expected a string; \"prompt\" is accepted too)");
                records.Add(new OutcomeLabelledRecord(question, row.RequiredString("response"), row.RequiredBool("correct"), row.OptionalString("group") ?? question));
            }
        }
        if (records.Count == 0) throw new DatasetFormatException(path, 1, null, "no records; expected one JSON object per line");
        return records;
    }
}
