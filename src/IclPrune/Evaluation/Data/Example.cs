namespace IclPrune.Evaluation.Data;

/// <summary>
/// One labelled item: template field values (trimmed when the task says so), its class index in the task's class
/// list, and where it came from (source split and 0-based row) so that results can point back at the file.
/// </summary>
public sealed record Example(string Split, int Row, IReadOnlyDictionary<string, string> Fields, int Class);
