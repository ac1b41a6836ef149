#!/usr/bin/env python3
"""Writes the PyTorch-format test checkpoints of tests/IclPrune.Tests/Checkpoints/TorchZip.

No PyTorch is installed where these files were made, so by default this script writes files in torch.save's zip
format (PyTorch >= 1.6, `_use_new_zipfile_serialization=True`) with the standard library only:

- the archive layout torch's PyTorchStreamWriter (caffe2/serialize/inline_container.cc) writes: one top-level folder
  named after the file stem, `data.pkl`, `byteorder`, `data/<key>` raw little-endian storages, `version` ("3\n") and
  `.data/version`; entries stored uncompressed, each entry's data aligned to 64 bytes by a padding extra field "FB";
- `data.pkl` made by pickle.Pickler at protocol 2 (torch's default) with the same globals and persistent ids
  torch._save uses: the state dict is a collections.OrderedDict with a `_metadata` attribute, each tensor reduces to
  torch._utils._rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, OrderedDict()), and each
  storage is a persistent id ('storage', torch.<Type>Storage, key, 'cpu', numel).
  The globals are stand-in classes and functions registered as modules `torch` and `torch._utils` while pickling,
  so pickle writes exactly the GLOBAL opcodes real torch writes.

It also writes `expected.safetensors`: the same tensors, materialised contiguous, in the safetensors format (written
by hand: 8-byte header length, JSON header, data), which the C# tests compare against.

With `--real-torch OUT_DIR` (needs PyTorch) it instead makes the same state dict with real torch tensors (fp32,
fp16, bf16, ints, bool; a transposed view with a storage offset; tensors sharing one storage) and writes
OUT_DIR/pytorch_model.bin with torch.save, OUT_DIR/expected.safetensors by hand, OUT_DIR/expected-values.json (every
tensor's dtype, shape and values as torch.load reads them back) and OUT_DIR/torch-version.txt, so the reader is
checked against genuine torch.save output (see docs/checkpoints.md). The committed real-torch/ folder was made so on
Debian 12 with `apt-get install python3-torch` (1.13.1+dfsg-4):
    /usr/bin/python3 make_torch_zip.py --real-torch real-torch

Usage: python3 make_torch_zip.py            (rewrites the files beside this script)
       python3 make_torch_zip.py --real-torch DIR
       python3 make_torch_zip.py --benchmark MEGABYTES DIR   (a large file for the memory benchmark)
"""
import collections
import io
import json
import os
import pickle
import random
import struct
import sys
import types
import zipfile
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))

# dtype name -> (torch storage class name, struct format, element size, safetensors dtype)
DTYPES = {
    "float32": ("FloatStorage", "<f", 4, "F32"),
    "float16": ("HalfStorage", "<e", 2, "F16"),
    "bfloat16": ("BFloat16Storage", None, 2, "BF16"),
    "int64": ("LongStorage", "<q", 8, "I64"),
    "int32": ("IntStorage", "<i", 4, "I32"),
    "uint8": ("ByteStorage", "<B", 1, "U8"),
    "bool": ("BoolStorage", "<?", 1, "BOOL"),
}


def encode(dtype, values):
    """Little-endian bytes of `values` as `dtype`; bfloat16 is the top half of the float32 bits (truncation)."""
    if dtype == "bfloat16":
        return b"".join(struct.pack("<f", v)[2:] for v in values)
    fmt = DTYPES[dtype][1]
    return b"".join(struct.pack(fmt, v) for v in values)


class Storage:
    """One storage: dtype, number of elements and its raw bytes."""

    def __init__(self, dtype, values):
        self.dtype = dtype
        self.numel = len(values)
        self.data = encode(dtype, values)


class TensorView:
    """A tensor as torch stores it: a view (offset, size, stride in elements) into a storage."""

    def __init__(self, storage, offset, size, stride):
        # Fresh tuple objects, as torch's tuple(tensor.size()) makes for every tensor (pickle memoizes by identity).
        self.storage, self.offset, self.size, self.stride = storage, offset, tuple(list(size)), tuple(list(stride))

    def materialise(self):
        """The view's elements in row-major order, as bytes (what safetensors holds)."""
        item = DTYPES[self.storage.dtype][2]
        out = bytearray()
        for index in row_major(self.size):
            at = self.offset + sum(i * s for i, s in zip(index, self.stride))
            out += self.storage.data[at * item:(at + 1) * item]
        return bytes(out)


def row_major(size):
    if len(size) == 0:
        yield ()
        return
    for i in range(size[0]):
        for rest in row_major(size[1:]):
            yield (i,) + rest


def contiguous(storage, size):
    stride, acc = [], 1
    for d in reversed(size):
        stride.insert(0, acc)
        acc *= d
    return TensorView(storage, 0, size, stride)


def sample_state_dict():
    """The tiny state dict every file holds: GPT-2-like names, every dtype the reader supports, views that share a
    storage (tied weights), a transposed view with a storage offset, a scalar and a 4-d causal-mask buffer."""
    rng = random.Random(1234)

    def floats(n):
        return [rng.uniform(-2.0, 2.0) for _ in range(n)]

    tied = Storage("float32", floats(8 * 4))
    big = Storage("float32", floats(40))
    mask = Storage("bool", [1 if c <= r else 0 for r in range(4) for c in range(4)])
    sd = collections.OrderedDict()
    sd["wte.weight"] = contiguous(tied, (8, 4))
    sd["h.0.ln_1.weight"] = contiguous(Storage("float32", floats(4)), (4,))
    sd["h.0.attn.c_attn.weight"] = contiguous(Storage("float16", floats(4 * 12)), (4, 12))
    sd["h.0.attn.bias"] = contiguous(mask, (1, 1, 4, 4))
    sd["h.0.attn.masked_bias"] = contiguous(Storage("float32", [-1e4]), ())
    sd["h.0.mlp.c_fc.weight"] = contiguous(Storage("bfloat16", floats(4 * 6)), (4, 6))
    # Non-contiguous: a 3x4 view of a 40-float storage, column-major with row pitch 5, starting at element 7.
    sd["h.0.mlp.c_proj.weight"] = TensorView(big, 7, (3, 4), (1, 5))
    # A contiguous view into the middle of the same storage (offset 20, 2x5).
    sd["h.0.mlp.c_proj.bias"] = TensorView(big, 20, (2, 5), (5, 1))
    sd["position_ids"] = contiguous(Storage("int64", [0, 1, 2, 3, -5, 2**40]), (1, 6))
    sd["token_type"] = contiguous(Storage("int32", [7, -3, 0, 2**31 - 1]), (4,))
    sd["byte_buffer"] = contiguous(Storage("uint8", [0, 1, 128, 255, 17]), (5,))
    sd["empty"] = contiguous(Storage("float32", []), (0, 3))
    sd["lm_head.weight"] = contiguous(tied, (8, 4))  # tied to wte: same storage, as torch saves tied weights
    return sd


# ---- pickling with torch's globals ------------------------------------------------------------------------------

def fake_torch_modules():
    """Modules `torch` and `torch._utils` holding stand-ins whose qualified names are torch's, so pickle emits the
    GLOBAL opcodes real torch.save emits."""
    torch = types.ModuleType("torch")
    utils = types.ModuleType("torch._utils")
    torch._utils = utils
    for storage_name, _, _, _ in DTYPES.values():
        setattr(torch, storage_name, type(storage_name, (), {"__module__": "torch"}))

    def _rebuild_tensor_v2(*args):  # never called: only its name is pickled
        raise RuntimeError("stand-in")

    _rebuild_tensor_v2.__module__ = "torch._utils"
    _rebuild_tensor_v2.__qualname__ = "_rebuild_tensor_v2"
    utils._rebuild_tensor_v2 = _rebuild_tensor_v2
    return torch, utils


class _PicklableTensor:
    def __init__(self, view, rebuild):
        self.view, self.rebuild = view, rebuild

    def __reduce_ex__(self, protocol):
        v = self.view
        # torch/_tensor.py _reduce_ex_internal: (storage, storage_offset, size, stride, requires_grad, backward_hooks)
        return (self.rebuild, (v.storage, v.offset, v.size, v.stride, False, collections.OrderedDict()))


def pickle_state_dict(sd, protocol=2):
    """data.pkl bytes and the storages in key order, as torch/serialization.py _save makes them."""
    saved = {name: sys.modules.get(name) for name in ("torch", "torch._utils")}
    torch, utils = fake_torch_modules()
    sys.modules["torch"], sys.modules["torch._utils"] = torch, utils
    try:
        keys = {}

        def persistent_id(obj):
            if isinstance(obj, Storage):
                key = keys.setdefault(id(obj), (str(len(keys)), obj))[0]
                return ("storage", getattr(torch, DTYPES[obj.dtype][0]), key, "cpu", obj.numel)
            return None

        out = collections.OrderedDict((k, _PicklableTensor(v, utils._rebuild_tensor_v2)) for k, v in sd.items())
        # nn.Module.state_dict() attaches the per-module version metadata as an attribute.
        out._metadata = collections.OrderedDict([("", {"version": 1}), ("h.0", {"version": 1})])
        buffer = io.BytesIO()
        pickler = pickle.Pickler(buffer, protocol=protocol)
        pickler.persistent_id = persistent_id
        pickler.dump(out)
        storages = {key: storage for key, storage in keys.values()}
        return buffer.getvalue(), storages
    finally:
        for name, module in saved.items():
            if module is None:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = module


# ---- the zip container ------------------------------------------------------------------------------------------

ALIGNMENT = 64  # caffe2/serialize/inline_container.h kFieldAlignment


def write_torch_zip(path, records):
    """Writes `records` [(name, bytes)] under folder <file stem>/ the way PyTorchStreamWriter does (stored, data
    aligned to 64 bytes with an "FB" padding extra field, CRC-32 set), one record at a time."""
    stem = os.path.splitext(os.path.basename(path))[0]
    central = bytearray()
    with open(path, "wb") as out:
        for name, data in records:
            full = f"{stem}/{name}".encode()
            offset = out.tell()
            start = offset + 30 + len(full) + 4
            pad = (-start) % ALIGNMENT
            extra = b"FB" + struct.pack("<H", pad) + b"Z" * pad
            crc = zlib.crc32(data) & 0xFFFFFFFF
            out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 0, 0, 0x21, crc, len(data), len(data), len(full), len(extra)))
            out.write(full + extra)
            out.write(data)
            central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 0, 0, 0x21, crc, len(data), len(data),
                                   len(full), 0, 0, 0, 0, 0, offset) + full
        if out.tell() >= 2**32:
            raise ValueError("zip64 is not written by this script; keep test files below 4 GB")
        cd_offset = out.tell()
        out.write(central)
        out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(records), len(records), len(central), cd_offset, 0))


def big_endian(storage):
    """The storage's bytes as a big-endian machine (s390x) writes them: every element's bytes reversed."""
    n = DTYPES[storage.dtype][2]
    return b"".join(storage.data[i:i + n][::-1] for i in range(0, len(storage.data), n))


def torch_save(path, sd, protocol=2, byteorder="little"):
    data_pkl, storages = pickle_state_dict(sd, protocol)
    records = [("data.pkl", data_pkl), ("byteorder", byteorder.encode())]
    swap = big_endian if byteorder == "big" else (lambda s: s.data)
    records += [(f"data/{key}", swap(storages[key])) for key in sorted(storages)]
    records += [("version", b"3\n"), (".data/version", b"3\n")]
    write_torch_zip(path, records)


def write_safetensors(path, tensors):
    """tensors: [(name, safetensors dtype, shape, bytes)] -> the safetensors format, data 8-byte aligned."""
    header, offset, blobs = {}, 0, []
    for name, dtype, shape, data in tensors:
        header[name] = {"dtype": dtype, "shape": list(shape), "data_offsets": [offset, offset + len(data)]}
        offset += len(data)
        blobs.append(data)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * ((-len(text)) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(blobs))


# ---- files for the refusal tests --------------------------------------------------------------------------------

class _Evil:
    """Reduces to an arbitrary callable: what a malicious checkpoint does."""

    def __init__(self, func, args):
        self.func, self.args = func, args

    def __reduce__(self):
        return (self.func, self.args)


def evil_files(folder):
    import builtins
    # If any of these ever ran, it would create this marker file in the working directory; the tests check it
    # does not appear.
    marker = "icl_prune_pickle_ran_code"
    payloads = {
        "os_system": collections.OrderedDict(w=_Evil(os.system, (f"touch {marker}",))),
        "builtins_eval": collections.OrderedDict(w=_Evil(builtins.eval, (f"open('{marker}','w')",))),
    }
    for name, obj in payloads.items():
        write_torch_zip(os.path.join(folder, f"{name}.bin"),
                        [("data.pkl", pickle.dumps(obj, protocol=2)), ("version", b"3\n")])


def legacy_file(path):
    """The start of a pre-1.6 torch.save file: pickled magic number 0x1950a86a20f9469cfc6c, protocol version 1001."""
    with open(path, "wb") as f:
        for value in (0x1950A86A20F9469CFC6C, 1001, {"protocol_version": 1001, "little_endian": True}):
            pickle.dump(value, f, protocol=2)


def main():
    sd = sample_state_dict()
    expected = [(n, DTYPES[v.storage.dtype][3], v.size, v.materialise()) for n, v in sd.items()]
    write_safetensors(os.path.join(HERE, "expected.safetensors"), expected)

    os.makedirs(os.path.join(HERE, "single"), exist_ok=True)
    torch_save(os.path.join(HERE, "single", "pytorch_model.bin"), sd)
    os.makedirs(os.path.join(HERE, "protocol4"), exist_ok=True)
    torch_save(os.path.join(HERE, "protocol4", "pytorch_model.bin"), sd, protocol=4)
    os.makedirs(os.path.join(HERE, "bigendian"), exist_ok=True)
    torch_save(os.path.join(HERE, "bigendian", "pytorch_model.bin"), sd, byteorder="big")

    # The same records in a zip with zip64 extra fields (what miniz writes for files above 4 GB, such as GPT-J in
    # float32), written by Python's zipfile so the container does not come from our own zip code.
    os.makedirs(os.path.join(HERE, "zip64"), exist_ok=True)
    data_pkl, storages = pickle_state_dict(sd)
    records = [("data.pkl", data_pkl), ("byteorder", b"little")]
    records += [(f"data/{key}", storages[key].data) for key in sorted(storages)] + [("version", b"3\n")]
    with zipfile.ZipFile(os.path.join(HERE, "zip64", "pytorch_model.bin"), "w", zipfile.ZIP_STORED) as z:
        for name, data in records:
            info = zipfile.ZipInfo(f"pytorch_model/{name}", date_time=(1980, 1, 1, 0, 0, 0))
            with z.open(info, "w", force_zip64=True) as f:
                f.write(data)

    # Sharded as transformers' save_pretrained shards .bin files: each shard its own torch.save of part of the dict.
    folder = os.path.join(HERE, "sharded")
    os.makedirs(folder, exist_ok=True)
    names = list(sd)
    halves = [names[:6], names[6:]]
    weight_map = {}
    for i, part in enumerate(halves):
        shard = f"pytorch_model-{i + 1:05d}-of-{len(halves):05d}.bin"
        torch_save(os.path.join(folder, shard), collections.OrderedDict((n, sd[n]) for n in part))
        weight_map.update({n: shard for n in part})
    total = sum(len(data) for _, _, _, data in expected)
    with open(os.path.join(folder, "pytorch_model.bin.index.json"), "w") as f:
        json.dump({"metadata": {"total_size": total}, "weight_map": weight_map}, f, indent=2)

    evil = os.path.join(HERE, "evil")
    os.makedirs(evil, exist_ok=True)
    evil_files(evil)
    legacy_file(os.path.join(HERE, "legacy.bin"))


def main_benchmark(megabytes, out_dir):
    """A large .bin for the memory benchmark in docs/checkpoints.md: float16 4096x4096 matrices (32 MiB each) of
    random bytes, plus config.json, up to about `megabytes` MiB. Not committed."""
    count = max(1, megabytes // 32)
    sd = collections.OrderedDict()
    for i in range(count):
        s = Storage("float16", [])
        s.numel, s.data = 4096 * 4096, os.urandom(4096 * 4096 * 2)
        sd[f"layer.{i}.weight"] = contiguous(s, (4096, 4096))
    os.makedirs(out_dir, exist_ok=True)
    torch_save(os.path.join(out_dir, "pytorch_model.bin"), sd)
    with open(os.path.join(out_dir, "config.json"), "w") as f:
        json.dump({"model_type": "benchmark"}, f)
    print(f"wrote {count} x 32 MiB tensors to {out_dir}/pytorch_model.bin")


def main_real_torch(out_dir):
    import torch  # noqa: only on a machine with PyTorch

    sd = sample_state_dict()
    dtypes = {"float32": torch.float32, "float16": torch.float16, "bfloat16": torch.bfloat16, "int64": torch.int64,
              "int32": torch.int32, "uint8": torch.uint8, "bool": torch.bool}
    storages, real = {}, collections.OrderedDict()
    for name, v in sd.items():
        s = v.storage
        if id(s) not in storages:
            flat = torch.frombuffer(bytearray(s.data), dtype=dtypes[s.dtype]) if s.numel else torch.empty(0, dtype=dtypes[s.dtype])
            storages[id(s)] = flat.clone()
        real[name] = storages[id(s)].as_strided(v.size, v.stride, v.offset)
    os.makedirs(out_dir, exist_ok=True)
    torch.save(real, os.path.join(out_dir, "pytorch_model.bin"))
    expected = [(n, DTYPES[v.storage.dtype][3], v.size, v.materialise()) for n, v in sd.items()]
    # Not model.safetensors: a folder with both formats would load the safetensors one.
    write_safetensors(os.path.join(out_dir, "expected.safetensors"), expected)
    # Cross-check with torch itself: what it loads equals what we wrote as safetensors.
    back = torch.load(os.path.join(out_dir, "pytorch_model.bin"), weights_only=True)
    values = collections.OrderedDict()
    for name, dtype, size, data in expected:
        got = back[name].contiguous()
        assert tuple(got.shape) == tuple(size), name
        raw = bytes(got.reshape(-1).view(torch.uint8).tolist()) if got.numel() else b""  # no numpy needed
        assert raw == data, name
        # Python floats print round-trip exact, so the JSON holds each fp16/bf16/fp32 value exactly.
        flat = got.reshape(-1).double().tolist() if got.dtype.is_floating_point else [int(x) for x in got.reshape(-1).tolist()]
        values[name] = {"dtype": str(got.dtype).replace("torch.", ""), "shape": list(size), "values": flat}
    with open(os.path.join(out_dir, "expected-values.json"), "w") as f:
        json.dump(values, f, indent=1)
        f.write("\n")
    with open(os.path.join(out_dir, "torch-version.txt"), "w") as f:
        f.write(f"torch {torch.__version__} (Debian 12 python3-torch 1.13.1+dfsg-4, CPU), Python {sys.version.split()[0]}\n")
    print(f"wrote {out_dir}/pytorch_model.bin (torch {torch.__version__}), expected.safetensors and expected-values.json")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--real-torch":
        main_real_torch(sys.argv[2])
    elif len(sys.argv) == 4 and sys.argv[1] == "--benchmark":
        main_benchmark(int(sys.argv[2]), sys.argv[3])
    elif len(sys.argv) == 1:
        main()
    else:
        sys.exit(__doc__)
