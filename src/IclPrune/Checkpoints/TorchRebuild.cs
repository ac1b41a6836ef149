namespace IclPrune.Checkpoints;

/// <summary>
/// What the allowed callables and persistent ids of a torch.save pickle mean, built as inert values (nothing is
/// called): torch/serialization.py _save's persistent_id and torch/_utils.py _rebuild_tensor_v2 /
/// _rebuild_parameter(_with_state). Every argument is type-checked and every view is bounds-checked against its
/// storage here, so no unchecked number ever reaches native code.
/// </summary>
public static class TorchRebuild
{
    /// <summary>BINPERSID: ('storage', torch.&lt;Type&gt;Storage, key, location, numel).</summary>
    public static TorchStorageRef PersistentLoad(string source, object? pid, int at)
    {
        if (pid is not object?[] { Length: 5 } t || t[0] is not "storage")
            throw Fail(source, at, $"persistent id {RestrictedUnpickler.Describe(pid)} is not ('storage', type, key, location, numel)");
        if (t[1] is not PickleGlobal type || !PickleAllowList.IsStorageType(type))
            throw Fail(source, at, $"persistent id names storage type {RestrictedUnpickler.Describe(t[1])}; expected one of torch.{{{string.Join(",", TorchStorageType.ClassNames)}}}");
        if (t[2] is not string key || key.Length == 0 || key.Any(c => !char.IsAsciiLetterOrDigit(c) && c != '_'))
            throw Fail(source, at, $"storage key {RestrictedUnpickler.Describe(t[2])} is not a plain record name");
        if (t[3] is not string location)
            throw Fail(source, at, $"storage '{key}' location {RestrictedUnpickler.Describe(t[3])} is not a string");
        if (t[4] is not long numel || numel < 0)
            throw Fail(source, at, $"storage '{key}' element count {RestrictedUnpickler.Describe(t[4])} is not a non-negative integer");
        return new TorchStorageRef(key, TorchStorageType.Find(type.Name)!, location, numel);
    }

    /// <summary>REDUCE on an allowed callable.</summary>
    public static object Call(string source, PickleGlobal callable, object?[] args, int at)
    {
        switch (callable.ToString())
        {
            case PickleAllowList.OrderedDict:
                if (args.Length != 0)
                    throw Fail(source, at, $"collections.OrderedDict called with {args.Length} arguments; torch.save passes none");
                return new PickleDict();
            case PickleAllowList.RebuildTensorV2:
                return RebuildTensor(source, args, at);
            case PickleAllowList.RebuildParameter or PickleAllowList.RebuildParameterWithState:
                // (data, requires_grad, backward_hooks[, state]): a Parameter is its data tensor for our purposes.
                if (args.Length is < 3 or > 4 || args[0] is not TorchTensorRef data)
                    throw Fail(source, at, $"{callable} expects (tensor, requires_grad, hooks[, state]), got {args.Length} arguments");
                return data;
            default:
                throw Fail(source, at, $"REDUCE on '{callable}' is not allowed");
        }
    }

    /// <summary>_rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata]).</summary>
    static TorchTensorRef RebuildTensor(string source, object?[] args, int at)
    {
        if (args.Length is < 6 or > 7)
            throw Fail(source, at, $"_rebuild_tensor_v2 expects 6 or 7 arguments, got {args.Length}");
        if (args[0] is not TorchStorageRef storage)
            throw Fail(source, at, $"_rebuild_tensor_v2 storage is {RestrictedUnpickler.Describe(args[0])}, not a storage persistent id");
        if (args[1] is not long offset || offset < 0)
            throw Fail(source, at, $"storage '{storage.Key}': offset {RestrictedUnpickler.Describe(args[1])} is not a non-negative integer");
        long[] size = Longs(source, at, storage, "size", args[2]);
        long[] stride = Longs(source, at, storage, "stride", args[3]);
        if (size.Length != stride.Length)
            throw Fail(source, at, $"storage '{storage.Key}': size has {size.Length} dimensions but stride has {stride.Length}");
        CheckInsideStorage(source, at, storage, offset, size, stride);
        return new TorchTensorRef(storage, offset, size, stride);
    }

    static long[] Longs(string source, int at, TorchStorageRef storage, string what, object? value)
    {
        if (value is not object?[] tuple || tuple.Any(v => v is not long n || n < 0))
            throw Fail(source, at, $"storage '{storage.Key}': {what} {RestrictedUnpickler.Describe(value)} is not a tuple of non-negative integers");
        return tuple.Select(v => (long)v!).ToArray();
    }

    /// <summary>The last element the view touches, offset + sum((size_i - 1) * stride_i), must lie inside the
    /// storage; checked arithmetic, so a hostile size cannot wrap around to a plausible one.</summary>
    static void CheckInsideStorage(string source, int at, TorchStorageRef storage, long offset, long[] size, long[] stride)
    {
        string View() => $"view (offset {offset}, size [{string.Join(", ", size)}], stride [{string.Join(", ", stride)}])";
        try
        {
            long numel = size.Aggregate(1L, (a, d) => checked(a * d));
            checked { _ = numel * storage.Type.ElementSize; }
            if (numel == 0)
            {
                if (offset > storage.ElementCount)
                    throw Fail(source, at, $"{View()} starts past the end of storage '{storage.Key}' ({storage.ElementCount} elements)");
                return;
            }
            long last = offset;
            for (int i = 0; i < size.Length; i++)
                last = checked(last + (size[i] - 1) * stride[i]);
            if (last >= storage.ElementCount)
                throw Fail(source, at, $"{View()} reaches element {last} of storage '{storage.Key}', which has {storage.ElementCount}");
        }
        catch (OverflowException)
        {
            throw Fail(source, at, $"{View()} of storage '{storage.Key}' overflows");
        }
    }

    static IclPruneException Fail(string source, int at, string what) =>
        new($"{source}: unsafe or unsupported pickle at byte {at}: {what}.");
}
