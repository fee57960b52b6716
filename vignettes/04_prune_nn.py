# %% [markdown]
# # 4. Pruning a neural network, checked independently in R
#
# statprune's `MagnitudePruner` applies TensorFlow Model Optimization's
# `prune_low_magnitude` rules (per-layer magnitude masks, a `ConstantSparsity`
# schedule, masks re-applied after every optimizer step) to a scikit-learn MLP.
# Here a small network predicts diabetes in the Pima data (MASS's `Pima.tr` is
# the training set, `Pima.te` the test set); half of every weight matrix is pruned
# and the network is fine-tuned with the masks.
#
# The pruned and the dense weights are written to CSV; the twin
# `04_prune_nn.R` recomputes, with nothing but matrix algebra in base R, the
# network's test-set probabilities, accuracy, log loss and the sparsity of every
# layer. Both print the same `RESULT` lines.
#
# Run: `.venv/bin/python vignettes/04_prune_nn.py [OUTDIR]`, then
# `Rscript vignettes/04_prune_nn.R [OUTDIR]`.

# %%
import sys
import tempfile
import warnings
from pathlib import Path

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier

from statprune import datasets
from statprune._data import write_atomic
from statprune.nn import ConstantSparsity, MagnitudePruner, strip_pruning


def result(name, value):
    """One machine-checkable line: RESULT name=value (10 significant digits)."""
    print(f"RESULT {name}={value:.10g}")


outdir = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.gettempdir()) / "statprune-vignettes"
outdir.mkdir(parents=True, exist_ok=True)

pima = datasets.load_pima()                      # rbind(Pima.tr, Pima.te)
X = pima.drop(columns="type").to_numpy(float)
y = (pima["type"] == "Yes").to_numpy(int)
train, test = np.arange(200), np.arange(200, len(pima))
# standardise with the training means and sds (sd with n - 1, as R's sd())
mu, sd = X[train].mean(axis=0), X[train].std(axis=0, ddof=1)
Z = (X - mu) / sd

# %% [markdown]
# A dense network first, then 30 epochs of fine-tuning with TF-MOT's default
# constant schedule at 50% sparsity (masks updated once per epoch).

# %%
with warnings.catch_warnings():
    warnings.simplefilter("ignore", ConvergenceWarning)
    dense = MLPClassifier(hidden_layer_sizes=(16,), alpha=1e-3, batch_size=32, max_iter=300,
                          random_state=0).fit(Z[train], y[train])
steps_per_epoch = int(np.ceil(len(train) / 32))    # optimizer updates per epoch
pruner = MagnitudePruner(dense, ConstantSparsity(0.5, begin_step=0, frequency=steps_per_epoch),
                         epochs=30, random_state=0).fit(Z[train], y[train])
pruned = strip_pruning(pruner)

# %% [markdown]
# Test-set metrics, before and after, computed by scikit-learn.

# %%
def metrics(model, tag):
    p = model.predict_proba(Z[test])[:, 1]
    result(f"{tag}_accuracy", np.mean((p > 0.5) == y[test]))
    result(f"{tag}_logloss", -np.mean(y[test] * np.log(p) + (1 - y[test]) * np.log1p(-p)))
    result(f"{tag}_mean_prob", p.mean())
    for i in range(3):
        result(f"{tag}_prob_{i + 1}", p[i])


metrics(dense, "dense")
metrics(pruned, "pruned")
for k, W in enumerate(pruned.coefs_):
    result(f"sparsity_layer{k}", np.mean(W == 0))
    result(f"nonzero_layer{k}", np.count_nonzero(W))

# %% [markdown]
# Hand the weights over (17 significant digits: the numbers round-trip exactly).

# %%
def save(model, tag):
    for k, (W, b) in enumerate(zip(model.coefs_, model.intercepts_)):
        text = "\n".join(",".join(f"{v:.17g}" for v in row) for row in np.atleast_2d(W)) + "\n"
        write_atomic(outdir / f"nn_{tag}_W{k}.csv", text)
        write_atomic(outdir / f"nn_{tag}_b{k}.csv", "\n".join(f"{v:.17g}" for v in b) + "\n")


save(dense, "dense")
save(pruned, "pruned")
print(f"weights written to {outdir}")
