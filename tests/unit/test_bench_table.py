"""`make bench` reports each standing target as a ratio of one run's medians
(make check: its seconds), and writes its table into bench/README.md, between
the markers, and nowhere else. (tests/test_bench.py runs the bench itself.)"""

import pytest

from bench import build_speed

EDITED = build_speed.EDITED_EXAMPLE.as_posix()


def timing(median):
    return {"median_s": median, "min_s": median, "max_s": median, "peak_rss_mb": 900}


def results(*, clean=10.0, noop=1.0, edited=3.0, floor=0.6, alone=2.0, quick=False):
    """A finished run's results, as measure_all and main make them."""
    r = {
        "quick": quick,
        "date": "2030-01-02",
        "machine": {"cpus": 2, "memory_gb": 8.0, "processor": "x", "python": "3.11.9"},
        "standalone": {EDITED: timing(alone), "examples/x/plot_2_b.py": timing(21.0)},
        "standalone_sum_s": alone + 21.0,
        "clean_build": timing(clean),
        "in_build_s": {EDITED: alone / 2, "examples/x/plot_2_b.py": 8.0},
        "clean_floor_s": clean - 4.0,
        "noop_rebuild": timing(noop),
        "sphinx_noop_rebuild": timing(noop + 0.5),
        "one_edit_rebuild": timing(edited),
        "edited_rest_s": edited - alone / 2,
        "import_floor": timing(floor),
        "import_s": {"torch": 1.0, "tensorflow": 2.0},
    }
    if not quick:
        r["make_check"], r["make_test"] = timing(12.0), timing(70.0)
    r["targets"] = build_speed.targets(r)
    return r


def test_the_pages_that_time_things_run_alone_and_no_other_does():
    examples = build_speed.REPO / "examples"
    alone = {
        path.name
        for path in examples.glob("*/plot_*.py")
        if build_speed.runs_alone(path)
    }
    assert alone == {
        "plot_11_gpu_speed.py",
        "plot_12_static_graphs_today.py",
        "plot_14_data_parallel.py",
    }


def test_the_clean_builds_floor_halves_only_what_may_share_the_cores(tmp_path):
    for name, says in (("plot_1_a.py", ""), ("plot_2_b.py", "parallel = False")):
        example = tmp_path / "examples" / "x" / name
        example.parent.mkdir(parents=True, exist_ok=True)
        config = f"# sphinx_gallery_{says}\n" if says else ""
        example.write_text(f'"""\nT\n=\n"""\n\n{config}x = 1\n', encoding="utf-8")
        cost = tmp_path / "docs" / "auto_examples" / "x" / f"{example.stem}.cost.json"
        cost.parent.mkdir(parents=True, exist_ok=True)
        seconds = 6.0 if name == "plot_1_a.py" else 10.0
        cost.write_text(f'{{"time": {seconds}, "memory": 0}}', encoding="utf-8")
    examples = sorted((tmp_path / "examples" / "x").glob("*.py"))
    r = {"clean_build": timing(30.0)}
    r["in_build_s"] = build_speed.in_build_seconds(tmp_path, examples)
    assert r["in_build_s"] == {
        "examples/x/plot_1_a.py": 6.0,
        "examples/x/plot_2_b.py": 10.0,
    }
    assert build_speed.clean_build_floor(r, tmp_path) == 30.0 - 6.0 / 2


def test_the_table_gives_the_first_targets_floor():
    text = build_speed.table(results(), 3)
    (row,) = [line for line in text.splitlines() if "were the examples" in line]
    assert row.endswith(f"| ratio {6.0 / 23:.2f}: the first target's floor |")


def test_the_table_says_how_much_of_an_edited_rebuild_is_not_the_example():
    text = build_speed.table(results(edited=3.0, floor=0.5), 3)
    (row,) = [line for line in text.splitlines() if "less the example" in line]
    assert row == (
        "| that rebuild, less the example's own run in it | 2.00 |  | "
        "4.0 x the import floor: Sphinx and the extensions |"
    )


def test_each_target_is_a_ratio_of_two_medians_of_the_run():
    values = list(build_speed.target_values(results()).values())
    ratios = [10 / 23, 1 / 0.6, 3 / (2 * 0.6 + 2), 70 / 10]
    assert values == pytest.approx([*ratios, 12.0])


def test_a_quick_run_times_no_tests_and_claims_no_test_target():
    quick = results(quick=True)
    assert list(quick["targets"]) == list(build_speed.TARGETS)[:3]
    text = build_speed.table(quick, 1)
    assert "make test" not in text and "make check" not in text


def test_the_table_says_which_targets_are_met():
    text = build_speed.table(results(noop=1.5), 3)
    rows = {line.split(" | ")[0].lstrip("| "): line for line in text.splitlines()}
    assert rows["clean build / sum of examples run alone"].endswith("| yes |")
    assert rows["nothing-changed rebuild / import floor"].endswith("| **no** |")
    assert (
        rows["make test / clean build"]
        == "| make test / clean build | 7.00 | 8 | yes |"
    )
    assert rows["make check, seconds"].endswith("| 12.00 | 30 | yes |")
    assert rows["make test"].startswith("| make test | 70.00 |")
    assert "2030-01-02: 2 logical CPUs" in text
    assert f"rebuild after editing {build_speed.EDITED_EXAMPLE.name}" in text


def test_the_table_replaces_only_what_lies_between_the_markers(tmp_path):
    readme = tmp_path / "README.md"
    begin, end = build_speed.TABLE_BEGIN, build_speed.TABLE_END
    readme.write_text(
        f"# bench\n\nabove\n{begin}\nold table\n{end}\nbelow\n", encoding="utf-8"
    )
    for table in ("| first |", "| second |"):
        build_speed.write_table(readme, table)
    assert (
        readme.read_text(encoding="utf-8")
        == f"# bench\n\nabove\n{begin}\n| second |\n{end}\nbelow\n"
    )


def test_a_readme_without_the_markers_is_named_before_anything_is_measured(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text(
        f"{build_speed.TABLE_END}\n{build_speed.TABLE_BEGIN}\n", encoding="utf-8"
    )
    with pytest.raises(SystemExit, match="lacks the lines that frame its table"):
        build_speed.check_markers(readme.read_text(encoding="utf-8"), readme)


def test_bench_readme_has_the_markers_a_full_run_writes_between():
    build_speed.check_markers(
        build_speed.README.read_text(encoding="utf-8"), build_speed.README
    )


def test_an_import_is_timed_beyond_the_interpreters_own_start(monkeypatch):
    # The median of the runs that import the module, less that of the bare
    # interpreter's runs.
    def fake_repeat(times, cmd, *, cwd):
        seconds = [2.0, 2.5, 9.0] if cmd[-1] == "import torch" else [0.5, 0.4, 0.6]
        return [(s, 0) for s in seconds[:times]]

    monkeypatch.setattr(build_speed, "repeat", fake_repeat)
    assert build_speed.import_seconds("torch", 3, ".") == pytest.approx(2.5 - 0.5)
