#!/usr/bin/env python3
"""PyTorch side of `noether bench --suite cell`: ONE grid cell of a validation protocol, trained the way
NoetherTheory.Torch.Runs.Trainer trains it, in PyTorch eager mode, timed.

Input: a resolved training config (the config.yaml a run folder of ours holds; TrainingConfig.ToYaml's format, with the
defaults of TrainingConfigLoader for keys it leaves out). The work per step is the trainer's:

* the data set on the device as uint8 (Fashion-MNIST from its IDX .gz files, or a synthetic set of the same recipe
  and shape); per-channel normalisation (x/255 - mean)/std with the training split's statistics;
* every random draw (epoch permutations, crop offsets, flips) from one host (CPU) generator, moved to the device; batch
  gathered, zero-padded random crop (two gathers), horizontal flip, normalised on the device;
* VGG11-BN (the model of pytorch_train.py, imported, not copied), cross-entropy, backward;
* loss and accuracy accumulated on the device in float64, read at logged steps only, together with (at measured
  steps) the per-filter |w|^2, |g|^2, |v|^2, <w,g>, <w,v> in float64, the BN-epsilon prediction and the translation
  sums: one host transfer per logged step, before the update;
* torch.optim.SGD (PyTorch's heavy ball: momentum, dampening, nesterov, coupled weight decay), the learning rate of a
  MultiStepLR stepped once per step; decoupled weight decay, which torch.optim.SGD lacks, as (1 - lr*k) after the step;
* constrained filter norms (after every step each BN-preceded conv filter rescaled to its initial norm) when set;
* metrics.csv / layers.csv / filters.csv rows and periodic checkpoints (model, momentum buffers, generator, counters)
  into --out, the final checkpoint, then the test evaluation in evaluation mode.

It does not reproduce our numbers bitwise: initialisation, data order, augmentation and dropout draw from other
generators. Prints one JSON object (last line of stdout) with the wall-time split:

  setup_s       start -> training loop (data load and move to the device, statistics, model, optimizer)
  data_s        the data-load part of setup_s
  training_s    the training loop, periodic and final checkpoints included
  evaluation_s  the test evaluation
  total_s       start -> end
  first_log_s, last_log_s   times (from start) at which logged step 0 and the last step returned: the same events at
                which our side's progress reports fire, so that (last_log_s - first_log_s) times steps 1..N-1 alike on both
  first_log_cpu_s, last_log_cpu_s   process CPU time (all threads) at the same two events

Exit codes: 0 ok, 2 bad config or data, 3 torch (or yaml) not importable or no CUDA device.
"""
import argparse
import gzip
import json
import math
import os
import shutil
import struct
import sys
import tempfile
import time

try:
    import torch
    import torch.nn as nn
    import torch.nn.functional as F
    import yaml
except ImportError as e:  # the C# side reports "PyTorch not available"
    print(f'a module the PyTorch reference needs is not importable: {e}', file=sys.stderr)
    sys.exit(3)

from pytorch_train import Vgg11Bn, add_runtime_arguments, apply_runtime_arguments  # the model definition shared with the train benchmark (this folder is on sys.path)

FASHION_MNIST_DEFAULT = '/usr/share/datasets/fashion-mnist'
GOLDEN = 0x9E3779B97F4A7C15  # the trainer seeds its host generator with seed * GOLDEN + 1 (mod 2^64)


class ConfigError(Exception):
    """A config value the reference cannot honour; exit code 2 with the message."""


# ---------------------------------------------------------------------------------------------------------------- config

def _section(raw, key):
    value = raw.get(key)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ConfigError(f'{key}: expected a mapping')
    return value


def _reject_unknown(section, known, prefix):
    unknown = sorted(set(section) - set(known))
    if unknown:
        raise ConfigError(f"unknown field '{prefix}{unknown[0]}' (known: {', '.join(sorted(known))})")


def load_config(path):
    """The config as a flat dict, with TrainingConfigLoader's defaults for absent keys."""
    with open(path, encoding='utf-8') as f:
        raw = yaml.safe_load(f)
    if not isinstance(raw, dict):
        raise ConfigError(f'{path}: expected a YAML mapping (name: ..., steps: ...)')
    top = ['name', 'seed', 'steps', 'batch_size', 'log_every', 'measure_every', 'measure_window', 'transfer_every', 'checkpoint_every',
           'keep_checkpoints', 'eval_batch_size', 'constrain_filter_norms', 'dataset', 'augmentation', 'model',
           'optimizer', 'schedule']
    _reject_unknown(raw, top, '')
    ds, aug, model = _section(raw, 'dataset'), _section(raw, 'augmentation'), _section(raw, 'model')
    opt, sched = _section(raw, 'optimizer'), _section(raw, 'schedule')
    _reject_unknown(ds, ['kind', 'path', 'cache', 'synthetic'], 'dataset.')
    _reject_unknown(aug, ['crop_padding', 'horizontal_flip'], 'augmentation.')
    _reject_unknown(model, ['width', 'bn_epsilon', 'bn_momentum', 'head', 'hidden', 'dropout'], 'model.')
    _reject_unknown(opt, ['lr', 'momentum', 'dampening', 'weight_decay', 'nesterov', 'decoupled_weight_decay'], 'optimizer.')
    _reject_unknown(sched, ['milestones', 'gamma'], 'schedule.')
    if 'lr' not in opt:
        raise ConfigError("missing field 'optimizer.lr'")
    if 'steps' not in raw:
        raise ConfigError("missing field 'steps'")
    log_every = int(raw.get('log_every', 10))
    c = {
        'name': str(raw.get('name', 'run')),
        'seed': int(raw.get('seed', 1)),
        'steps': int(raw['steps']),
        'batch_size': int(raw.get('batch_size', 128)),
        'log_every': log_every,
        'measure_every': int(raw.get('measure_every', log_every)),
        'measure_window': int(raw.get('measure_window', 1)),
        'transfer_every': int(raw.get('transfer_every', 1)),
        'checkpoint_every': int(raw.get('checkpoint_every', 1000)),
        'keep_checkpoints': int(raw.get('keep_checkpoints', 2)),
        'eval_batch_size': int(raw.get('eval_batch_size', 256)),
        'constrain': bool(raw.get('constrain_filter_norms', False)),
        'dataset_kind': str(ds.get('kind', 'fashion-mnist')),
        'dataset_path': ds.get('path'),
        'synthetic': ds.get('synthetic') or {},
        'crop_padding': int(aug.get('crop_padding', 4)),
        'flip': bool(aug.get('horizontal_flip', True)),
        'width': float(model.get('width', 1.0)),
        'bn_epsilon': float(model.get('bn_epsilon', 1e-5)),
        'bn_momentum': float(model.get('bn_momentum', 0.1)),
        'head': str(model.get('head', 'classifier')),
        'hidden': int(model.get('hidden', 1024)),
        'dropout': float(model.get('dropout', 0.5)),
        'lr': float(opt['lr']),
        'momentum': float(opt.get('momentum', 0.9)),
        'dampening': float(opt.get('dampening', 0.0)),
        'weight_decay': float(opt.get('weight_decay', 0.0)),
        'nesterov': bool(opt.get('nesterov', False)),
        'decoupled': bool(opt.get('decoupled_weight_decay', False)),
        'milestones': [int(m) for m in (sched.get('milestones') or [])],
        'gamma': float(sched.get('gamma', 0.1)),
    }
    if c['steps'] < 1 or c['batch_size'] < 2 or c['log_every'] < 1 or c['eval_batch_size'] < 1:
        raise ConfigError('steps >= 1, batch_size >= 2, log_every >= 1 and eval_batch_size >= 1 are required')
    if c['measure_every'] < 1 or c['measure_every'] % c['log_every'] != 0:
        raise ConfigError('measure_every must be a positive multiple of log_every')
    if c['transfer_every'] < 1:
        raise ConfigError('transfer_every must be >= 1')
    if not 1 <= c['measure_window'] <= c['measure_every']:
        raise ConfigError('measure_window must be between 1 and measure_every')
    if c['head'] not in ('gap', 'classifier'):
        raise ConfigError(f"model.head: '{c['head']}' is not gap or classifier")
    if c['head'] == 'classifier' and c['hidden'] != 1024:
        raise ConfigError(f"model.hidden: {c['hidden']}: the shared PyTorch model (pytorch_train.py) has a 1024-wide classifier only")
    return c


# ------------------------------------------------------------------------------------------------------------------ data

def read_idx(path, magic, rank):
    if not os.path.exists(path):
        raise ConfigError(f'Fashion-MNIST file not found: {path} (install dataset-fashion-mnist or set dataset.path)')
    opener = gzip.open if path.endswith('.gz') else open
    with opener(path, 'rb') as f:
        data = f.read()
    found, = struct.unpack('>i', data[:4])
    if found != magic:
        raise ConfigError(f'{path}: IDX magic 0x{found:08x}, expected 0x{magic:08x}')
    dims = struct.unpack('>' + 'i' * rank, data[4:4 + 4 * rank])
    body = bytearray(data[4 + 4 * rank:])
    if len(body) != math.prod(dims):
        raise ConfigError(f'{path}: {len(body)} data bytes, dimensions {dims} need {math.prod(dims)}')
    return dims, torch.frombuffer(body, dtype=torch.uint8)


def fashion_mnist(folder):
    def split(prefix):
        dims, pixels = read_idx(os.path.join(folder, f'{prefix}-images-idx3-ubyte.gz'), 0x0803, 3)
        _, labels = read_idx(os.path.join(folder, f'{prefix}-labels-idx1-ubyte.gz'), 0x0801, 1)
        if labels.numel() != dims[0] or int(labels.max()) >= 10:
            raise ConfigError(f'{folder}: {prefix} labels do not match the images or are not Fashion-MNIST classes')
        return pixels.view(dims[0], 1, dims[1], dims[2]), labels.long()
    return split('train'), split('t10k'), 10


def synthetic(s):
    """The recipe of NoetherTheory.Torch.Data.SyntheticImages (class templates + noise, uint8), from torch's generator."""
    train_count, test_count = int(s.get('train_count', 256)), int(s.get('test_count', 64))
    channels, size, classes = int(s.get('channels', 3)), int(s.get('size', 16)), int(s.get('classes', 4))
    g = torch.Generator().manual_seed(int(s.get('seed', 1)))
    low = max(1, size // 4)
    templates = F.interpolate(torch.randn(classes, channels, low, low, generator=g), size=(size, size), mode='nearest')

    def sample(count):
        labels = torch.arange(count) % classes
        x = templates.index_select(0, labels) + 0.7 * torch.randn(count, channels, size, size, generator=g)
        return (x * 40 + 128).clamp(0, 255).round().to(torch.uint8), labels
    return sample(train_count), sample(test_count), classes


def load_data(c):
    if c['dataset_kind'] == 'fashion-mnist':
        return fashion_mnist(c['dataset_path'] or FASHION_MNIST_DEFAULT)
    if c['dataset_kind'] == 'synthetic':
        return synthetic(c['synthetic'])
    raise ConfigError(f"dataset.kind: {c['dataset_kind']} is not supported by the PyTorch reference (fashion-mnist, synthetic)")


def channel_statistics(images):
    """Per-channel mean and (biased) std of pixel/255 in float64, as the trainer normalises."""
    x = images.double().div_(255.0)
    return x.mean(dim=(0, 2, 3)), x.std(dim=(0, 2, 3), unbiased=False)


# ----------------------------------------------------------------------------------------------------------------- model

def build_model(c, channels, size, classes):
    model = Vgg11Bn(size, classes, c['width'], c['head'])
    first = model.features[0]
    if first.in_channels != channels:  # pytorch_train.py builds 3-channel inputs; Fashion-MNIST has one channel
        conv = nn.Conv2d(channels, first.out_channels, 3, padding=1, bias=False)
        nn.init.kaiming_normal_(conv.weight, mode='fan_out', nonlinearity='relu')
        model.features[0] = conv
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            m.eps, m.momentum = c['bn_epsilon'], c['bn_momentum']
        elif isinstance(m, nn.Dropout):
            m.p = c['dropout']
    return model


class BatchVariance:
    """Hooks on the BN layers that keep, at measured steps, the biased batch variance c BN normalised with. As the C#
    engine does: from BN's own running-variance update r <- (1 - m) r + m c M/(M - 1), M = N*H*W, in float64 (a direct
    Var over the activations when there are no running statistics)."""

    def __init__(self, norms):
        self.capture, self.values = False, [None] * len(norms)
        self._before = [None] * len(norms)
        for i, bn in enumerate(norms):
            bn.register_forward_pre_hook(self._pre(i))
            bn.register_forward_hook(self._post(i))

    def _pre(self, i):
        def hook(module, inputs):
            self.values[i], self._before[i] = None, None
            if not (self.capture and module.training):
                return
            x = inputs[0]
            m = module.momentum
            if module.running_var is None or m is None or not 0 < m <= 1:
                self.values[i] = x.detach().var(dim=(0, 2, 3), unbiased=False).double()
            else:
                self._before[i] = (module.running_var.detach().double(), m, x.shape[0] * x.shape[2] * x.shape[3])
        return hook

    def _post(self, i):
        def hook(module, inputs, output):
            if self._before[i] is not None:
                before, m, count = self._before[i]
                self.values[i] = (module.running_var.detach().double() - (1 - m) * before) * ((count - 1) / (count * m))
                self._before[i] = None
        return hook


# ----------------------------------------------------------------------------------------------------------- measurement

class Measurement:
    """Per-filter Gram entries of (w, g, v) in float64 for every BN-preceded conv (one bmm per layer over a reused float64
    work buffer), the BN-epsilon prediction eps/(c+eps)*gamma*df/dgamma with c, and the translation sums of the output layer."""

    def __init__(self, convs, norms, output, optimizer, eps):
        self.convs, self.norms, self.output, self.optimizer, self.eps = convs, norms, output, optimizer, eps
        groups = {}
        for i, conv in enumerate(convs):
            groups.setdefault(conv.weight[0].numel(), []).append(i)
        self.groups = list(groups.values())
        self.filters = [conv.out_channels for conv in convs]
        self.packed_length = 11 * sum(self.filters) + 4   # 9 Gram entries, the prediction and c per filter; 4 sums
        self.largest = max(3 * conv.weight.numel() for conv in convs)
        self._work = None

    def _velocity(self, p):
        v = self.optimizer.state.get(p, {}).get('momentum_buffer')
        return torch.zeros_like(p) if v is None else v

    @torch.no_grad()
    def pack(self, variances):
        # Per layer, w, g, v converted to float64 by copying into one reused [F, 3, K] work buffer, then one bmm: the
        # C# engine's FilterMeasurement.Pack. Layers in fan-in group order (the packed layout).
        parts = []
        for group in self.groups:
            for i in group:
                weight = self.convs[i].weight
                f, k = weight.shape[0], weight[0].numel()
                if self._work is None or self._work.numel() < 3 * f * k or self._work.device != weight.device:
                    self._work = torch.empty(self.largest, dtype=torch.float64, device=weight.device)
                rows = self._work[:3 * f * k].view(f, 3, k)
                rows[:, 0].copy_(weight.flatten(1))
                rows[:, 1].copy_(weight.grad.flatten(1))
                rows[:, 2].copy_(self._velocity(weight).flatten(1))
                parts.append(torch.bmm(rows, rows.transpose(1, 2)).flatten())   # [F, 3, 3]
        dev = self.output.weight.device
        c = torch.cat([var if var is not None else torch.full((n,), float('nan'), device=dev)
                       for var, n in zip(variances, self.filters)]).double()
        gamma = torch.cat([bn.weight.detach() for bn in self.norms]).double()
        gamma_grad = torch.cat([bn.weight.grad for bn in self.norms]).double()
        predicted = torch.zeros_like(c) if self.eps == 0 else gamma * gamma_grad * (self.eps / (c + self.eps))
        ow = self.output.weight
        class_sums = torch.stack([ow, ow.grad]).double().sum(1)
        ob = self.output.bias
        translation = torch.cat([class_sums.square().sum(1), torch.stack([ob, ob.grad]).double().sum(1)])
        return torch.cat(parts + [predicted, c, translation])

    def unpack(self, packed):
        """Per layer: (w2, g2, v2, wg, wv, wg_pred, bn_var) lists, in layer order; and the four translation sums."""
        layers, at_gram = [None] * len(self.convs), 0
        total = sum(self.filters)
        channel_offset = [sum(self.filters[:i]) for i in range(len(self.filters))]
        for group in self.groups:
            for i in group:
                n = self.filters[i]
                gram = packed[at_gram:at_gram + 9 * n]
                at_gram += 9 * n
                bn = 9 * total + channel_offset[i]
                layers[i] = (gram[0::9], gram[4::9], gram[8::9], gram[1::9], gram[2::9],
                             packed[bn:bn + n], packed[bn + total:bn + total + n])
        return layers, packed[11 * total:11 * total + 4]


# -------------------------------------------------------------------------------------------------------------- training

def to_device(host, device):
    """A host draw on the device without waiting for queued work (pinned + non-blocking), as the trainer moves them."""
    return host if device.type == 'cpu' else host.pin_memory().to(device, non_blocking=True)


def assemble(images, mean, std, idx, pad, flip, generator, device):
    x = images.index_select(0, idx).float()
    b, _, h, w = x.shape
    if pad > 0:
        padded = F.pad(x, (pad, pad, pad, pad))
        offsets = to_device(torch.randint(0, 2 * pad + 1, (2, b), generator=generator), device)
        rows = (offsets[0].view(-1, 1) + torch.arange(h, device=device)).view(b, 1, h, 1).expand(b, x.shape[1], h, w + 2 * pad)
        cols = (offsets[1].view(-1, 1) + torch.arange(w, device=device)).view(b, 1, 1, w).expand(b, x.shape[1], h, w)
        x = padded.gather(2, rows).gather(3, cols)
    if flip:
        mask = to_device(torch.rand(b, generator=generator).lt(0.5), device).view(-1, 1, 1, 1)
        x = torch.where(mask, x.flip(3), x)
    return x.div_(255.0).sub_(mean).div_(std)


def is_measured(c, n):
    return n % c['measure_every'] < c['measure_window'] or n == c['steps'] - 1


def is_logged(c, n):
    return n % c['log_every'] == 0 or is_measured(c, n)


def save_checkpoint(folder, step, keep, model, optimizer, generator, permutation, counters, initial_norms, sums):
    state = {'model': model.state_dict(), 'optimizer': optimizer.state_dict(), 'generator': generator.get_state(),
             'permutation': permutation, 'counters': counters, 'initial_norms': initial_norms, 'sums': sums}
    torch.save(state, os.path.join(folder, f'step-{step:09d}.ckpt'))
    for old in sorted((f for f in os.listdir(folder) if f.startswith('step-')), reverse=True)[keep:]:
        os.remove(os.path.join(folder, old))


@torch.no_grad()
def evaluate(model, images, labels, mean, std, batch):
    model.eval()
    loss_sum = torch.zeros((), dtype=torch.float64, device=images.device)
    correct = torch.zeros((), dtype=torch.float64, device=images.device)
    for start in range(0, images.shape[0], batch):
        idx = torch.arange(start, min(start + batch, images.shape[0]), device=images.device)
        logits = model(assemble(images, mean, std, idx, 0, False, None, images.device))
        y = labels.index_select(0, idx)
        loss_sum += F.cross_entropy(logits, y, reduction='sum').double()
        correct += logits.argmax(1).eq(y).sum().double()
    host = torch.stack([loss_sum, correct]).cpu().tolist()
    model.train()
    return host[0] / images.shape[0], host[1] / images.shape[0]


def fmt(x):
    return repr(float(x))


def run(c, device, out):
    start = time.perf_counter()
    (train_x, train_y), (test_x, test_y), classes = load_data(c)
    mean64, std64 = channel_statistics(train_x)
    train_x, train_y = train_x.to(device), train_y.to(device)
    test_x, test_y = test_x.to(device), test_y.to(device)
    mean = mean64.float().view(1, -1, 1, 1).to(device)
    std = std64.float().view(1, -1, 1, 1).to(device)
    data_s = time.perf_counter() - start
    n_train, batch = train_x.shape[0], c['batch_size']
    per_epoch = n_train // batch
    if per_epoch < 1:
        raise ConfigError(f'batch_size {batch} exceeds the {n_train} training images')

    torch.manual_seed(c['seed'])
    model = build_model(c, train_x.shape[1], train_x.shape[2], classes).to(device).train()
    convs = [m for m in model.features if isinstance(m, nn.Conv2d)]
    norms = [m for m in model.features if isinstance(m, nn.BatchNorm2d)]
    output = model.classifier[-1]
    optimizer = torch.optim.SGD(model.parameters(), lr=c['lr'], momentum=c['momentum'], dampening=c['dampening'],
                                nesterov=c['nesterov'], weight_decay=0.0 if c['decoupled'] else c['weight_decay'])
    schedule = torch.optim.lr_scheduler.MultiStepLR(optimizer, milestones=c['milestones'], gamma=c['gamma'])
    generator = torch.Generator().manual_seed((c['seed'] * GOLDEN + 1) % 2 ** 64)
    variances = BatchVariance(norms)
    measurement = Measurement(convs, norms, output, optimizer, c['bn_epsilon'])
    with torch.no_grad():
        initial_norms = [conv.weight.flatten(1).norm(dim=1) for conv in convs] if c['constrain'] else []
    loss_sum = torch.zeros((), dtype=torch.float64, device=device)
    correct_sum = torch.zeros((), dtype=torch.float64, device=device)
    checkpoints = os.path.join(out, 'checkpoints')
    os.makedirs(checkpoints, exist_ok=True)
    metrics = open(os.path.join(out, 'metrics.csv'), 'w', encoding='utf-8')
    layers_csv = open(os.path.join(out, 'layers.csv'), 'w', encoding='utf-8')
    filters_csv = open(os.path.join(out, 'filters.csv'), 'w', encoding='utf-8')
    metrics.write('step,epoch,lr,train_loss,train_accuracy,translation_w2,translation_g2,bias_sum,bias_grad_sum\n')
    layers_csv.write('step,layer,filters,w2,g2,v2,wg,wv,wg_pred\n')
    filters_csv.write('step,layer,filter,w2,g2,v2,wg,wv,wg_pred,bn_var\n')
    conv_names = [name.rsplit('.', 1)[0] for name, p in model.named_parameters() if p.dim() == 4]
    setup_s = time.perf_counter() - start

    epoch = position = since_log = 0
    permutation = None
    first_log = last_log = first_cpu = last_cpu = float('nan')
    train_loss = train_accuracy = float('nan')
    pending = []  # logged steps whose values are still on the device
    for n in range(c['steps']):
        if permutation is None:
            permutation = to_device(torch.randperm(n_train, generator=generator), device)
            position = 0
        idx = permutation[position * batch:(position + 1) * batch]
        lr = optimizer.param_groups[0]['lr']
        x = assemble(train_x, mean, std, idx, c['crop_padding'], c['flip'], generator, device)
        y = train_y.index_select(0, idx)
        measured = is_measured(c, n)
        variances.capture = measured
        logits = model(x)
        loss = F.cross_entropy(logits, y)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        with torch.no_grad():
            loss_sum += loss.detach().double()
            correct_sum += logits.argmax(1).eq(y).sum().double()
        since_log += 1
        if is_logged(c, n):
            sums = torch.stack([loss_sum, correct_sum])
            packed = torch.cat([sums, measurement.pack(variances.values)]) if measured else sums.clone()
            pending.append((n, epoch, lr, since_log, measured, packed))
            loss_sum.zero_()
            correct_sum.zero_()
            since_log = 0
        # Logged values reach the host in one transfer after the first step, every transfer_every steps, before a
        # checkpoint and at the last step (as the C# trainer does).
        flushed = bool(pending) and (n == 0 or (n + 1) % c['transfer_every'] == 0 or n + 1 == c['steps']
                                     or (c['checkpoint_every'] > 0 and (n + 1) % c['checkpoint_every'] == 0))
        if flushed:
            host = torch.cat([p[5] for p in pending]).cpu().tolist()  # the one host transfer
            at = 0
            for (m, m_epoch, m_lr, m_since, m_measured, _) in pending:
                train_loss, train_accuracy = host[at] / m_since, host[at + 1] / (m_since * batch)
                if m_measured:
                    per_layer, t = measurement.unpack(host[at + 2:])
                    metrics.write(f'{m},{m_epoch},{fmt(m_lr)},{fmt(train_loss)},{fmt(train_accuracy)},{",".join(map(fmt, t))}\n')
                    for name, (w2, g2, v2, wg, wv, pred, var) in zip(conv_names, per_layer):
                        layers_csv.write(f'{m},{name},{len(w2)},{fmt(sum(w2))},{fmt(sum(g2))},{fmt(sum(v2))},{fmt(sum(wg))},'
                                         f'{fmt(sum(wv))},{fmt(sum(pred))}\n')
                        filters_csv.writelines(f'{m},{name},{f},{fmt(w2[f])},{fmt(g2[f])},{fmt(v2[f])},{fmt(wg[f])},{fmt(wv[f])},'
                                               f'{fmt(pred[f])},{fmt(var[f])}\n' for f in range(len(w2)))
                    at += 2 + measurement.packed_length
                else:
                    metrics.write(f'{m},{m_epoch},{fmt(m_lr)},{fmt(train_loss)},{fmt(train_accuracy)},,,,\n')
                    at += 2
            pending.clear()
        optimizer.step()
        if c['decoupled'] and c['weight_decay'] != 0:
            with torch.no_grad():
                for p in model.parameters():
                    if p.grad is not None:
                        p.mul_(1 - lr * c['weight_decay'])
        schedule.step()
        if c['constrain']:
            with torch.no_grad():
                for conv, norm0 in zip(convs, initial_norms):
                    conv.weight.mul_((norm0 / conv.weight.flatten(1).norm(dim=1)).view(-1, 1, 1, 1))
        if flushed:
            for f in (metrics, layers_csv, filters_csv):
                f.flush()
            now, cpu = time.perf_counter() - start, time.process_time()
            if n == 0:
                first_log, first_cpu = now, cpu
            last_log, last_cpu = now, cpu
        position += 1
        if position == per_epoch:
            permutation, epoch = None, epoch + 1
        step = n + 1
        if c['checkpoint_every'] > 0 and step % c['checkpoint_every'] == 0 and step < c['steps']:
            save_checkpoint(checkpoints, step, c['keep_checkpoints'], model, optimizer, generator, permutation,
                            {'step': step, 'epoch': epoch, 'epoch_position': position}, initial_norms, [loss_sum, correct_sum])
    save_checkpoint(checkpoints, c['steps'], c['keep_checkpoints'], model, optimizer, generator, permutation,
                    {'step': c['steps'], 'epoch': epoch, 'epoch_position': position}, initial_norms, [loss_sum, correct_sum])
    for f in (metrics, layers_csv, filters_csv):
        f.close()
    trained = time.perf_counter() - start
    test_loss, test_accuracy = evaluate(model, test_x, test_y, mean, std, c['eval_batch_size'])
    total = time.perf_counter() - start
    return {
        'steps': c['steps'], 'batch_size': batch, 'dataset': c['dataset_kind'],
        'setup_s': setup_s, 'data_s': data_s, 'training_s': trained - setup_s, 'evaluation_s': total - trained,
        'total_s': total, 'first_log_s': first_log, 'last_log_s': last_log,
        'first_log_cpu_s': first_cpu, 'last_log_cpu_s': last_cpu,
        'train_loss': train_loss, 'train_accuracy': train_accuracy, 'test_loss': test_loss, 'test_accuracy': test_accuracy,
    }


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    p.add_argument('--config', required=True, help='resolved training config (a run folder\'s config.yaml)')
    add_runtime_arguments(p)
    p.add_argument('--out', default=None, help='folder for CSVs and checkpoints (default: a temporary folder, removed)')
    args = p.parse_args()
    device = apply_runtime_arguments(args)
    out = args.out or tempfile.mkdtemp(prefix='noether-pytorch-cell-')
    try:
        os.makedirs(out, exist_ok=True)
        try:
            result = run(load_config(args.config), device, out)
        except ConfigError as e:
            print(f'{args.config}: {e}', file=sys.stderr)
            sys.exit(2)
    finally:
        if args.out is None:
            shutil.rmtree(out, ignore_errors=True)
    result.update({'torch': torch.__version__, 'device': str(device), 'threads': torch.get_num_threads(), 'tf32': args.tf32})
    print(json.dumps(result))


if __name__ == '__main__':
    main()
