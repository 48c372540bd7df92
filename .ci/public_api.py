#!/usr/bin/env python3
"""The public API of the `deluge_lang` library, one item per line, from rustdoc's JSON output.

    python3 .ci/public_api.py            # print the listing
    python3 .ci/public_api.py --check    # compare with docs/public-api.txt (exit 1 if it differs)
    python3 .ci/public_api.py --bless    # rewrite docs/public-api.txt

The listing is what a crate depending on `deluge-lang` with its default features can name:
every public module, type, trait, function, constant and macro reachable from the crate root
(following `pub use` re-exports), every public method and associated item of their inherent
impls, every variant and public field, and the traits each type implements from this crate.
Items marked `#[doc(hidden)]` are not listed (rustdoc leaves them out). Each line is
`KIND PATH` (functions and methods with their parameter names and types), sorted.

rustdoc's JSON output is unstable; the stable toolchain produces it with RUSTC_BOOTSTRAP=1, as
cargo-semver-checks does. The JSON is built under target/public-api/ so as not to disturb the
normal build.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LISTING = ROOT / "docs" / "public-api.txt"
TARGET = ROOT / "target" / "public-api"


def build_json():
    """Runs rustdoc on the library (default features) and returns its JSON."""
    env = dict(os.environ, RUSTC_BOOTSTRAP="1", CARGO_TARGET_DIR=str(TARGET))
    subprocess.run(
        ["cargo", "rustdoc", "--quiet", "-p", "deluge-lang", "--lib", "--",
         "-Z", "unstable-options", "--output-format", "json"],
        cwd=ROOT, env=env, check=True)
    return json.loads((TARGET / "doc" / "deluge_lang.json").read_text())


class Types:
    """Renders rustdoc JSON types as Rust source text."""

    def __init__(self, krate):
        self.paths = krate["paths"]

    def render(self, ty):
        if ty is None:
            return "()"
        (kind, value), = ty.items()
        render = getattr(self, "_" + kind, None)
        return render(value) if render else kind

    def _resolved_path(self, path):
        name = path.get("path") or path.get("name") or "?"
        return name + self._args(path.get("args"))

    def _args(self, args):
        if not args:
            return ""
        if "angle_bracketed" in args:
            parts = []
            for arg in args["angle_bracketed"]["args"]:
                if "type" in arg:
                    parts.append(self.render(arg["type"]))
                elif "lifetime" in arg:
                    parts.append(arg["lifetime"])
                elif "const" in arg:
                    parts.append(str(arg["const"].get("expr", "_")))
            for constraint in args["angle_bracketed"].get("constraints", []):
                binding = constraint.get("binding", {})
                if "equality" in binding and "type" in binding["equality"]:
                    parts.append(constraint["name"] + " = " + self.render(binding["equality"]["type"]))
            return "<" + ", ".join(parts) + ">" if parts else ""
        if "parenthesized" in args:
            inputs = ", ".join(self.render(t) for t in args["parenthesized"]["inputs"])
            output = args["parenthesized"].get("output")
            return "(" + inputs + ")" + (" -> " + self.render(output) if output else "")
        return ""

    def _generic(self, name):
        return name

    def _primitive(self, name):
        return name

    def _tuple(self, items):
        return "(" + ", ".join(self.render(t) for t in items) + ")"

    def _slice(self, ty):
        return "[" + self.render(ty) + "]"

    def _array(self, value):
        return "[" + self.render(value["type"]) + "; " + str(value["len"]) + "]"

    def _borrowed_ref(self, value):
        lifetime = value.get("lifetime")
        prefix = "&" + (lifetime + " " if lifetime else "") + ("mut " if value.get("is_mutable") else "")
        return prefix + self.render(value["type"])

    def _raw_pointer(self, value):
        return ("*mut " if value.get("is_mutable") else "*const ") + self.render(value["type"])

    def _dyn_trait(self, value):
        traits = [self._resolved_path(t["trait"]) for t in value["traits"]]
        if value.get("lifetime"):
            traits.append(value["lifetime"])
        return "dyn " + " + ".join(traits)

    def _impl_trait(self, bounds):
        return "impl " + " + ".join(self.bound(b) for b in bounds)

    def _function_pointer(self, value):
        decl = value.get("sig") or value.get("decl")
        return "fn" + self.signature(decl)

    def _qualified_path(self, value):
        trait = value.get("trait")
        self_type = self.render(value["self_type"])
        head = "<" + self_type + " as " + self._resolved_path(trait) + ">" if trait else self_type
        return head + "::" + value["name"]

    def _infer(self, _):
        return "_"

    def bound(self, bound):
        if "trait_bound" in bound:
            return self._resolved_path(bound["trait_bound"]["trait"])
        if "outlives" in bound:
            return bound["outlives"]
        return "?"

    def receiver(self, ty):
        """`self`, `&self`, `&mut self`, or `self: TYPE`."""
        if ty == {"generic": "Self"}:
            return "self"
        reference = ty.get("borrowed_ref") if isinstance(ty, dict) else None
        if reference and reference["type"] == {"generic": "Self"}:
            return "&mut self" if reference.get("is_mutable") else "&self"
        return "self: " + self.render(ty)

    def signature(self, sig):
        params = []
        for name, ty in sig["inputs"]:
            params.append(self.receiver(ty) if name == "self" else name + ": " + self.render(ty))
        output = sig.get("output")
        return "(" + ", ".join(params) + ")" + (" -> " + self.render(output) if output else "")


class Listing:
    """Walks the crate from its root module and collects one line per public item."""

    KINDS = {"module": "mod", "struct": "struct", "enum": "enum", "trait": "trait",
             "function": "fn", "constant": "const", "static": "static", "type_alias": "type",
             "macro": "macro", "union": "union", "proc_macro": "macro"}

    def __init__(self, krate):
        self.index = krate["index"]
        self.types = Types(krate)
        self.lines = set()
        self.seen = set()

    def item(self, item_id):
        return self.index.get(str(item_id))

    def walk_module(self, module_id, path):
        module = self.item(module_id)
        for child_id in module["inner"]["module"]["items"]:
            child = self.item(child_id)
            if child is None or child.get("visibility") != "public":
                continue
            inner_kind, = child["inner"].keys()
            if inner_kind == "use":
                self.walk_use(child["inner"]["use"], path)
            elif inner_kind != "impl":
                self.walk_item(child_id, child, path + [child["name"]])

    def walk_use(self, use, path):
        target = self.item(use.get("id")) if use.get("id") is not None else None
        if target is None:
            self.lines.add("use " + "::".join(path + [use["name"]]) + " = " + use["source"])
            return
        if use.get("is_glob"):
            self.walk_module(use["id"], path)
        else:
            self.walk_item(use["id"], target, path + [use["name"]])

    def walk_item(self, item_id, item, path):
        inner_kind, = item["inner"].keys()
        inner = item["inner"][inner_kind]
        name = "::".join(path)
        key = (item_id, name)
        if key in self.seen:
            return
        self.seen.add(key)
        if inner_kind == "module":
            self.lines.add("mod " + name)
            self.walk_module(item_id, path)
        elif inner_kind == "function":
            self.lines.add("fn " + name + self.types.signature(inner["sig"]))
        elif inner_kind in ("struct", "enum", "union", "trait"):
            self.lines.add(self.KINDS[inner_kind] + " " + name)
            self.walk_members(inner_kind, inner, name)
        else:
            self.lines.add(self.KINDS.get(inner_kind, inner_kind) + " " + name)

    def walk_members(self, kind, inner, name):
        if kind == "enum":
            for variant_id in inner["variants"]:
                self.lines.add("variant " + name + "::" + self.item(variant_id)["name"])
        if kind == "struct":
            shape = inner.get("kind")
            fields = shape.get("plain", {}).get("fields", []) if isinstance(shape, dict) else []
            for field_id in fields:
                field = self.item(field_id)
                if field and field.get("visibility") == "public":
                    self.lines.add("field " + name + "::" + field["name"] + ": "
                                   + self.types.render(field["inner"]["struct_field"]))
        if kind == "trait":
            for member_id in inner["items"]:
                self.member(self.item(member_id), name)
        for impl_id in inner.get("impls", []):
            impl = self.item(impl_id)
            if impl is None:
                continue
            details = impl["inner"]["impl"]
            if details.get("is_synthetic") or details.get("blanket_impl"):
                continue
            trait = details.get("trait")
            if trait is None:
                for member_id in details["items"]:
                    member = self.item(member_id)
                    if member and member.get("visibility") == "public":
                        self.member(member, name)
            elif impl.get("crate_id") == 0:
                self.lines.add("impl " + self.types._resolved_path(trait) + " for " + name)

    def member(self, member, owner):
        if member is None:
            return
        inner_kind, = member["inner"].keys()
        inner = member["inner"][inner_kind]
        if inner_kind == "function":
            self.lines.add("fn " + owner + "::" + member["name"] + self.types.signature(inner["sig"]))
        elif inner_kind in ("assoc_const", "assoc_type"):
            self.lines.add(inner_kind.replace("assoc_", "") + " " + owner + "::" + member["name"])


def listing(krate):
    walker = Listing(krate)
    root = walker.item(krate["root"])
    walker.lines.add("mod " + root["name"])
    walker.walk_module(krate["root"], [root["name"]])
    return "\n".join(sorted(walker.lines)) + "\n"


def main(argv):
    text = listing(build_json())
    if "--bless" in argv:
        LISTING.write_text(text)
        print(f"wrote {LISTING.relative_to(ROOT)} ({text.count(chr(10))} items)")
        return 0
    if "--check" in argv:
        recorded = LISTING.read_text() if LISTING.exists() else ""
        if recorded == text:
            print(f"public API unchanged ({text.count(chr(10))} items)")
            return 0
        import difflib
        sys.stdout.writelines(difflib.unified_diff(
            recorded.splitlines(True), text.splitlines(True),
            "docs/public-api.txt", "the library now"))
        print("\nThe public API changed. If that is meant, run "
              "`python3 .ci/public_api.py --bless` and commit docs/public-api.txt.")
        return 1
    sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
