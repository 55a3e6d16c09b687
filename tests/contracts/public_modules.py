"""An import-linter contract: a capability is used by the others only through the modules
it declares public.

The layers contract says *which* capabilities one may import; this one says *what* of
them. A capability's ``__init__`` is always public; every other module is private to its
capability unless ``public`` lists it. So a new module starts private, and making it part
of a capability's surface is a visible line in ``pyproject.toml``. Consumers (hq, demo,
bench) and entry points are not checked: they sit on top and assemble the capabilities.
"""

from __future__ import annotations

import grimp
from importlinter.application import output
from importlinter.domain import fields
from importlinter.domain.contract import Contract, ContractCheck


class PublicModulesContract(Contract):
    type_name = "public_modules"

    capabilities = fields.ListField(subfield=fields.StringField())
    public = fields.ListField(subfield=fields.StringField())

    def check(self, graph: grimp.ImportGraph, verbose: bool) -> ContractCheck:
        capabilities: list[str] = list(self.capabilities)  # type: ignore[arg-type]
        public = set(self.public)  # type: ignore[arg-type]
        unknown = sorted(m for m in public if m not in graph.modules)
        illegal = []
        for capability in capabilities:
            importers = {capability, *graph.find_descendants(capability)}
            for importer in sorted(importers):
                for imported in sorted(graph.find_modules_directly_imported_by(importer)):
                    owner = _owner(imported, capabilities)
                    if owner is None or owner == capability or imported == owner:
                        continue
                    if imported in public:
                        continue
                    lines = [
                        d["line_number"]
                        for d in graph.get_import_details(importer=importer, imported=imported)
                    ]
                    illegal.append((importer, imported, lines))
        return ContractCheck(
            kept=not illegal and not unknown,
            metadata={"illegal": illegal, "unknown": unknown},
        )

    def render_broken_contract(self, check: ContractCheck) -> None:
        for name in check.metadata["unknown"]:
            output.print_error(f"- listed as public but no such module: {name}", bold=False)
        if check.metadata["illegal"]:
            output.print_error(
                "A capability may import another only through its public modules "
                "(its __init__, or a module listed under `public`):",
                bold=False,
            )
            output.new_line()
        for importer, imported, lines in check.metadata["illegal"]:
            where = ", ".join(map(str, lines))
            output.print_error(f"- {importer} -> {imported} (l.{where})", bold=False)
        output.new_line()


def _owner(module: str, capabilities: list[str]) -> str | None:
    for capability in capabilities:
        if module == capability or module.startswith(capability + "."):
            return capability
    return None
