"""Hardening (issue 18): no code runs from someone else's file, no output destroys or corrupts a
file, no silent wrong number on extreme data, clear exit codes on crashes and interrupts.

The security tests build hostile files with R (tests/r/malicious_rds.R) whose payload creates a
marker file; each test first proves with plain R that the payload does run, then that statprune
refuses the file and the marker never appears.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from helpers import ROOT, child_env, require_r
from typer.testing import CliRunner

from statprune import datasets
from statprune.cli import app
from statprune.errors import DataError

BOSTON = str(datasets.path("boston"))
MALICIOUS = ROOT / "tests" / "r" / "malicious_rds.R"


def run(*args: str):
    res = CliRunner().invoke(app, list(args))
    assert "Traceback" not in res.stdout + res.stderr, res.stderr
    return res


# --------------------------------------------------------------------------- 1. RDS security
@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    require_r()
    d = tmp_path_factory.mktemp("hostile")
    marker = d / "PAYLOAD_RAN"
    proc = subprocess.run(["Rscript", str(MALICIOUS), str(d), str(marker)], capture_output=True, text=True,
                          timeout=120, env=child_env(), check=False)
    assert proc.returncode == 0, proc.stderr
    assert not marker.exists()
    return d, marker


def _r_runs_payload(path: Path, marker: Path, use: str) -> bool:
    """Plain R: readRDS and touch the value as an R user (or statprune before the fix) would."""
    code = f'x <- readRDS({str(path)!r}); try({use}, silent = TRUE)'
    subprocess.run(["Rscript", "-e", code], capture_output=True, timeout=120, env=child_env(), check=False)
    ran = marker.exists()
    if ran:
        marker.unlink()
    return ran


# file, what plain R does with the value (R's own code, no statprune), the refusal statprune gives
HOSTILE = [
    ("active_binding.rds", "x$lambda", "environment"),
    ("delayed_assign.rds", "x$lambda", "environment"),
    ("toplevel_promise.rds", "class(x)", "promise"),
    ("list_of_functions.rds", "x$glmnet.fit()", "closure"),
    ("lm_terms.rds", "predict(x, newdata = data.frame(y = 1))", "class \\['lm'\\]"),
    ("language_field.rds", "eval(x$lambda)", "language object"),
]


@pytest.mark.against_r
@pytest.mark.parametrize(("name", "use", "found"), HOSTILE, ids=[h[0] for h in HOSTILE])
def test_from_rds_runs_no_code_from_the_file(hostile, name, use, found):
    from statprune import GlmnetCV

    d, marker = hostile
    path = d / name
    assert _r_runs_payload(path, marker, use), f"{name} is not hostile: the test could not fail"
    with pytest.raises(DataError, match=found):
        GlmnetCV.from_rds(path)
    assert not marker.exists(), f"loading {name} ran its payload"
    # statprune's R session touched nothing either: the marker is still absent after R is used again
    from statprune import _r

    _r.call("_bridge", "sp_versions")
    assert not marker.exists()


@pytest.fixture(scope="module")
def r_fits(tmp_path_factory):
    """Honest fits saved by R in every format saveRDS writes."""
    require_r()
    d = tmp_path_factory.mktemp("fits")
    code = f"""
    suppressMessages(library(glmnet)); set.seed(1)
    x <- matrix(rnorm(400), 80); colnames(x) <- paste0("v", 1:5); y <- x[, 1] + rnorm(80)
    f <- cv.glmnet(x, y)
    for (cmp in c("gzip", "bzip2", "xz")) saveRDS(f, file.path({str(d)!r}, paste0("fit_", cmp, ".rds")), compress = cmp)
    saveRDS(f, file.path({str(d)!r}, "fit_v2.rds"), version = 2)
    saveRDS(f, file.path({str(d)!r}, "fit_plain.rds"), compress = FALSE)
    saveRDS(f, file.path({str(d)!r}, "fit_ascii.rds"), ascii = TRUE)
    saveRDS(cv.glmnet(x, y, relax = TRUE), file.path({str(d)!r}, "fit_relaxed.rds"))
    saveRDS(cv.glmnet(x, 1:80 %% 3, family = "multinomial"), file.path({str(d)!r}, "fit_multi.rds"))
    saveRDS(cv.glmnet(x, y > 0, family = binomial()), file.path({str(d)!r}, "fit_family_function.rds"))
    cat(format(f$lambda.min, digits = 17))
    """
    proc = subprocess.run(["Rscript", "-e", code], capture_output=True, text=True, timeout=300, env=child_env(), check=False)
    assert proc.returncode == 0, proc.stderr
    return d, float(proc.stdout)


@pytest.mark.against_r
@pytest.mark.parametrize("name", ["fit_gzip", "fit_bzip2", "fit_xz", "fit_v2", "fit_plain", "fit_relaxed", "fit_multi",
                                  "fit_family_function"])
def test_from_rds_accepts_honest_fits_in_every_format(r_fits, name):
    from statprune import GlmnetCV

    d, lambda_min = r_fits
    est = GlmnetCV.from_rds(d / f"{name}.rds")
    assert est.n_features_in_ == 5
    if name not in ("fit_multi", "fit_relaxed", "fit_family_function"):  # the same fit in five encodings
        assert est.lambda_min_ == pytest.approx(lambda_min, rel=1e-15)


@pytest.mark.against_r
def test_from_rds_refuses_ascii(r_fits):
    """(A family object such as binomial() is rebuilt from its checked strings: tests/test_lasso_family_objects.py.)"""
    from statprune import GlmnetCV

    d, _ = r_fits
    with pytest.raises(DataError, match="ASCII"):
        GlmnetCV.from_rds(d / "fit_ascii.rds")


def test_rds_checker_refuses_truncated_and_foreign_streams(tmp_path):
    from statprune._rds_check import check_serialized, checked_rds_bytes

    head = b"X\n" + bytes.fromhex("00000003 00040202 00030500 00000005") + b"UTF-8"
    check_serialized(head + bytes.fromhex("0000000d 00000001 00000007"))  # 7L
    with pytest.raises(DataError, match="truncated"):
        check_serialized(head + bytes.fromhex("0000000e 00000002 3ff8000000000000"))
    with pytest.raises(DataError, match="external pointer"):
        check_serialized(head + bytes.fromhex("00000016"))
    with pytest.raises(DataError, match="byte code"):
        check_serialized(head + bytes.fromhex("00000015"))
    with pytest.raises(DataError, match="namespace"):
        check_serialized(head + bytes.fromhex("000000f9"))
    p = tmp_path / "notes.rds"
    p.write_text("hello")
    with pytest.raises(DataError, match="not an RDS file"):
        checked_rds_bytes(p)


# --------------------------------------------------------------------------- 2. generated R code
TRICKY = ['plain', 'inj"); file.create("X"); ("x.csv', "back\\slash", "back`tick", "new\nline", "tab\there",
          "caf\u00e9 \u00fc\u00df", "\u6570\u636e", "emoji \U0001F600", "'single'", "if", "..1", "1abc", "a b", "\x01ctl"]


@pytest.mark.against_r
def test_r_string_and_r_name_round_trip_through_r():
    from statprune._rcode import r_name, r_string

    hexed = "function(v) cat(paste(as.character(charToRaw(enc2utf8(v))), collapse = ''), '\\n')"
    lines = [f"h <- {hexed}"]
    for s in TRICKY:
        lines.append(f"h({r_string(s)})")
        lines.append(f"h(names(list({r_name(s)} = 1)))")
        lines.append(f"h(as.character(quote({r_name(s)})))")
    proc = subprocess.run(["Rscript", "-e", "\n".join(lines)], capture_output=True, text=True, timeout=120,
                          env=child_env(), check=False)
    assert proc.returncode == 0, proc.stderr
    got = proc.stdout.split()
    want = [s.encode("utf-8").hex() for s in TRICKY for _ in range(3)]
    assert got == want


def test_r_string_refuses_nul():
    from statprune._rcode import r_name, r_string

    with pytest.raises(DataError, match="NUL"):
        r_string("a\x00b")
    with pytest.raises(DataError, match="NUL"):
        r_name("a\x00b")


INJECT_FILE = 'inj"); file.create("X"); ("x.csv'
INJECT_TARGET = 'y"); file.create("Y'


def _run_r_snippet(code: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(["Rscript", "-e", code], capture_output=True, text=True, timeout=300, cwd=cwd,
                          env=child_env(), check=False)


@pytest.fixture(scope="module")
def injection_data(tmp_path_factory):
    d = tmp_path_factory.mktemp("inject")
    rng = np.random.default_rng(3)
    X = rng.normal(size=(60, 3))
    df = pd.DataFrame(X, columns=["a", "b`c", "d e"])
    df[INJECT_TARGET] = X[:, 0] * 2 + rng.normal(size=60)
    df.to_csv(d / INJECT_FILE, index=False)
    df.to_csv(d / "inj", index=False)  # so that pasted code, read.csv("inj"); file.create("X"), would run on
    return d, df


@pytest.mark.against_r
def test_lasso_r_code_runs_in_r_and_injects_nothing(injection_data):
    from statprune import GlmnetCV

    d, df = injection_data
    est = GlmnetCV(seed=1).fit(df.drop(columns=INJECT_TARGET), df[INJECT_TARGET])
    code = est.result_.r_code(data=INJECT_FILE, target=INJECT_TARGET)
    proc = _run_r_snippet(code, d)
    assert not (d / "X").exists() and not (d / "Y").exists(), code
    assert proc.returncode == 0, proc.stderr
    assert "lambda.min" in proc.stdout


@pytest.mark.against_r
def test_report_same_in_r_code_injects_nothing(injection_data):
    from statprune.report import build_report

    d, _ = injection_data
    rep = build_report(str(d / INJECT_FILE), INJECT_TARGET, methods="lasso,stepwise", seed=1, crosscheck=False,
                       timestamp=False, progress=False)
    codes = [s.r_code for s in rep.sections if getattr(s, "r_code", None)]
    assert len(codes) == 2
    for code in codes:
        proc = _run_r_snippet(code, d)
        assert not (d / "X").exists() and not (d / "Y").exists(), code
        assert proc.returncode == 0, (code, proc.stderr)


# --------------------------------------------------------------------------- 3. non-regular outputs
@pytest.fixture
def null_device(tmp_path):
    """A character device like /dev/null (1, 3) made in tmp_path, so a regression replaces this copy, never the
    machine's /dev/null (skips where mknod is not permitted)."""
    import stat

    dev = tmp_path / "null"
    try:
        os.mknod(dev, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    except OSError as exc:
        pytest.skip(f"cannot create a device node here: {exc}")
    return dev


def test_json_onto_a_character_device_keeps_the_device(null_device):
    import stat

    res = run("pca", BOSTON, "--exclude", "medv", "--json", str(null_device))
    assert res.exit_code == 0, res.stderr
    assert stat.S_ISCHR(os.stat(null_device).st_mode), "the device was replaced by a regular file"
    assert sorted(os.listdir(null_device.parent)) == ["null"]


def test_json_into_a_fifo_is_written_in_place(tmp_path):
    import json
    import stat
    import threading

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()), daemon=True)
    reader.start()
    res = run("pca", BOSTON, "--exclude", "medv", "--json", str(fifo))
    reader.join(timeout=60)
    assert res.exit_code == 0, res.stderr
    assert stat.S_ISFIFO(os.stat(fifo).st_mode), "the FIFO was replaced by a regular file"
    assert "features" in json.loads(got[0]) or json.loads(got[0])
    assert sorted(os.listdir(tmp_path)) == ["pipe"]


def test_json_onto_a_socket_is_refused(tmp_path):
    import socket
    import stat

    path = tmp_path / "sock"
    s = socket.socket(socket.AF_UNIX)
    s.bind(str(path))
    try:
        res = run("pca", BOSTON, "--exclude", "medv", "--json", str(path))
        assert res.exit_code == 2, res.stderr
        assert "socket" in res.stderr and str(path) in res.stderr
        assert stat.S_ISSOCK(os.stat(path).st_mode)
        assert sorted(os.listdir(tmp_path)) == ["sock"]
    finally:
        s.close()


def test_write_atomic_stdout_and_regular_files(tmp_path, capsysbinary):
    from statprune._json import write_atomic

    write_atomic("-", b"bytes\n")
    write_atomic("-", "text\n")
    assert capsysbinary.readouterr().out == b"bytes\ntext\n"
    p = tmp_path / "out.json"
    p.write_text("old")
    write_atomic(p, "new")
    assert p.read_text() == "new" and sorted(os.listdir(tmp_path)) == ["out.json"]


@pytest.mark.against_r
def test_save_rds_and_report_onto_a_character_device_keep_the_device(null_device):
    import stat

    dev = str(null_device)
    res = run("lasso", BOSTON, "--target", "medv", "--seed", "1", "--save-rds", dev, "--json", dev)
    assert res.exit_code == 0, res.stderr
    assert stat.S_ISCHR(os.stat(dev).st_mode)
    res = run("report", BOSTON, "--target", "medv", "--method", "pca", "--format", "md", "--no-crosscheck",
              "--out", dev)
    assert res.exit_code == 0, res.stderr
    assert stat.S_ISCHR(os.stat(dev).st_mode)
    assert sorted(os.listdir(null_device.parent)) == ["null"]


# --------------------------------------------------------------------------- 4. full disk
@pytest.fixture
def full_disk(tmp_path):
    """A 64 KiB tmpfs holding one good file and filled to the last byte (skips where mounting is impossible)."""
    mnt = tmp_path / "full"
    mnt.mkdir()
    proc = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mnt)], capture_output=True,
                          check=False)
    if proc.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here: {proc.stderr.decode().strip()}")
    try:
        good = mnt / "fit.rds"
        good.write_bytes(b"GOOD" * 1024)
        with open(mnt / "filler", "wb", buffering=0) as fh:
            try:
                while True:
                    fh.write(b"\0" * 4096)
            except OSError:
                pass
        yield mnt, good
    finally:
        subprocess.run(["umount", "-l", str(mnt)], check=False)


@pytest.mark.against_r
def test_save_rds_on_a_full_disk_fails_and_keeps_the_old_file(full_disk):
    mnt, good = full_disk
    res = run("lasso", BOSTON, "--target", "medv", "--seed", "1", "--save-rds", str(good))
    assert res.exit_code == 1, res.stderr
    assert str(good) in res.stderr
    assert "wrote" not in res.stderr
    assert good.read_bytes() == b"GOOD" * 1024
    assert sorted(os.listdir(mnt)) == ["filler", "fit.rds"]


def test_json_on_a_full_disk_fails_and_keeps_the_old_file(full_disk):
    mnt, good = full_disk
    res = run("pca", BOSTON, "--exclude", "medv", "--json", str(good))
    assert res.exit_code == 1, res.stderr
    assert str(good) in res.stderr
    assert good.read_bytes() == b"GOOD" * 1024
    assert sorted(os.listdir(mnt)) == ["filler", "fit.rds"]


# --------------------------------------------------------------------------- 5. extreme magnitudes
@pytest.fixture(scope="module")
def boston_xy():
    d = datasets.load_boston()
    return d.drop(columns="medv"), d["medv"]


@pytest.mark.parametrize("factor", [1e300, 1e-310])
@pytest.mark.parametrize("engine", ["r", "gram"])
def test_lasso_refuses_columns_whose_squares_overflow_or_underflow(boston_xy, factor, engine):
    from statprune import GlmnetCV

    if engine == "r":
        require_r()
    X, y = boston_xy
    X = X.copy()
    X["lstat"] = X["lstat"] * factor
    with pytest.raises(DataError, match="column 'lstat'.*(overflow|underflow)"):
        GlmnetCV(seed=1, engine=engine).fit(X, y)


def test_lasso_refuses_a_target_whose_squares_overflow(boston_xy):
    from statprune import GlmnetCV

    X, y = boston_xy
    with pytest.raises(DataError, match="'medv'.*overflow"):
        GlmnetCV(seed=1, engine="gram").fit(X, y * 1e300)


def test_cli_lasso_extreme_column_exits_2_naming_it(boston_xy, tmp_path):
    X, y = boston_xy
    df = X.assign(medv=y)
    df["rm"] = df["rm"] * 1e300
    p = tmp_path / "big.csv"
    df.to_csv(p, index=False)
    res = run("lasso", str(p), "--target", "medv", "--engine", "gram", "--json", str(tmp_path / "out.json"))
    assert res.exit_code == 2, res.stderr
    assert "'rm'" in res.stderr and "overflow" in res.stderr
    assert not (tmp_path / "out.json").exists()


@pytest.mark.parametrize("factor", [1e300, 1e-310, 1e-320])
def test_pca_is_invariant_to_extreme_column_scale(boston_xy, factor):
    from statprune import PCAPruner

    X, _ = boston_xy
    j = list(X.columns).index("tax")
    Xs = X.copy()
    Xs["tax"] = Xs["tax"] * factor
    # the values the scaled column really holds, brought back by an exact power of two
    k = -int(np.frexp(np.abs(Xs["tax"].to_numpy()).max())[1])
    ref_X = Xs.copy()
    ref_X["tax"] = np.ldexp(Xs["tax"].to_numpy(), k)
    ref = PCAPruner(n_components=3).fit(ref_X)
    got = PCAPruner(n_components=3).fit(Xs)
    np.testing.assert_allclose(got.sdev_, ref.sdev_, rtol=1e-12)
    np.testing.assert_allclose(got.rotation_, ref.rotation_, rtol=1e-10, atol=1e-13)
    assert not np.signbit(got.sdev_).any()
    assert got.explained_variance_.sum() == pytest.approx(X.shape[1], rel=1e-12)
    np.testing.assert_array_equal(got.support_, ref.support_)
    np.testing.assert_allclose(got.transform(Xs), ref.transform(ref_X), rtol=1e-9, atol=1e-9)
    assert got.scale_[j] == pytest.approx(np.ldexp(ref.scale_[j], -k), rel=1e-12)


def test_pca_unscaled_refuses_an_overflowing_column(boston_xy):
    from statprune import PCAPruner

    X, _ = boston_xy
    X = X.assign(tax=X["tax"] * 1e300)
    with pytest.raises(DataError, match="column 'tax'.*overflow"):
        PCAPruner(n_components=3, scale=False).fit(X)


# --------------------------------------------------------------------------- 6. pca --n above min(n, p)
def test_pca_n_above_the_number_of_components_is_capped_and_said():
    res = run("pca", BOSTON, "--exclude", "medv", "--n", "99")
    assert res.exit_code == 0, res.stderr
    assert "13" in res.stderr and "99" in res.stderr and "warning" in res.stderr
    assert "fixed number of components (99)" not in res.stdout
    assert "capped" in res.stdout


# --------------------------------------------------------------------------- 8. Ctrl-C inside R
CHILD = r"""
import sys
import statprune._r as _r

real_call = _r.call


def announcing_call(script, function, *args, **kwargs):
    if function == "spg_cv_fit":
        print("in-R", flush=True)
    return real_call(script, function, *args, **kwargs)


_r.call = announcing_call
sys.argv = ["statprune", *sys.argv[1:]]
from statprune.cli import main

main()
"""


@pytest.mark.against_r
def test_sigint_during_cv_glmnet_interrupts_r_and_exits_130(tmp_path):
    import signal

    rng = np.random.default_rng(0)
    n, p = 6000, 300
    X = rng.normal(size=(n, p))
    df = pd.DataFrame(X, columns=[f"x{j}" for j in range(p)]).assign(y=X[:, :10].sum(axis=1) + rng.normal(size=n))
    data = tmp_path / "big.csv"
    df.to_csv(data, index=False)
    out = tmp_path / "out.json"
    script = tmp_path / "child.py"
    script.write_text(CHILD)
    env = {**child_env(), "PYTHONPATH": str(ROOT)}
    # alpha = 0.05 and 20 folds: well over a minute of cv.glmnet on this machine when not interrupted
    proc = subprocess.Popen([sys.executable, str(script), "lasso", str(data), "--target", "y", "--alpha", "0.05",
                             "--nfolds", "20", "--nlambda", "200", "--json", str(out)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        assert proc.stdout.readline().strip() == "in-R", proc.stderr.read()
        import time

        time.sleep(2.0)  # R is inside cv.glmnet now (not a timing assertion: only lets R get going)
        proc.send_signal(signal.SIGINT)
        rc = proc.wait(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
    err = proc.stderr.read()
    assert rc == 130, err
    assert "interrupted" in err and "Traceback" not in err, err
    assert not out.exists()
    assert sorted(os.listdir(tmp_path)) == ["big.csv", "child.py"]


# --------------------------------------------------------------------------- 7. crashes -> exit 2
ONE_ROW = {
    "lasso": ["--target", "y"],
    "lasso-ooc": ["--target", "y"],
    "stepwise": ["--formula", "y ~ ."],
    "importance": ["--target", "y"],
    "pca": ["--exclude", "y"],
    "stability": ["--target", "y", "--q", "1", "--cutoff", "0.9"],
    "compare": ["--target", "y"],
    "validate": ["--target", "y"],
}


@pytest.mark.parametrize("command", list(ONE_ROW))
def test_one_row_csv_exits_2(tmp_path, command):
    if command in ("lasso", "stepwise", "stability", "compare", "validate"):
        require_r()
    p = tmp_path / "one.csv"
    p.write_text("x0,x1,x2,y\n1,2,3,4\n")
    res = run(command, str(p), *ONE_ROW[command], "--json", str(tmp_path / "out.json"))
    assert res.exit_code == 2, res.stderr
    assert "unexpected" not in res.stderr and "error:" in res.stderr
    assert not (tmp_path / "out.json").exists()


def test_stability_unknown_plot_format_exits_2_before_running(tmp_path):
    res = run("stability", BOSTON, "--target", "medv", "--q", "3", "--cutoff", "0.9", "--engine", "sklearn",
              "--plot", str(tmp_path / "paths.bogus"))
    assert res.exit_code == 2, res.stderr
    assert ".bogus" in res.stderr and "unexpected" not in res.stderr
    assert list(tmp_path.iterdir()) == []


def test_encode_categoricals_dummy_name_collision_is_named(tmp_path):
    p = tmp_path / "col.csv"
    rng = np.random.default_rng(1)
    pd.DataFrame({"g": list("abc") * 10, "gb": rng.integers(0, 2, 30), "x": rng.normal(size=30),
                  "y": rng.normal(size=30)}).to_csv(p, index=False)
    res = run("lasso", str(p), "--target", "y", "--encode-categoricals", "--engine", "gram")
    assert res.exit_code == 2, res.stderr
    assert "'gb'" in res.stderr and "level 'b' of 'g'" in res.stderr and "unexpected" not in res.stderr


# --------------------------------------------------------------------------- 10. clear messages
@pytest.fixture(scope="module")
def spaced(tmp_path_factory):
    """A header written with spaces after the commas: columns ' x1', ' x2', ' y'."""
    d = tmp_path_factory.mktemp("spaced")
    rng = np.random.default_rng(0)
    lines = ["x0, x1, x2, y"]
    for _ in range(60):
        r = rng.normal(size=3)
        lines.append(",".join(f"{v:.5f}" for v in r) + f",{2 * r[0] + rng.normal():.5f}")
    p = d / "spaced.csv"
    p.write_text("\n".join(lines) + "\n")
    return p


SPACED = {
    "lasso": ["--engine", "gram"],
    "importance": ["--method", "impurity", "--trees", "20"],
    "lasso-ooc": ["--scheduler", "synchronous"],
}


@pytest.mark.parametrize("command", list(SPACED))
@pytest.mark.parametrize("target", [" y", "y"])
def test_target_with_or_without_the_header_space_is_the_same_column_everywhere(spaced, command, target):
    res = run(command, str(spaced), "--target", target, *SPACED[command], "--json", "-")
    assert res.exit_code == 0, res.stderr


def test_pca_exclude_matches_the_spaced_header(spaced):
    import json

    a = json.loads(run("pca", str(spaced), "--exclude", "y", "--json", "-").stdout)
    b = json.loads(run("pca", str(spaced), "--exclude", " y", "--json", "-").stdout)
    assert a == b and len(a["components"]) == 3


def test_a_row_with_one_extra_field_is_refused_with_its_line(tmp_path):
    p = tmp_path / "extra.csv"
    rows = ["a,b,c,y", "1,2,3,4,9"] + [f"{i},{i + 1},{i * 2},{i % 3}" for i in range(20)]
    p.write_text("\n".join(rows) + "\n")
    res = run("pca", str(p), "--exclude", "y")
    assert res.exit_code == 2, res.stderr
    assert "line 2" in res.stderr and "5 fields" in res.stderr and "4" in res.stderr


def test_r_row_names_convention_still_reads(tmp_path):
    """Every data row one field longer than the header: R's read.csv takes the first column as row names."""
    from statprune._data import read_table

    p = tmp_path / "rownames.csv"
    p.write_text("a,b\nr1,1,2\nr2,3,4\nr3,5,7\n")
    df = read_table(p)
    assert list(df.columns) == ["a", "b"] and df["b"].tolist() == [2, 4, 7]


def test_an_empty_directory_as_data_names_the_path(tmp_path):
    d = tmp_path / "nothing_here"
    d.mkdir()
    for command, extra in (("pca", []), ("lasso", ["--target", "y"])):
        res = run(command, str(d), *extra)
        assert res.exit_code == 2, res.stderr
        assert str(d) in res.stderr and "no data files" in res.stderr


@pytest.mark.parametrize("bad", [-1.0, 0.0])
def test_negative_or_zero_weights_name_the_weights_column(tmp_path, bad):
    d = datasets.load_boston()
    d["w"] = 1.0
    d.loc[3, "w"] = bad
    if bad == 0.0:
        d["w"] = 0.0
    p = tmp_path / "w.csv"
    d.to_csv(p, index=False)
    res = run("lasso", str(p), "--target", "medv", "--weights-column", "w", "--engine", "gram")
    assert res.exit_code == 2, res.stderr
    assert "'w'" in res.stderr and "sample_weight" not in res.stderr


def test_lasso_ooc_infers_the_number_of_folds_from_the_fold_column(tmp_path):
    import json

    rng = np.random.default_rng(0)
    n = 100
    X = rng.normal(size=(n, 4))
    df = pd.DataFrame(X, columns=list("abcd")).assign(y=X[:, 0] + rng.normal(size=n), fold=np.arange(n) % 5 + 1)
    p = tmp_path / "f5.csv"
    df.to_csv(p, index=False)
    res = run("lasso-ooc", str(p), "--target", "y", "--fold-column", "fold", "--scheduler", "synchronous", "--json", "-")
    assert res.exit_code == 0, res.stderr
    from statprune import GlmnetCV

    ref = GlmnetCV(engine="gram", foldid=df["fold"].to_numpy()).fit(df[list("abcd")], df["y"])
    assert json.loads(res.stdout)["lambda_min"] == pytest.approx(ref.lambda_min_, rel=1e-10)


@pytest.mark.against_r
def test_raw_vectors_round_trip_through_r(r):
    payload = bytes(range(256)) * 4000 + b"\x00end"
    assert r.from_r(r.to_r(payload)) == payload
    assert r.from_r(r.to_r(b"")) == b""


def test_extreme_columns_rule_per_column():
    """max|x| > 1e140 (a large negative counts), 0 < max - min < 1e-140; NaN ignored, inf is big, constant is not small."""
    from statprune._magnitude import extreme_columns

    a = np.array([[1.0, -2e140, 1e140, 5.0, 0.0, np.nan, -np.inf, 3e-141, np.nan],
                  [2.0, 0.0, -1e140, 5.0, 1e-141, 1.0, 0.0, 0.0, np.nan],
                  [3.0, 1.0, 0.0, 5.0, 5e-141, 2e141, 1.0, 1.0e-141, np.nan]])
    big, small = extreme_columns(a)
    assert big.tolist() == [False, True, False, False, False, True, True, False, False]
    assert small.tolist() == [False, False, False, False, True, False, False, True, False]
    big1, small1 = extreme_columns(np.array([1.0, 3e150]))  # a 1-D array is one column
    assert big1.tolist() == [True] and small1.tolist() == [False]
    big0, small0 = extreme_columns(np.empty((0, 3)))
    assert big0.tolist() == small0.tolist() == [False] * 3
