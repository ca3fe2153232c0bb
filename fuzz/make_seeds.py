#!/usr/bin/env python3
"""Writes the tiny valid seed files of the fuzz targets (scripts/fuzz calls this).

    fuzz/make_seeds.py <folder>

creates <folder>/<Target>/ for FuzzIDX, FuzzIDXGzip, FuzzCIFAR, FuzzSTL10 with files in the exact
layouts the readers take (Sources/Datasets: IDX big-endian header; CIFAR-10 1 + 3072 bytes and CIFAR-100 2 + 3072 bytes
per record, CHW; STL-10 27 648 column-major bytes per image, labels 1..10). The archive seeds
(FuzzArchive, FuzzArchiveResealed) are a level archive and a checkpoint written by
`mlresnet train` on the 40-image set written to <folder>/train-data (see scripts/fuzz).
Deterministic: the same bytes on every run.
"""
import gzip
import os
import random
import struct
import sys


def write(folder, name, data):
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data)


def main(root):
    r = random.Random(12)
    pixels = lambda n: bytes(r.randrange(256) for _ in range(n))
    images = struct.pack(">IIII", 0x803, 3, 4, 4) + pixels(3 * 16)
    labels = struct.pack(">II", 0x801, 3) + bytes([0, 1, 9])
    idx = os.path.join(root, "FuzzIDX")
    write(idx, "images.idx", images)
    write(idx, "labels.idx", labels)
    write(idx, "images.idx.gz", gzip.compress(images, mtime=0))
    write(idx, "labels.idx.gz", gzip.compress(labels, mtime=0))
    # FuzzIDXGzip compresses its input itself: its seeds are plain IDX files.
    gz = os.path.join(root, "FuzzIDXGzip")
    write(gz, "images.idx", images)
    write(gz, "labels.idx", labels)
    cifar = os.path.join(root, "FuzzCIFAR")
    write(cifar, "cifar10.bin", bytes([3]) + pixels(3072) + bytes([9]) + pixels(3072))
    write(cifar, "cifar100.bin", bytes([19, 99]) + pixels(3072) + bytes([0, 5]) + pixels(3072))
    # FuzzSTL10: byte 0 % 4 = number of label bytes at the end; one image of 27 648 bytes.
    write(os.path.join(root, "FuzzSTL10"), "one-image.bin", bytes([1]) + pixels(27648) + bytes([10]))
    # A 40-image 8 x 8 IDX set for the tiny `mlresnet train` run that writes the archive seeds.
    cli = os.path.join(root, "train-data")
    write(cli, "images.idx", struct.pack(">IIII", 0x803, 40, 8, 8) + pixels(40 * 64))
    write(cli, "labels.idx", struct.pack(">II", 0x801, 40) + bytes(i % 10 for i in range(40)))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
