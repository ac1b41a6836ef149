namespace IclPrune.Search;

/// <summary>
/// The `racing` block of a search result (search --racing): the options, what each stage scored and dropped, and the
/// cost in item-forwards (items x seeds scored on validation) against the full search's, which scores every rate on
/// every item. Saved = 1 - ItemForwards / FullSearchItemForwards.
/// </summary>
public sealed record RacingSummary(
    int Stages, double Alpha, double AlphaPerLook, int Seed, int ValidationItems,
    IReadOnlyList<RaceStage> StageLog, IReadOnlyList<RaceDrop> Dropped,
    long ItemForwards, long FullSearchItemForwards)
{
    public double Saved => FullSearchItemForwards == 0 ? 0 : 1.0 - (double)ItemForwards / FullSearchItemForwards;

    public static RacingSummary Of(RacingOptions options, int items, RaceOutcome race) =>
        new(options.Stages, options.Alpha, options.AlphaPerLook, options.Seed, items, race.Stages, race.Drops,
            race.ItemForwards, race.FullItemForwards);
}
