"""Job functions for tests of the Jobs page: run by a real worker, they fail on purpose."""


def boom(label: str) -> None:
    raise RuntimeError(f"boom: {label}")
