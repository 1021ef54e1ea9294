#!/usr/bin/env python3
"""Instructions one thread executes along a given path through a cuobjdump SASS listing (docs/gpu.md, "Reading the
machine code without a GPU"): an estimate of the instructions per particle-step of a fused kernel without a GPU.

  sass-walk.py KERNEL.sass START END ADDRESS=DECISION ...

Walks from START (the first instruction of the kernel's step loop) to the backward branch at END (the step loop's),
following unconditional branches and, at each conditional branch, its DECISION: T (taken), N (not taken) or a number n
(a loop's backward branch: taken n - 1 times, then not, for a loop of n trips). A branch without a decision stops the
walk and names its address. Prints the count and the opcode mix; DFMA are the fused fp64 instructions, DADD and DMUL
the non-fused ones (Nsight Compute's "fused and non-fused FP64 instructions").
Checked against Nsight Compute on the H200: the walk of the kernel measured on 2026-11-27 gives 1,691 instructions,
241 DFMA and 131 DADD/DMUL per particle-step; Nsight Compute counted 1,694, 241 and 131 (docs/gpu-data/2026-11-28-sass).
"""
import collections
import re
import sys

INSTRUCTION = re.compile(r'^\s+/\*([0-9a-f]{4,})\*/\s+(@!?U?P[0-9T]\s+)?([A-Z0-9_.]+)(.*?);')


def main(path, start, end, decisions):
    instructions = []
    for line in open(path, encoding='utf-8'):
        m = INSTRUCTION.match(line)
        if m:
            instructions.append((int(m.group(1), 16), m.group(2) or '', m.group(3), m.group(4)))
    index = {address: i for i, (address, *_) in enumerate(instructions)}
    trips = collections.Counter()
    counts = collections.Counter()
    i = index[start]
    for _ in range(1_000_000):
        address, predicate, opcode, operands = instructions[i]
        counts[opcode.split('.')[0]] += 1
        if address == end and opcode.startswith('BRA'):
            break
        if opcode.startswith('BRA'):
            target = int(re.search(r'0x([0-9a-f]+)', operands).group(1), 16)
            if not predicate:
                i = index[target]
                continue
            decision = decisions.get(address)
            if decision is None:
                sys.exit(f"no decision for the branch at {address:#x} (to {target:#x})")
            if decision in ('T', 'N'):
                taken = decision == 'T'
            else:
                trips[address] += 1
                taken = trips[address] < int(decision)
                if not taken:
                    trips[address] = 0
            if taken:
                i = index[target]
                continue
        i += 1
    else:
        sys.exit("the walk did not reach END")
    total = sum(counts.values())
    fused = counts['DFMA']
    other = counts['DADD'] + counts['DMUL']
    print(f"{total} instructions: {fused} DFMA + {other} DADD/DMUL = {fused + other} fp64; "
          + ' '.join(f"{k}:{v}" for k, v in counts.most_common(14)))


if __name__ == '__main__':
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    pairs = dict(arg.split('=') for arg in sys.argv[4:])
    main(sys.argv[1], int(sys.argv[2], 16), int(sys.argv[3], 16), {int(k, 16): v for k, v in pairs.items()})
