#!/usr/bin/env python3
"""Times a plain PyTorch GPT-2 forward pass on the folder attnscope-bench writes
(--write-model DIR), doing the same work as attnscope-bench: every attention
matrix kept, logits and top-5 at every position.

    OMP_WAIT_POLICY=passive /usr/bin/python3 scripts/bench_pytorch.py DIR --sizes 8,32,128,512 --runs 7

PyTorch is an optional tool for this comparison only; nothing in the build or
the tests needs it. Prints one JSON object per T and line.
"""
import argparse
import json
import math
import os
import statistics
import struct
import time

import numpy as np
import torch


def load_safetensors(path):
    with open(path, "rb") as f:
        size = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(size))
        data = f.read()
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        assert info["dtype"] == "F32", name
        begin, end = info["data_offsets"]
        array = np.frombuffer(data[begin:end], dtype=np.float32).reshape(info["shape"])
        tensors[name] = torch.from_numpy(array.copy())
    return tensors


def gelu_new(x):
    return 0.5 * x * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * x.pow(3))))


def forward(w, cfg, ids):
    """GPT-2 with the Conv1D [in, out] layout: x @ W + b. Returns the kept
    attention (L tensors [H, T, T]) and the top-5 of every position."""
    T, H, D = ids.shape[0], cfg["n_head"], cfg["n_embd"]
    Dh = D // H
    x = w["wte.weight"][ids] + w["wpe.weight"][:T]  # [T, D]
    mask = torch.full((T, T), float("-inf")).triu(1)
    attention = []
    for l in range(cfg["n_layer"]):
        p = f"h.{l}."
        h = torch.nn.functional.layer_norm(x, (D,), w[p + "ln_1.weight"], w[p + "ln_1.bias"], 1e-5)
        qkv = torch.addmm(w[p + "attn.c_attn.bias"], h, w[p + "attn.c_attn.weight"])  # [T, 3D]
        q, k, v = (t.view(T, H, Dh).transpose(0, 1) for t in qkv.split(D, dim=1))  # [H, T, Dh]
        scores = q @ k.transpose(-1, -2) / math.sqrt(Dh) + mask  # [H, T, T]
        probs = torch.softmax(scores, dim=-1)
        attention.append(probs)
        context = (probs @ v).transpose(0, 1).reshape(T, D)  # [T, D]
        x = x + torch.addmm(w[p + "attn.c_proj.bias"], context, w[p + "attn.c_proj.weight"])
        h = torch.nn.functional.layer_norm(x, (D,), w[p + "ln_2.weight"], w[p + "ln_2.bias"], 1e-5)
        up = gelu_new(torch.addmm(w[p + "mlp.c_fc.bias"], h, w[p + "mlp.c_fc.weight"]))  # [T, 4D]
        x = x + torch.addmm(w[p + "mlp.c_proj.bias"], up, w[p + "mlp.c_proj.weight"])
    x = torch.nn.functional.layer_norm(x, (D,), w["ln_f.weight"], w["ln_f.bias"], 1e-5)
    logits = x @ w["wte.weight"].T  # [T, V]
    top = torch.topk(torch.softmax(logits, dim=-1), 5, dim=-1)
    return attention, top


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("model")
    parser.add_argument("--sizes", default="8,32,128,512")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    cfg = json.load(open(f"{args.model}/config.json"))
    w = load_safetensors(f"{args.model}/model.safetensors")
    generator = torch.Generator().manual_seed(1234)
    with torch.inference_mode():
        for T in (int(s) for s in args.sizes.split(",")):
            ids = torch.randint(0, cfg["vocab_size"], (T,), generator=generator)
            forward(w, cfg, ids)  # warm-up
            times = []
            for _ in range(args.runs):
                start = time.perf_counter()
                forward(w, cfg, ids)
                times.append(time.perf_counter() - start)
            print(json.dumps({"T": T, "median_ms": round(statistics.median(times) * 1e3, 2),
                              "min_ms": round(min(times) * 1e3, 2), "runs": args.runs,
                              "torch": torch.__version__, "threads": torch.get_num_threads(),
                              "libblas": os.path.realpath("/usr/lib/x86_64-linux-gnu/libblas.so.3")}),
                  flush=True)


if __name__ == "__main__":
    main()
