using IclPrune.Models;
using TorchSharp;

namespace IclAssertions.Models;

/// <summary>
/// Copies a shared model's weights on entry and writes them back on dispose, so a test can prune the cached model
/// in place and the next test sees the original checkpoint again. Only two-dimensional parameters are captured:
/// SVD pruning replaces weight matrices and never touches biases or norms. The copy stays on the model's device
/// (a restore is one device-side copy per matrix).
/// </summary>
public sealed class WeightRestoreScope : IDisposable
{
    readonly List<(TorchSharp.Modules.Parameter Parameter, torch.Tensor Saved)> _saved = [];

    public WeightRestoreScope(ICausalLanguageModel model)
    {
        using var noGrad = torch.no_grad();
        foreach (var (_, parameter) in model.NamedParameters)
            if (parameter.dim() == 2) _saved.Add((parameter, parameter.detach().clone()));
    }

    public void Dispose()
    {
        using var noGrad = torch.no_grad();
        foreach (var (parameter, saved) in _saved)
        {
            parameter.copy_(saved);
            saved.Dispose();
        }
        _saved.Clear();
    }
}
