"""``python -m statprune.engines._native``: build the C kernels at set-up time (scripts/setup.sh runs it)."""

if __name__ == "__main__":
    from statprune.engines._native import build

    path = build(quiet=False)
    print(path if path is not None else "no C compiler: statprune uses numba for the path kernels")
