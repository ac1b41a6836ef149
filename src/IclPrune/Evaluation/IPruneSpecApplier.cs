using IclPrune.Models;

namespace IclPrune.Evaluation;

/// <summary>
/// The seam between `eval --prune SPEC` and the pruning engine: validates the spec strings against the model and
/// applies them to its weights in place, before evaluation. Implemented by the pruning capability and handed to the
/// eval command (CliApp); the spec grammar belongs to it, not to evaluation.
/// </summary>
public interface IPruneSpecApplier
{
    /// <summary>Applies <paramref name="specs"/> in order; throws UsageException naming a spec that is invalid for this model.
    /// Returns the specs as they should be recorded in the result (e.g. in canonical form).</summary>
    IReadOnlyList<string> Apply(ICausalLanguageModel model, IReadOnlyList<string> specs);
}
