namespace IclPrune.Search;

/// <summary>Which part of the data a score is for: choosing (validation) or reporting (test).</summary>
public enum SplitRole
{
    Validation,
    Test,
}
