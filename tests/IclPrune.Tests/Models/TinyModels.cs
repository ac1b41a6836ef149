namespace IclPrune.Tests.Models;

/// <summary>One tiny checkpoint per supported family, for tests that hold for every architecture.</summary>
internal static class TinyModels
{
    public static readonly string[] Families = ["gpt2"];

    public static TinyCheckpoint Create(string family, long seed = 11) => family switch
    {
        "gpt2" => Gpt2Checkpoints.Create(seed),
        _ => throw new ArgumentException(family),
    };
}
