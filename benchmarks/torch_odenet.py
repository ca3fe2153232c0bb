#!/usr/bin/env python3
"""PyTorch reference for `mlresnet bench`: the *same* pre-activation ODE ResNet, same batch, same threads.

Architecture (ODENetSpec, Sources/ODENet/ODENetSpec.swift), input [batch, 3, 32, 32], channels 16-32-64, N steps per stage:
  stem      conv3x3(3 -> 16), no bias
  stage s   connector (stages 2 and 3): z = ReLU(BN(Y)); Y = conv3x3(ReLU(BN(conv3x3_s2(z)))) + conv1x1_s2(z)
            N forward-Euler steps   Y <- Y + h * F(Y),  F = conv3x3(ReLU(BN(conv3x3(ReLU(BN(Y)))))),  h = T/N
  head      ReLU(BN(Y)) -> global average pool -> linear(64 -> classes)
Convolutions have no bias; the linear layer has one.

Measures, like the anchor script in ../shared/anchors/pytorch: a training step (forward, softmax
cross-entropy, backward, SGD momentum 0.9, weight decay 2e-4) and an inference step (eval, no_grad),
batch 128 by default, channels_last, `torch.set_num_threads(threads)`; warm-up steps excluded; the
figure is batch / median step time. Prints one JSON object on stdout.

Usage: python3 torch_odenet.py --steps-per-stage 3 [--batch 128 --threads 2 --warmup 3 --steps 10]
"""
import argparse
import json
import statistics
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class ResidualF(nn.Module):
    """F(Y; theta_n) = conv(ReLU(BN(conv(ReLU(BN(Y)))))), pre-activation."""

    def __init__(self, c):
        super().__init__()
        self.bn1 = nn.BatchNorm2d(c)
        self.conv1 = nn.Conv2d(c, c, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(c)
        self.conv2 = nn.Conv2d(c, c, 3, 1, 1, bias=False)

    def forward(self, y):
        return self.conv2(F.relu(self.bn2(self.conv1(F.relu(self.bn1(y))))))


class Connector(nn.Module):
    """Stride-2 pre-activation block with a 1x1 projection shortcut (outside the ODE)."""

    def __init__(self, cin, cout):
        super().__init__()
        self.bn1 = nn.BatchNorm2d(cin)
        self.conv1 = nn.Conv2d(cin, cout, 3, 2, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.shortcut = nn.Conv2d(cin, cout, 1, 2, 0, bias=False)

    def forward(self, y):
        z = F.relu(self.bn1(y))
        return self.conv2(F.relu(self.bn2(self.conv1(z)))) + self.shortcut(z)


class ODEResNet(nn.Module):
    def __init__(self, steps_per_stage, channels=(16, 32, 64), classes=10, final_time=None):
        super().__init__()
        self.h = (final_time if final_time is not None else steps_per_stage) / steps_per_stage
        self.stem = nn.Conv2d(3, channels[0], 3, 1, 1, bias=False)
        stages, cin = [], channels[0]
        for s, c in enumerate(channels):
            connector = Connector(cin, c) if s > 0 else nn.Identity()
            steps = nn.ModuleList(ResidualF(c) for _ in range(steps_per_stage))
            stages.append(nn.ModuleDict({"connector": connector, "steps": steps}))
            cin = c
        self.stages = nn.ModuleList(stages)
        self.bn = nn.BatchNorm2d(cin)
        self.fc = nn.Linear(cin, classes)

    def forward(self, x):
        y = self.stem(x)
        for stage in self.stages:
            y = stage["connector"](y)
            for f in stage["steps"]:
                y = y + self.h * f(y)
        y = F.adaptive_avg_pool2d(F.relu(self.bn(y)), 1).flatten(1)
        return self.fc(y)


def forward_macs(model, hw):
    macs = [0]

    def conv_hook(m, inp, out):
        _, cout, ho, wo = out.shape
        kh, kw = m.kernel_size
        macs[0] += ho * wo * cout * (m.in_channels // m.groups) * kh * kw

    def lin_hook(m, inp, out):
        macs[0] += m.in_features * m.out_features

    hooks = [m.register_forward_hook(conv_hook) for m in model.modules() if isinstance(m, nn.Conv2d)]
    hooks += [m.register_forward_hook(lin_hook) for m in model.modules() if isinstance(m, nn.Linear)]
    model.eval()
    with torch.no_grad():
        model(torch.zeros(1, 3, hw, hw))
    for h in hooks:
        h.remove()
    return macs[0]


def measure(model, x, y, mode, warmup, steps):
    if mode == "train":
        model.train()
        opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, weight_decay=2e-4)

        def step():
            opt.zero_grad(set_to_none=True)
            loss = F.cross_entropy(model(x), y)
            loss.backward()
            opt.step()
    else:
        model.eval()

        def step():
            with torch.no_grad():
                model(x)
    for _ in range(warmup):
        step()
    times = []
    for _ in range(steps):
        t0 = time.perf_counter()
        step()
        times.append(time.perf_counter() - t0)
    return times


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--steps-per-stage", type=int, default=3)
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--steps", type=int, default=10)
    ap.add_argument("--size", type=int, default=32)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    model = ODEResNet(args.steps_per_stage)
    macs = forward_macs(model, args.size)
    model = model.to(memory_format=torch.channels_last)
    x = torch.randn(args.batch, 3, args.size, args.size).contiguous(memory_format=torch.channels_last)
    y = torch.randint(0, 10, (args.batch,))
    result = {"torch_version": torch.__version__, "threads": torch.get_num_threads(),
              "steps_per_stage": args.steps_per_stage, "batch": args.batch,
              "forward_macs_per_image": macs, "modes": {}}
    for mode in ("train", "infer"):
        times = measure(model, x, y, mode, args.warmup, args.steps)
        med = statistics.median(times)
        result["modes"][mode] = {"median_step_s": med, "images_per_s": args.batch / med,
                                 "step_times_s": [round(t, 5) for t in times]}
    json.dump(result, sys.stdout)
    print()


if __name__ == "__main__":
    main()
