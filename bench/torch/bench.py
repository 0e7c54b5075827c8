#!/usr/bin/env python3
"""PyTorch (CPU) twins of peftlab's Go benchmarks (peftlib/models/bench_test.go,
peftlib/rl/dqn/bench_test.go): same models, shapes, optimiser and dtype (float32).

  bench.py NAME [--steps N] [--threads T]   -> one JSON line {"name", "ms", "peak_mib", "threads"}

NAME: mlp, transformer, lora, cnn, dqn, generate64. "ms" is the median over N timed steps
after 3 warm-up steps (for generate64, one step is a whole 64-token generation).
"""
import argparse
import json
import math
import resource
import statistics
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class Block(nn.Module):
    """Pre-norm block as peftlib/models.Block: separate q, k, v, output projections, GELU MLP."""

    def __init__(self, d, heads, ff, causal=False):
        super().__init__()
        self.heads, self.causal = heads, causal
        self.ln_attn, self.ln_mlp = nn.LayerNorm(d, eps=1e-3), nn.LayerNorm(d, eps=1e-3)
        self.query, self.key, self.value, self.output = (nn.Linear(d, d) for _ in range(4))
        self.up, self.down = nn.Linear(d, ff), nn.Linear(ff, d)

    def attention(self, x):
        b, s, d = x.shape
        h, dh = self.heads, d // self.heads
        q = self.query(x).view(b, s, h, dh).transpose(1, 2)
        k = self.key(x).view(b, s, h, dh).transpose(1, 2)
        v = self.value(x).view(b, s, h, dh).transpose(1, 2)
        scores = q @ k.transpose(-1, -2) / math.sqrt(dh)
        if self.causal:
            mask = torch.triu(torch.ones(s, s, dtype=torch.bool), 1)
            scores = scores.masked_fill(mask, -1e9)
        out = (scores.softmax(-1) @ v).transpose(1, 2).reshape(b, s, d)
        return self.output(out)

    def forward(self, x):
        x = x + self.attention(self.ln_attn(x))
        return x + self.down(F.gelu(self.up(self.ln_mlp(x))))


class Encoder(nn.Module):
    def __init__(self, d=128, heads=4, ff=512, layers=2, classes=10):
        super().__init__()
        self.blocks = nn.ModuleList(Block(d, heads, ff) for _ in range(layers))
        self.norm, self.head = nn.LayerNorm(d, eps=1e-3), nn.Linear(d, classes)

    def forward(self, x):
        for blk in self.blocks:
            x = blk(x)
        return self.head(self.norm(x).mean(1))


class LoRALinear(nn.Module):
    """Hugging Face PEFT's LoRA form: base(x) + (alpha/r)·B(A(x)), base frozen."""

    def __init__(self, base, r=8, alpha=16):
        super().__init__()
        self.base, self.scale = base, alpha / r
        self.A = nn.Linear(base.in_features, r, bias=False)
        self.B = nn.Linear(r, base.out_features, bias=False)
        nn.init.kaiming_uniform_(self.A.weight, a=math.sqrt(5))
        nn.init.zeros_(self.B.weight)

    def forward(self, x):
        return self.base(x) + self.scale * self.B(self.A(x))


class CNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.c1, self.n1 = nn.Conv2d(1, 32, 3, padding=1), nn.GroupNorm(8, 32)
        self.c2, self.n2 = nn.Conv2d(32, 64, 3, padding=1), nn.GroupNorm(8, 64)
        self.head = nn.Linear(64, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.n1(self.c1(x))), 2)
        x = F.max_pool2d(F.relu(self.n2(self.c2(x))), 2)
        return self.head(x.mean((2, 3)))


class QNet(nn.Module):
    """The three-body DQN: 13 -> 128, one 128x128 layer applied 3 times (tied), -> 10."""

    def __init__(self, states=13, hidden=128, layers=3, actions=10):
        super().__init__()
        self.inp, self.hidden, self.out, self.layers = nn.Linear(states, hidden), nn.Linear(hidden, hidden), nn.Linear(hidden, actions), layers

    def forward(self, x):
        x = F.relu(self.inp(x))
        for _ in range(self.layers):
            x = F.relu(self.hidden(x))
        return self.out(x)


class Decoder(nn.Module):
    def __init__(self, vocab=128, ctx=128, d=128, heads=4, layers=2):
        super().__init__()
        self.embed, self.pos = nn.Embedding(vocab, d), nn.Parameter(torch.randn(ctx, d) * 0.02)
        self.blocks = nn.ModuleList(Block(d, heads, 4 * d, causal=True) for _ in range(layers))
        self.norm, self.head = nn.LayerNorm(d, eps=1e-3), nn.Linear(d, vocab)

    def forward(self, tokens):
        x = self.embed(tokens) + self.pos[: tokens.shape[1]]
        for blk in self.blocks:
            x = blk(x)
        return self.head(self.norm(x))


def classifier_step(model, x, y, params):
    opt = torch.optim.Adam(params, lr=1e-3)

    def step():
        opt.zero_grad(set_to_none=True)
        F.cross_entropy(model(x), y).backward()
        opt.step()
    return step


def make(name):
    torch.manual_seed(0)
    if name == "mlp":
        m = nn.Sequential(nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 512), nn.ReLU(), nn.Linear(512, 10))
        return classifier_step(m, torch.randn(128, 784), torch.randint(0, 10, (128,)), m.parameters())
    if name == "transformer":
        m = Encoder()
        return classifier_step(m, torch.randn(64, 64, 128), torch.randint(0, 10, (64,)), m.parameters())
    if name == "lora":
        m = Encoder()
        for p in m.parameters():
            p.requires_grad_(False)
        for blk in m.blocks:
            blk.query, blk.value = LoRALinear(blk.query), LoRALinear(blk.value)
        params = [p for p in m.parameters() if p.requires_grad]
        return classifier_step(m, torch.randn(64, 64, 128), torch.randint(0, 10, (64,)), params)
    if name == "cnn":
        m = CNN()
        return classifier_step(m, torch.randn(128, 1, 28, 28), torch.randint(0, 10, (128,)), m.parameters())
    if name == "dqn":
        online, target = QNet(), QNet()
        target.load_state_dict(online.state_dict())
        opt = torch.optim.AdamW(online.parameters(), lr=1e-3, amsgrad=True)
        s, s2 = torch.randn(128, 13), torch.randn(128, 13)
        a, r, nd = torch.randint(0, 10, (128, 1)), torch.randn(128), torch.ones(128)

        def step():
            q = online(s).gather(1, a).squeeze(1)
            with torch.no_grad():
                y = r + 0.99 * nd * target(s2).max(1).values
            loss = F.smooth_l1_loss(q, y)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_value_(online.parameters(), 100)
            opt.step()
            with torch.no_grad():
                for pt, po in zip(target.parameters(), online.parameters()):
                    pt.mul_(0.995).add_(po, alpha=0.005)
        return step
    if name == "generate64":
        m = Decoder().eval()
        prompt = list(range(32, 48))

        @torch.no_grad()
        def step():
            seq = list(prompt)
            for _ in range(64):
                window = torch.zeros(1, 128, dtype=torch.long)
                window[0, : len(seq)] = torch.tensor(seq)
                seq.append(int(m(window)[0, len(seq) - 1].argmax()))
        return step
    sys.exit(f"unknown benchmark {name!r}")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("name")
    ap.add_argument("--steps", type=int, default=20)
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    step = make(args.name)
    for _ in range(3):
        step()
    times = []
    for _ in range(args.steps):
        t0 = time.perf_counter()
        step()
        times.append(time.perf_counter() - t0)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"name": args.name, "ms": 1000 * statistics.median(times), "peak_mib": peak,
                      "threads": args.threads, "torch": torch.__version__}))


if __name__ == "__main__":
    main()
