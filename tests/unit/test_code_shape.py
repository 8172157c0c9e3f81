#!/usr/bin/env python3
"""Check the shape of ptrc's code against the house rules (docs/ARCHITECTURE.md).

  test_code_shape.py REPO_ROOT BUILD_DIR

1. Layers: every compiled source file of ptrc belongs to one layer (its
   folder), and calls only into its own layer or a layer below it:
       cli > modes > lcall > engine > decode | stack | output
           > mem | syscall | arch > util
   Layers on one rank (decode, stack, output) do not call each other.
   "Calls" are read from the object files: a symbol one file leaves
   undefined (nm "U") and another defines. A plug-in point (a function
   pointer the engine is handed) is not a call and is not seen here.
2. No circles between files: the file-to-file call graph has no cycle.
3. Size: no source file under src/, arch/, include/ over MAX_FILE_LINES
   lines, no function over MAX_FUNCTION_LINES lines (from the line with its
   name to its closing brace, in this code's style: the opening brace of a
   function alone on its line, its closing brace at column 0).

Prints every breach and a summary; exits 0 when there is none, 1 otherwise.
Needs nm (binutils) and a build whose objects are in place.
"""
import collections
import json
import os
import re
import subprocess
import sys

MAX_FILE_LINES = 600
MAX_FUNCTION_LINES = 80

# Folder -> rank; a file may call files of its own folder or of a lower rank.
RANKS = {
    "src/cli": 7,
    "src/modes": 6,
    "src/lcall": 5,
    "src/engine": 4,
    "src/decode": 3, "src/stack": 3, "src/output": 3,
    "src/mem": 2, "src/syscall": 2, "arch": 2,
    "src/util": 1,
}
# Generated sources (in the build directory) and the layer they belong to.
GENERATED = {
    "syscall_tables.c": "src/syscall",
    "xlat_tables.c": "src/decode",
    "prototypes.c": "src/lcall",
}
DEFINED = set("TDBRGSVW")


def layer_of(rel):
    for folder in sorted(RANKS, key=len, reverse=True):
        if rel.startswith(folder + "/"):
            return folder
    return None


def source_objects(root, build):
    """{repo-relative source: object path} for ptrc's own sources."""
    with open(os.path.join(build, "compile_commands.json")) as f:
        commands = json.load(f)
    objects = {}
    for entry in commands:
        src = os.path.normpath(os.path.join(entry["directory"], entry["file"]))
        rel = os.path.relpath(src, root)
        if rel.startswith(".."):
            owner = GENERATED.get(os.path.basename(src))
            if not owner:
                continue
            rel = owner + "/" + os.path.basename(src)
        if layer_of(rel) is None or rel in objects:
            continue
        objects[rel] = os.path.join(entry["directory"], entry["output"])
    return objects


def call_graph(objects):
    defined_in, undefined = {}, {}
    for rel, obj in objects.items():
        out = subprocess.run(["nm", obj], capture_output=True, text=True,
                             check=True).stdout
        undefined[rel] = set()
        for line in out.splitlines():
            parts = line.split()
            if len(parts) == 2 and parts[0] == "U":
                undefined[rel].add(parts[1])
            elif len(parts) == 3 and parts[1] in DEFINED:
                defined_in.setdefault(parts[2], rel)
    graph = collections.defaultdict(dict)
    for rel, symbols in undefined.items():
        for sym in sorted(symbols):
            target = defined_in.get(sym)
            if target and target != rel:
                graph[rel].setdefault(target, sym)
    return graph


def layer_breaches(graph):
    breaches = []
    for src, targets in sorted(graph.items()):
        a = layer_of(src)
        for dst, sym in sorted(targets.items()):
            b = layer_of(dst)
            if a != b and RANKS[b] >= RANKS[a]:
                breaches.append(f"layer: {src} ({a}) calls {dst} ({b}): {sym}")
    return breaches


def cycles(graph):
    """Strongly connected components of more than one file (Tarjan)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, {}):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    sys.setrecursionlimit(10000)
    for v in sorted(graph):
        if v not in index:
            visit(v)
    lines = []
    for component in found:
        members = set(component)
        edges = [f"{a} -> {b} ({graph[a][b]})" for a in component
                 for b in sorted(graph.get(a, {})) if b in members]
        lines.append("circle: " + "; ".join(edges))
    return lines


FUNCTION_NAME = re.compile(r"(\w+)\s*\(")


def size_breaches(root):
    breaches = []
    for top in ("src", "arch", "include"):
        for dirpath, _, names in os.walk(os.path.join(root, top)):
            for name in sorted(names):
                if not name.endswith((".c", ".h")):
                    continue
                path = os.path.join(dirpath, name)
                rel = os.path.relpath(path, root)
                with open(path, errors="replace") as f:
                    lines = f.read().split("\n")
                if len(lines) - 1 > MAX_FILE_LINES:
                    breaches.append(f"size: {rel} has {len(lines) - 1} lines")
                breaches += long_functions(rel, lines)
    return breaches


def long_functions(rel, lines):
    breaches = []
    for i, line in enumerate(lines):
        if line != "{":
            continue
        start = i - 1  # the signature begins at the last column-0 line
        while start > 0 and (lines[start][:1] in (" ", "\t", "")):
            start -= 1
        end = i + 1
        while end < len(lines) and lines[end] != "}":
            end += 1
        length = end - start + 1
        if length > MAX_FUNCTION_LINES:
            m = FUNCTION_NAME.search(" ".join(lines[start:i]))
            name = m.group(1) if m else "?"
            breaches.append(f"size: {rel}:{start + 1} {name}() has "
                            f"{length} lines")
    return breaches


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: test_code_shape.py REPO_ROOT BUILD_DIR")
    root, build = sys.argv[1], sys.argv[2]
    graph = call_graph(source_objects(root, build))
    breaches = layer_breaches(graph) + cycles(graph) + size_breaches(root)
    for line in breaches:
        print(line)
    print(f"code shape: {len(breaches)} breaches of the house rules")
    sys.exit(1 if breaches else 0)


if __name__ == "__main__":
    main()
