"""run_async never has the command's result turned into text."""

from __future__ import annotations

from gcsched.cli.common import run_async


class Loud:
    """A result that counts how often it is repr'd (a plan costs seconds)."""

    reprs = 0

    def __repr__(self) -> str:
        Loud.reprs += 1
        return "Loud()"


def test_the_result_comes_back_without_being_repred() -> None:
    async def command() -> Loud:
        return Loud()

    result = run_async(command())
    assert isinstance(result, Loud)
    assert Loud.reprs == 0
