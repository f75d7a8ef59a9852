#!/usr/bin/env python3
"""float_diff.py HEX EXPECTED.bin: how far apart the target's outputs (hex string, from an OUTHEX line) and
the host's outputs are when read as little-endian float32 (for float models; meaningless for int8 ones)."""
import struct
import sys


def ordered(bits):
    # float32 bit pattern -> integer ordered like the floats, so that differences count ULPs.
    return bits if bits < 0x80000000 else 0x80000000 - bits


def main():
    got = bytes.fromhex(sys.argv[1])
    with open(sys.argv[2], "rb") as f:
        want = f.read()
    if len(got) != len(want) or len(got) % 4:
        print("  float32 view: sizes %d / %d, not comparable" % (len(got), len(want)))
        return
    n = len(got) // 4
    g = struct.unpack("<%df" % n, got)
    w = struct.unpack("<%df" % n, want)
    gb = struct.unpack("<%dI" % n, got)
    wb = struct.unpack("<%dI" % n, want)
    diff = [i for i in range(n) if gb[i] != wb[i]]
    max_abs = max((abs(g[i] - w[i]) for i in diff), default=0.0)
    max_rel = max((abs(g[i] - w[i]) / abs(w[i]) for i in diff if w[i] != 0), default=0.0)
    max_ulp = max((abs(ordered(gb[i]) - ordered(wb[i])) for i in diff), default=0)
    print("  float32 view: %d of %d values differ, max |diff| %.3g, max rel %.3g, max %d ulp"
          % (len(diff), n, max_abs, max_rel, max_ulp))
    for i in diff[:4]:
        print("    [%d] target %.9g (0x%08x) host %.9g (0x%08x)" % (i, g[i], gb[i], w[i], wb[i]))


if __name__ == "__main__":
    main()
