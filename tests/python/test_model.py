# Planning a .tflite model from Python gives the command line's plan JSON, byte for byte.
import json
import subprocess

import pytest

import arenaplan

CASES = [
    ("tflm_hello_world_int8", [], {}),
    ("mlperf_tiny_kws_dscnn_int8", ["--kernels", "cmsis-nn"], {"kernels": "cmsis-nn"}),
    ("mlperf_tiny_kws_dscnn_int8", ["--pool", "dtcm:size=16K,align=16", "--pool", "sram:align=32"],
     {"pools": ["dtcm:size=16K,align=16", "sram:align=32"]}),
    ("tflm_micro_speech_int8", ["--compat", "tflm"], {"compat": "tflm"}),
]


@pytest.mark.parametrize("model,flags,options", CASES, ids=[f"{c[0]}{''.join(c[1][:1])}" for c in CASES])
def test_plan_model_equals_the_cli_plan_json(repo, cli, model, flags, options):
    path = repo / "data" / "models" / f"{model}.tflite"
    expected = subprocess.run([cli, "plan", str(path), "--format", "json", "--no-timing", *flags], check=True,
                              capture_output=True, text=True).stdout
    assert arenaplan.plan_model_json(path, timing=False, **options) == expected
    data = arenaplan.plan_model(path, timing=False, **options)
    assert data == json.loads(expected)
    assert data["buffers"] and data["total_bytes"] >= data["lower_bound_bytes"] > 0


def test_plan_model_errors_name_the_file_or_the_pool(tmp_path, repo):
    bad = tmp_path / "bad.tflite"
    bad.write_bytes(b"not a model")
    with pytest.raises(arenaplan.InputError, match="bad.tflite"):
        arenaplan.plan_model(bad)
    model = repo / "data" / "models" / "tflm_hello_world_int8.tflite"
    with pytest.raises(arenaplan.InputError, match="dtcm:size=banana"):
        arenaplan.plan_model(model, pools=["dtcm:size=banana"])


def test_plan_onnx_model_equals_the_cli_plan_json(repo, cli):
    path = repo / "data" / "models" / "light_squeezenet.onnx"
    expected = subprocess.run([cli, "plan", str(path), "--format", "json", "--no-timing"], check=True,
                              capture_output=True, text=True).stdout
    assert arenaplan.plan_model_json(path, timing=False) == expected
