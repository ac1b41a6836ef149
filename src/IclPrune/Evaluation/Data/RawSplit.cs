namespace IclPrune.Evaluation.Data;

/// <summary>
/// One split as read from a file, before the task gives it meaning: column names and rows of text values
/// (numbers in invariant culture, integral numbers without a decimal point, null for a missing or null cell).
/// </summary>
public sealed record RawSplit(string Name, string Source, IReadOnlyList<string> Columns, IReadOnlyList<IReadOnlyDictionary<string, string?>> Rows);
