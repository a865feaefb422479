#!/usr/bin/python3
"""Copies the first N training samples (and the whole test set) of an IDX .gz dataset such as Fashion-MNIST.

Usage: idx-subset.py <source-dir> <target-dir> <N>
Used by scripts/gpu-bundle.sh to carry a subset of Fashion-MNIST to GPU hosts without the dataset package.
"""
import gzip
import shutil
import struct
import sys
from pathlib import Path


def subset(src, dst, count):
    with gzip.open(src, 'rb') as f:
        data = f.read()
    magic, = struct.unpack('>I', data[:4])
    rank = magic & 0xFF
    dims = list(struct.unpack('>' + 'I' * rank, data[4:4 + 4 * rank]))
    per_item = 1
    for d in dims[1:]:
        per_item *= d
    n = min(count, dims[0])
    header = struct.pack('>I', magic) + struct.pack('>' + 'I' * rank, n, *dims[1:])
    body = data[4 + 4 * rank: 4 + 4 * rank + n * per_item]
    with gzip.open(dst, 'wb', compresslevel=9) as f:
        f.write(header + body)


def main():
    source, target, count = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
    target.mkdir(parents=True, exist_ok=True)
    for kind in ('images-idx3-ubyte.gz', 'labels-idx1-ubyte.gz'):
        subset(source / f'train-{kind}', target / f'train-{kind}', count)
        shutil.copyfile(source / f't10k-{kind}', target / f't10k-{kind}')


if __name__ == '__main__':
    main()
