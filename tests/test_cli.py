"""The command line: each command takes its own options only, and says so on a wrong one."""

from __future__ import annotations

import pytest

from build_scripts.cli import main, parse_args


@pytest.mark.parametrize(
    ("argv", "wrong"),
    [
        (["build", "--seed", "3"], "--seed 3"),
        (["check", "--addr", "127.0.0.1:1"], "--addr 127.0.0.1:1"),
        (["build", "--format", "json"], "--format json"),
        (["lock", "--offline"], "--offline"),
        (["synth", "--root", "."], "--root ."),
        (["export-qdpx", "x.qdpx", "--offline"], "--offline"),
    ],
)
def test_an_option_of_another_command_is_refused(
    argv: list[str], wrong: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as stopped:
        main([*argv, *(["--out", "x"] if argv[0] == "synth" else [])])
    assert stopped.value.code == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        f"python -m build_scripts: error: unrecognized arguments: {wrong}"
    )


def test_each_command_gets_its_own_options() -> None:
    assert parse_args(["check", "--format", "json"]).format == "json"
    assert parse_args(["serve", "--addr", "0.0.0.0:9"]).addr == "0.0.0.0:9"
    assert parse_args(["build", "--engine", "zensical", "--offline"]).engine == "zensical"
    assert str(parse_args(["new", "my review"]).folder) == "my review"
    assert parse_args(["synth", "--out", "x", "--studies", "3"]).studies == 3
    assert not hasattr(parse_args(["lock"]), "config")
    export = parse_args(["export-qdpx", "out.qdpx", "--root", "r"])
    assert (str(export.file), str(export.root)) == ("out.qdpx", "r")
