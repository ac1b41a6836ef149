namespace IclPrune.Checkpoints;

/// <summary>
/// The only globals the restricted unpickler accepts: what torch.save writes for a state dict
/// (torch/serialization.py _save, torch/_tensor.py _reduce_ex_internal, torch/_utils.py). Callables may be the
/// target of REDUCE; the storage classes only appear inside persistent ids; dtypes are inert values.
/// </summary>
public static class PickleAllowList
{
    public const string OrderedDict = "collections.OrderedDict";
    public const string RebuildTensorV2 = "torch._utils._rebuild_tensor_v2";
    public const string RebuildParameter = "torch._utils._rebuild_parameter";
    public const string RebuildParameterWithState = "torch._utils._rebuild_parameter_with_state";

    static readonly HashSet<string> Callables = new(StringComparer.Ordinal)
    {
        OrderedDict, RebuildTensorV2, RebuildParameter, RebuildParameterWithState,
    };

    // torch.<dtype> pickles as a global (torch/_utils.py, dtype __reduce__ returns its name); accepted as a value.
    static readonly HashSet<string> DTypeNames = new(StringComparer.Ordinal)
    {
        "float64", "double", "float32", "float", "float16", "half", "bfloat16",
        "int64", "long", "int32", "int", "int16", "short", "int8", "uint8", "bool",
    };

    public static bool IsCallable(PickleGlobal global) => Callables.Contains(global.ToString());

    public static bool IsStorageType(PickleGlobal global) =>
        global.Module == "torch" && TorchStorageType.Find(global.Name) is not null;

    public static bool IsAllowed(PickleGlobal global) =>
        IsCallable(global) || IsStorageType(global) || (global.Module == "torch" && DTypeNames.Contains(global.Name));

    public static string Describe() =>
        string.Join(", ", Callables) + ", torch.{" + string.Join(",", TorchStorageType.ClassNames) + "}, torch.<dtype>";
}
