"""`make gpu-record` keeps, from one run of the timing page, the accelerator's
step times and the same machine's CPU times (format 2), each with its work and
throughput, and documents every field it writes. (tests/test_gpu_records.py
shows what the page prints for a record.)"""

import datetime
import json
import re

import pytest

from bench import gpu_record

SMALL, MEDIUM, LARGE = (64, 1000, 100, 10), (128, 1024, 512, 64), (256, 2048, 1024, 128)
# The timing page's globals after a run on an accelerator, as run_page returns
# them: the CPU stopped one size earlier than the accelerator.
PAGE = {
    "times": {
        "numpy float64": {SMALL: 4e-3},
        "torch cpu": {SMALL: 1e-3, MEDIUM: 8e-3},
        "torch cuda": {SMALL: 2e-4, MEDIUM: 2e-4, LARGE: 3e-4},
    },
    "flops_per_step": lambda N, D_in, H, D_out: 4 * N * D_in * H + 6 * N * H * D_out,
}
MACHINE = {
    "device": "Imaginary Test Accelerator",
    "device_type": "cuda",
    "torch": "0.0.0+test",
    "backend": {"cuda": "0.0"},
    "driver": "0.0.0",
    "cpu": {
        "model": "Imaginary Test CPU",
        "machine": "x86_64",
        "logical_cpus": 16,
        "torch_threads": 16,
    },
}


@pytest.fixture
def record():
    return gpu_record.make_record(
        PAGE, MACHINE, "make gpu-record", datetime.date(2000, 1, 2)
    )


def test_a_record_keeps_both_devices_times_from_the_same_run(record):
    assert record["format"] == 2
    assert record["date"] == "2000-01-02" and record["command"] == "make gpu-record"
    assert record["cpu"] == MACHINE["cpu"]
    for field, name in (("steps", "torch cuda"), ("cpu_steps", "torch cpu")):
        measured = PAGE["times"][name]
        assert [tuple(step["size"]) for step in record[field]] == list(measured)
        for step in record[field]:
            size = tuple(step["size"])
            assert step["seconds_per_step"] == measured[size]
            assert step["gflop"] == PAGE["flops_per_step"](*size) / 1e9
            assert step["gflop_per_s"] == pytest.approx(
                step["gflop"] / step["seconds_per_step"]
            )


def test_a_record_is_json_and_names_its_file_after_date_and_device(record):
    assert json.loads(json.dumps(record)) == record
    path = gpu_record.record_path("out", record)
    assert path.name == "gpu_record_2000-01-02_imaginary-test-accelerator.json"


def test_every_field_a_record_holds_is_documented(record):
    # The docstring's list: a field's name, at least two spaces, what it holds.
    documented = set(re.findall(r"^    (\w+)  +\S", gpu_record.__doc__, re.M))
    assert documented == set(record)
    cpu = gpu_record.__doc__.split("    cpu ")[1].split("    steps ")[0]
    assert all(re.search(rf"\b{key}\s+\(", cpu) for key in record["cpu"])
