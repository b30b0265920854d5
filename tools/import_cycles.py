#!/usr/bin/env python3
"""Import circles between source files of each crate in the workspace.

A file depends on another when it names an item of the other's module by path (`use
crate::a::b::X`, `use super::c`, `crate::a::f()` inline). A name a `mod.rs` only re-exports
(`pub use child::X`) counts as the child's, so a parent that gathers its children's names is
no circle; a child that imports from its parent what the parent defines itself is an edge.
Test modules (`#[cfg(test)] mod tests` files named tests.rs) are left out: they sit below
what they test by construction.

Usage: python3 tools/import_cycles.py [--edges] [CRATE_SRC_DIR ...]
Exits 1 and lists every circle (strongly connected set of files) when there is one, and every
import of mpp-central that points up its layers (LAYERS, bottom first).
"""

import os
import re
import sys

# mpp-central's layers, bottom first: a file may import from its own layer and those below.
LAYERS = {
    "crates/central/src": ["config", "model", "rules", "storage", "published", "http", "net", "admin", "app", "lib"],
}
CRATE_ROOTS = ["src", "crates/core/src", "crates/common/src", "crates/central/src", "crates/display/src", "crates/testkit/src"]


def strip_comments(text):
    token = re.compile(
        r"//[^\n]*|/\*.*?\*/|r(#*)\".*?\"\1|b?\"(?:\\.|[^\"\\])*\"|b?'(?:\\.|[^'\\\n])'",
        re.S,
    )

    def blank(match):
        found = match.group(0)
        return "" if found.startswith("/") else '""'

    text = token.sub(blank, text)
    return strip_test_modules(text)


def strip_test_modules(text):
    """Drops the bodies of `#[cfg(test)] mod name { ... }`: tests sit below what they test."""
    out, pos = [], 0
    for match in re.finditer(r"#\[cfg\(test\)\]\s*(?:pub(?:\([^)]*\))?\s+)?mod\s+\w+\s*\{", text):
        if match.start() < pos:
            continue
        depth, i = 1, match.end()
        while i < len(text) and depth:
            depth += {"{": 1, "}": -1}.get(text[i], 0)
            i += 1
        out.append(text[pos : match.start()])
        pos = i
    out.append(text[pos:])
    return "".join(out)


def module_files(src):
    """Maps each module path (tuple) to its file."""
    modules = {}
    for dirpath, _, files in os.walk(src):
        for name in files:
            if not name.endswith(".rs"):
                continue
            full = os.path.join(dirpath, name)
            rel = os.path.relpath(full, src)[:-3].split(os.sep)
            if rel in (["lib"], ["main"]):
                path = ()
            elif rel[-1] == "mod":
                path = tuple(rel[:-1])
            else:
                path = tuple(rel)
            if rel[0] == "bin" or name == "main.rs" and rel != ["main"]:
                continue
            modules.setdefault(path, full)
    return modules


def expand_use_tree(tree):
    """`a::{b, c::{d, e}}` -> ["a::b", "a::c::d", "a::c::e"]."""
    tree = tree.strip()
    depth = 0
    for i, ch in enumerate(tree):
        if ch == "{":
            if depth == 0:
                prefix = tree[:i]
                inner = tree[i + 1 : tree.rindex("}")]
                parts, depth2, start = [], 0, 0
                for j, c in enumerate(inner):
                    if c == "{":
                        depth2 += 1
                    elif c == "}":
                        depth2 -= 1
                    elif c == "," and depth2 == 0:
                        parts.append(inner[start:j])
                        start = j + 1
                parts.append(inner[start:])
                out = []
                for part in parts:
                    if part.strip():
                        out += [prefix + p for p in expand_use_tree(part)]
                return out
            depth += 1
    return [re.sub(r"\s+as\s+\w+$", "", tree)]


def paths_in(text):
    """Every crate-relative path a file names: use trees and inline paths."""
    found = []
    for match in re.finditer(r"\buse\s+([^;]+);", text):
        found += [re.sub(r"\s+", "", p) for p in expand_use_tree(match.group(1))]
    for match in re.finditer(r"\b((?:crate|super|self)(?:::\w+)+)", text):
        found.append(match.group(1))
    return found


def resolve(path, here, modules):
    """The module path a `crate::`/`super::`/`self::` path names, and the item after it."""
    parts = path.split("::")
    if parts[0] == "crate":
        base, rest = (), parts[1:]
    elif parts[0] in ("super", "self"):
        base = list(here)
        rest = parts
        while rest and rest[0] in ("super", "self"):
            if rest[0] == "super" and base:
                base.pop()
            rest = rest[1:]
        base = tuple(base)
    else:
        return None
    best, item = base, rest[0] if rest else None
    for i in range(len(rest)):
        candidate = base + tuple(rest[: i + 1])
        if candidate in modules:
            best = candidate
            item = rest[i + 1] if i + 1 < len(rest) else None
    return best, item


def reexports(modules, texts):
    """For each module: the names it only re-exports, mapped to the module they come from."""
    table = {}
    for module, file in modules.items():
        names = {}
        for match in re.finditer(r"\bpub(?:\([^)]*\))?\s+use\s+([^;]+);", texts[file]):
            for path in expand_use_tree(match.group(1)):
                path = re.sub(r"\s+", "", path)
                parts = path.split("::")
                if parts[0] not in ("crate", "super", "self"):
                    parts = ["self"] + parts
                target = resolve("::".join(parts[:-1]) or "self", module, modules)
                if target:
                    names[parts[-1]] = target[0]
        table[module] = names
    return table


def graph(src):
    modules = module_files(src)
    texts = {f: strip_comments(open(f, encoding="utf-8").read()) for f in modules.values()}
    exported = reexports(modules, texts)
    edges = {f: set() for f in modules.values()}
    for module, file in modules.items():
        if os.path.basename(file) == "tests.rs":
            continue
        for path in paths_in(texts[file]):
            target = resolve(path, module, modules)
            if not target:
                continue
            dest, item = target
            seen = set()
            while item and item in exported.get(dest, {}) and dest not in seen:
                seen.add(dest)
                dest = exported[dest][item]
            dest_file = modules[dest]
            if dest_file != file and os.path.basename(dest_file) != "tests.rs":
                edges[file].add(dest_file)
    return edges


def cycles(edges):
    """Tarjan's strongly connected components larger than one file."""
    index, low, stack, on, out, counter = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in edges[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    sys.setrecursionlimit(10000)
    for v in edges:
        if v not in index:
            visit(v)
    return out


def layer_of(src, file, layers):
    first = os.path.relpath(file, src).split(os.sep)[0]
    name = first[:-3] if first.endswith(".rs") else first
    return layers.index(name) if name in layers else None


def upward(src, edges):
    """Imports from a lower layer to a higher one."""
    layers = LAYERS.get(src.rstrip("/"))
    if not layers:
        return []
    found = []
    for file, deps in sorted(edges.items()):
        here = layer_of(src, file, layers)
        for dep in sorted(deps):
            there = layer_of(src, dep, layers)
            if here is not None and there is not None and there > here:
                found.append((file, dep))
    return found


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    show_edges = "--edges" in sys.argv
    roots = args or [r for r in CRATE_ROOTS if os.path.isdir(r)]
    total = 0
    for src in roots:
        edges = graph(src)
        found = cycles(edges)
        total += len(found)
        for component in found:
            members = set(component)
            print(f"circle of {len(component)} files in {src}:")
            for file in component:
                inside = sorted(d for d in edges[file] if d in members)
                print(f"  {file} -> {', '.join(inside)}")
        for file, dep in upward(src, edges):
            total += 1
            print(f"upward import: {file} -> {dep}")
        if show_edges:
            for file, deps in sorted(edges.items()):
                print(f"{file}: {' '.join(sorted(deps))}")
    print(f"{total} import circles or upward imports")
    return 1 if total else 0


if __name__ == "__main__":
    sys.exit(main())
