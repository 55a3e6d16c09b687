"""The public-modules contract (run by ``lint-imports``) keeps what it promises: another
capability's private module breaks it, its ``__init__`` or a listed module does not."""

from __future__ import annotations

import grimp
from tests.contracts.public_modules import PublicModulesContract


def _graph(*imports: tuple[str, str]) -> grimp.ImportGraph:
    graph = grimp.ImportGraph()
    for module in ("duo", "duo.a", "duo.a.models", "duo.a.forms", "duo.b", "duo.b.views"):
        graph.add_module(module)
    for importer, imported in imports:
        graph.add_import(
            importer=importer, imported=imported, line_number=7, line_contents="from ..."
        )
    return graph


def _check(graph: grimp.ImportGraph):
    contract = PublicModulesContract(
        name="public",
        session_options={"root_packages": ["duo"]},
        contract_options={"capabilities": ["duo.a", "duo.b"], "public": ["duo.a.models"]},
    )
    return contract.check(graph, verbose=False)


def test_a_private_module_of_another_capability_breaks_it() -> None:
    check = _check(_graph(("duo.b.views", "duo.a.forms")))
    assert not check.kept
    assert check.metadata["illegal"] == [("duo.b.views", "duo.a.forms", [7])]


def test_the_package_and_its_listed_modules_are_public() -> None:
    check = _check(_graph(("duo.b.views", "duo.a"), ("duo.b.views", "duo.a.models")))
    assert check.kept


def test_a_capability_imports_its_own_private_modules() -> None:
    assert _check(_graph(("duo.a.models", "duo.a.forms"))).kept


def test_a_listed_module_that_does_not_exist_breaks_it() -> None:
    contract = PublicModulesContract(
        name="public",
        session_options={"root_packages": ["duo"]},
        contract_options={"capabilities": ["duo.a", "duo.b"], "public": ["duo.a.gone"]},
    )
    check = contract.check(_graph(), verbose=False)
    assert not check.kept and check.metadata["unknown"] == ["duo.a.gone"]
