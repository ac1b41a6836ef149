namespace IclPrune.Checkpoints;

// The values the restricted unpickler builds. Plain pickle values map to C# ones: str -> string, int -> long,
// float -> double, bool -> bool, None -> null, tuple -> object?[], list -> List<object?>. Everything else is one of
// the records below; there is no way to build an object of any other type.

/// <summary>A dict or collections.OrderedDict; keeps insertion order, as both do in Python 3.7+.</summary>
public sealed class PickleDict
{
    readonly Dictionary<object, int> _index = new();
    readonly List<KeyValuePair<object, object?>> _items = new();

    public IReadOnlyList<KeyValuePair<object, object?>> Items => _items;

    /// <summary>Attributes set by BUILD (OrderedDict state such as a state dict's _metadata); kept, never used.</summary>
    public object? State { get; set; }

    public void Set(object key, object? value)
    {
        if (_index.TryGetValue(key, out int at))
            _items[at] = new(key, value);
        else
        {
            _index[key] = _items.Count;
            _items.Add(new(key, value));
        }
    }
}

/// <summary>A global the allow list accepted (module and name as the pickle spells them).</summary>
public sealed record PickleGlobal(string Module, string Name)
{
    public override string ToString() => $"{Module}.{Name}";
}

/// <summary>A storage persistent id: ('storage', torch.&lt;Type&gt;Storage, key, location, numel).</summary>
public sealed record TorchStorageRef(string Key, TorchStorageType Type, string Location, long ElementCount);

/// <summary>A tensor rebuilt by torch._utils._rebuild_tensor_v2: a view of a storage, all counts in elements.</summary>
public sealed record TorchTensorRef(TorchStorageRef Storage, long StorageOffset, long[] Size, long[] Stride);
