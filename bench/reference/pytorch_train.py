#!/usr/bin/env python3
"""PyTorch side of `noether bench --suite train`: images/s of a VGG11-BN training step in PyTorch eager mode.

Same model as NoetherTheory.Torch.Models.Vgg11Bn (configuration A, conv without bias + BatchNorm2d + ReLU, 2x2
max-pools skipped at 1x1, width multiplier, head "gap" = global average pool + Linear, or "classifier" = the VGG
classifier Linear(., 1024)-ReLU-Dropout(0.5)-Linear(1024, 1024)-ReLU-Dropout(0.5)-Linear), same optimizer
(torch.optim.SGD, momentum, coupled weight decay), same synthetic batch layout (float32 NCHW, batches resident on the
device), same number of intra-op CPU threads (--threads), same timing protocol (warm-up, then `rounds` rounds of `steps` steps, best round, a device sync at the
end of each round). Prints one JSON object. Run with the python3 that has PyTorch (on the GPU host: the one on PATH).
"""
import argparse
import json
import sys
import time

try:
    import torch
    import torch.nn as nn
    import torch.nn.functional as F
except ImportError as e:  # the C# side reports "PyTorch not available"
    print(f'torch is not importable: {e}', file=sys.stderr)
    sys.exit(3)

CONFIG_A = [64, 'M', 128, 'M', 256, 256, 'M', 512, 512, 'M', 512, 512, 'M']


class Vgg11Bn(nn.Module):
    def __init__(self, size, classes, width, head):
        super().__init__()
        layers, channels = [], 3
        for entry in CONFIG_A:
            if entry == 'M':
                if size >= 2:
                    layers.append(nn.MaxPool2d(2, 2))
                    size //= 2
                continue
            w = max(1, int(entry * width + 0.5))
            layers += [nn.Conv2d(channels, w, 3, padding=1, bias=False), nn.BatchNorm2d(w), nn.ReLU(inplace=True)]
            channels = w
        self.features = nn.Sequential(*layers)
        if head == 'gap':
            self.classifier = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(channels, classes))
        else:
            self.classifier = nn.Sequential(
                nn.Flatten(), nn.Linear(channels * size * size, 1024), nn.ReLU(inplace=True), nn.Dropout(0.5),
                nn.Linear(1024, 1024), nn.ReLU(inplace=True), nn.Dropout(0.5), nn.Linear(1024, classes))
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode='fan_out', nonlinearity='relu')
            elif isinstance(m, nn.Linear):
                nn.init.normal_(m.weight, 0, 0.01)
                nn.init.zeros_(m.bias)

    def forward(self, x):
        return self.classifier(self.features(x))


def measure(args, device, batch):
    torch.manual_seed(1)
    model = Vgg11Bn(args.size, args.classes, args.width, args.head).to(device).train()
    opt = torch.optim.SGD(model.parameters(), lr=args.lr, momentum=args.momentum, weight_decay=args.weight_decay)
    xs = [torch.randn(batch, 3, args.size, args.size, device=device) for _ in range(4)]
    ys = [torch.randint(0, args.classes, (batch,), device=device) for _ in range(4)]
    cursor = 0

    def steps(count):
        nonlocal cursor
        for _ in range(count):
            opt.zero_grad(set_to_none=True)
            loss = F.cross_entropy(model(xs[cursor % 4]), ys[cursor % 4])
            loss.backward()
            opt.step()
            cursor += 1
        if device.type == 'cuda':
            torch.cuda.synchronize(device)

    steps(args.warmup)
    best = float('inf')
    for _ in range(args.rounds):
        t0 = time.perf_counter()
        steps(args.steps)
        best = min(best, time.perf_counter() - t0)
    return {'batch': batch, 'images_per_s': args.steps * batch / best, 'step_s': best / args.steps}


def add_runtime_arguments(p):
    """--device, --threads and --tf32, shared with pytorch_cell.py."""
    p.add_argument('--device', default='cpu')
    p.add_argument('--threads', type=int, default=0, help='intra-op CPU threads (0: leave PyTorch\'s default)')
    p.add_argument('--tf32', action='store_true', help='CUDA: allow TF32 in cuDNN convolutions and cuBLAS matmuls (default: strict float32)')


def apply_runtime_arguments(args):
    """Applies --threads and --tf32 and returns the device; exits 3 when CUDA is asked for and absent."""
    if args.threads > 0:
        torch.set_num_threads(args.threads)
    # Set both flags either way: PyTorch's own default is TF32 for cuDNN convolutions and strict float32 for matmuls.
    torch.backends.cudnn.allow_tf32 = args.tf32
    torch.backends.cuda.matmul.allow_tf32 = args.tf32
    device = torch.device(args.device)
    if device.type == 'cuda' and not torch.cuda.is_available():
        print('torch is importable but reports no CUDA device', file=sys.stderr)
        sys.exit(3)
    return device


def main():
    p = argparse.ArgumentParser()
    add_runtime_arguments(p)
    p.add_argument('--batch-sizes', default='64')
    p.add_argument('--size', type=int, default=32)
    p.add_argument('--classes', type=int, default=10)
    p.add_argument('--width', type=float, default=0.25)
    p.add_argument('--head', choices=['gap', 'classifier'], default='gap')
    p.add_argument('--warmup', type=int, default=2)
    p.add_argument('--rounds', type=int, default=3)
    p.add_argument('--steps', type=int, default=4)
    p.add_argument('--lr', type=float, default=0.01)
    p.add_argument('--momentum', type=float, default=0.9)
    p.add_argument('--weight-decay', type=float, default=5e-4)
    args = p.parse_args()
    device = apply_runtime_arguments(args)
    results = [measure(args, device, int(b)) for b in args.batch_sizes.split(',')]
    print(json.dumps({'torch': torch.__version__, 'device': str(device), 'threads': torch.get_num_threads(), 'tf32': args.tf32, 'results': results}))


if __name__ == '__main__':
    main()
