#!/usr/bin/env python3
"""The loops of a cuobjdump SASS listing (scripts/gpu-sass.sh; docs/gpu.md, "Reading the machine code without a GPU").

Every backward branch closes a loop: for each, its address range, its instruction count (static: every instruction of
the range once, including paths a given problem does not take) and the most frequent opcodes, indented by nesting.
Multiplying a loop's count by its trip count (K components, D coordinates, ...) estimates the instructions it issues.
Usage: sass-loops.py KERNEL.sass
"""
import collections
import re
import sys

INSTRUCTION = re.compile(r'^\s+/\*([0-9a-f]{4,})\*/\s+(@!?U?P[0-9T]\s+)?([A-Z0-9_.]+)(.*?);')


def main(path):
    instructions = []
    for line in open(path, encoding='utf-8'):
        m = INSTRUCTION.match(line)
        if m:
            instructions.append((int(m.group(1), 16), m.group(3), m.group(4)))
    # Trailing padding (BRA to itself, NOPs) is not code.
    while instructions and (instructions[-1][1] == 'NOP' or instructions[-1][2].strip() == f'{instructions[-1][0]:#x}'):
        instructions.pop()
    index = {address: i for i, (address, _, _) in enumerate(instructions)}
    loops = []
    for i, (address, opcode, operands) in enumerate(instructions):
        if opcode.startswith('BRA'):
            target = re.search(r'0x([0-9a-f]+)', operands)
            if target and int(target.group(1), 16) <= address and int(target.group(1), 16) in index:
                loops.append((index[int(target.group(1), 16)], i))
    loops.sort(key=lambda loop: (loop[0], -loop[1]))
    opcodes = collections.Counter(opcode.split('.')[0] for _, opcode, _ in instructions)
    print(f"{path}: {len(instructions)} instructions; " + ' '.join(f"{k}:{v}" for k, v in opcodes.most_common(10)))
    for start, end in loops:
        body = instructions[start:end + 1]
        counts = collections.Counter(opcode.split('.')[0] for _, opcode, _ in body)
        depth = sum(1 for s, e in loops if s <= start and end <= e and (s, e) != (start, end))
        print(f"{'  ' * depth}loop {instructions[start][0]:#06x}-{instructions[end][0]:#06x}: {len(body):4d} instructions  "
              + ' '.join(f"{k}:{v}" for k, v in counts.most_common(12)))


if __name__ == '__main__':
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
