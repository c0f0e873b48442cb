# Generates case_table.inc (run: python3 gen_case_table.py > case_table.inc).
# The tables are the Unicode simple case mappings of the BMP, as ranges, used by
# RtlUpcaseUnicodeChar/RtlDowncaseUnicodeChar and the wide CRT case functions.

import sys
def mapping(fn):
    m = {}
    for c in range(0x10000):
        if 0xD800 <= c < 0xE000: continue
        s = fn(chr(c))
        if len(s) == 1 and ord(s) < 0x10000 and ord(s) != c:
            m[c] = ord(s) - c
    return m
def ranges(m):
    out = []
    keys = sorted(m)
    i = 0
    while i < len(keys):
        first = keys[i]; d = m[first]
        # try stride 1 then 2
        best = (first, 1)
        for stride in (1, 2):
            last = first
            while (last + stride) in m and m[last + stride] == d and not (stride == 2 and (last + 1) in m and m[last+1] == d):
                last += stride
            if last > best[0] or stride == 1:
                if last - first >= (best[0] - first): best = (last, stride)
        last, stride = best
        if last == first: stride = 1
        out.append((first, last, d, stride))
        # advance past consumed keys
        consumed = set(range(first, last + 1, stride))
        i += 1
        while i < len(keys) and keys[i] in consumed: i += 1
        # keys skipped inside a stride-2 range that are not consumed must remain: rebuild list
        remaining = [k for k in keys[i:]]
        keys = keys[:i] + remaining
    return out
def emit(name, rs):
    print(f"constexpr CaseRange {name}[] = {{")
    for f, l, d, s in rs:
        print(f"    {{0x{f:04X}, 0x{l:04X}, {d}, {s}}},")
    print("};")
up = mapping(str.upper); lo = mapping(str.lower)
print("// Generated from the Unicode Character Database " + __import__('unicodedata').unidata_version + " (simple 1:1 BMP case mappings).")
print("// {first, last, delta, stride}: every stride-th code point in [first, last] maps to c + delta.")
emit("kUpcaseRanges", ranges(up)); emit("kDowncaseRanges", ranges(lo))

def check(m, rs):
    rebuilt = {}
    prev_last = -1
    for f, l, d, s in rs:
        assert f > prev_last, ("overlap", hex(f))
        prev_last = l
        for c in range(f, l + 1, s):
            assert c not in rebuilt
            rebuilt[c] = d
    assert rebuilt == m, "mismatch"
check(up, ranges(up)); check(lo, ranges(lo))
