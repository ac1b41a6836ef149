#!/usr/bin/env python3
"""Golden references from Hugging Face transformers itself (issue 8 item 2).

Creates a tiny random checkpoint of every model_type IclPrune supports with transformers, saves it in HF layout
(config.json + model.safetensors), and records transformers' float32 logits for fixed token ids, so that
GoldenLogitsTests can check our TorchSharp architectures against an implementation we did not write.

Run where torch and transformers are installed (our build machines have neither; the GPU machine has both):
    python3 tests/IclPrune.Tests/Golden/make_golden.py [OUTPUT_DIR]   # default: beside this script
Outputs are small (a few hundred KB in all) and are meant to be committed. Deterministic for a given
torch/transformers version: the versions are written into each expected.json.
"""
import json
import os
import sys

import torch
import transformers
from transformers import (AutoModelForCausalLM, GPT2Config, GPTJConfig, GPTNeoXConfig, LlamaConfig, MistralConfig,
                          Qwen2Config)

VOCAB = 97          # odd sizes on purpose, so that shape bugs show (HF's own test habit)
HIDDEN = 48
HEADS = 4
INTERMEDIATE = 37
LAYERS = 2
POSITIONS = 64
SEQUENCE = 16


def configs():
    yield "gpt2", GPT2Config(vocab_size=VOCAB, n_positions=POSITIONS, n_embd=HIDDEN, n_layer=LAYERS, n_head=HEADS,
                             n_inner=INTERMEDIATE)
    yield "gptj", GPTJConfig(vocab_size=VOCAB, n_positions=POSITIONS, n_embd=HIDDEN, n_layer=LAYERS, n_head=HEADS,
                             rotary_dim=8, n_inner=INTERMEDIATE, tie_word_embeddings=False)
    llama = dict(vocab_size=VOCAB, hidden_size=HIDDEN, intermediate_size=INTERMEDIATE, num_hidden_layers=LAYERS,
                 num_attention_heads=HEADS, num_key_value_heads=2, max_position_embeddings=POSITIONS,
                 rope_theta=10000.0, tie_word_embeddings=False)
    yield "llama", LlamaConfig(**llama)
    yield "llama3-rope", LlamaConfig(**llama, rope_scaling={"rope_type": "llama3", "factor": 8.0,
                                                             "low_freq_factor": 1.0, "high_freq_factor": 4.0,
                                                             "original_max_position_embeddings": 8})
    yield "llama-tied", LlamaConfig(**{**llama, "tie_word_embeddings": True})
    yield "mistral", MistralConfig(**llama, sliding_window=None)
    yield "qwen2", Qwen2Config(**llama)
    neox = dict(vocab_size=VOCAB, hidden_size=HIDDEN, intermediate_size=INTERMEDIATE, num_hidden_layers=LAYERS,
                num_attention_heads=HEADS, max_position_embeddings=POSITIONS, rotary_pct=0.5,
                tie_word_embeddings=False)
    yield "gpt_neox", GPTNeoXConfig(**neox, use_parallel_residual=True)
    yield "gpt_neox-sequential", GPTNeoXConfig(**neox, use_parallel_residual=False)


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    generator = torch.Generator().manual_seed(1234)
    input_ids = torch.randint(0, VOCAB, (2, SEQUENCE), generator=generator)
    # Row 1 is left-padded by 5 tokens: checks padding and position handling against transformers.
    attention_mask = torch.ones_like(input_ids)
    attention_mask[1, :5] = 0
    for name, config in configs():
        torch.manual_seed(0)
        model = AutoModelForCausalLM.from_config(config, attn_implementation="eager", torch_dtype=torch.float32)
        model.eval()
        folder = os.path.join(out, name)
        model.save_pretrained(folder, safe_serialization=True)
        with torch.no_grad():
            position_ids = (attention_mask.cumsum(-1) - 1).clamp(min=0)
            logits = model(input_ids=input_ids, attention_mask=attention_mask, position_ids=position_ids).logits
        expected = {
            "model_type": config.model_type,
            "transformers": transformers.__version__,
            "torch": torch.__version__,
            "input_ids": input_ids.tolist(),
            "attention_mask": attention_mask.tolist(),
            # logits[b][t][v] in float32, rounded to 6 significant decimals; padded positions are not compared.
            "logits": [[[round(float(x), 6) for x in row] for row in seq] for seq in logits],
        }
        with open(os.path.join(folder, "expected.json"), "w") as f:
            json.dump(expected, f)
        print(f"{name}: {folder}")


if __name__ == "__main__":
    main()
