"""The proposal query's columns and the order build_line unpacks them in are one list."""

from __future__ import annotations

import ast
import inspect
import textwrap

from parstudio.services.ordering import proposal_lines
from parstudio.services.ordering.proposals import PROPOSAL_COLUMNS, proposal_query


def _unpacked_names() -> list[str]:
    """The names build_line unpacks a row into, read from its source."""
    tree = ast.parse(textwrap.dedent(inspect.getsource(proposal_lines.build_line)))
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Assign)
            and isinstance(node.value, ast.Name)
            and node.value.id == "row"
        ):
            [target] = node.targets
            assert isinstance(target, ast.Tuple)
            return [element.id for element in target.elts if isinstance(element, ast.Name)]
    raise AssertionError("build_line no longer unpacks the row")


def test_query_labels_are_the_proposal_columns() -> None:
    labels = [column.key for column in proposal_query(None).selected_columns]
    assert labels == list(PROPOSAL_COLUMNS)


def test_build_line_unpacks_in_the_query_order() -> None:
    assert _unpacked_names() == list(PROPOSAL_COLUMNS)
