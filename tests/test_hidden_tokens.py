"""The audience policy's search for withheld names in a text (reasons, error messages) finds a
withheld name wherever it occurs, exactly as testing each name in turn would."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from rai_graph.audience import _Hidden

_LETTERS = st.text(alphabet="abcé/:#-_ 0", min_size=0, max_size=12)


@given(tokens=st.lists(_LETTERS, max_size=12), text=st.text(alphabet="abcé/:#-_ 0x", max_size=60),
       later=st.lists(_LETTERS, max_size=3))
def test_names_any_is_substring_search_over_every_token(tokens: list[str], text: str, later: list[str]) -> None:
    hidden = _Hidden()
    hidden.add(*tokens)
    assert hidden.names_any(text) == any(t in text for t in hidden.tokens)
    hidden.add(*later)  # added after a search: the next search must see them too
    assert hidden.names_any(text) == any(t in text for t in hidden.tokens)


def test_short_names_are_not_searched_and_an_empty_policy_finds_nothing() -> None:
    hidden = _Hidden()
    assert not hidden.names_any("anything at all")
    hidden.add("abc", None, "", "model-card-v2")
    assert not hidden.names_any("abc abc")
    assert hidden.names_any("see evidence/model-card-v2.ttl")
