"""How many generated requests the fuzzer sent, for the run's summary line."""

from collections import Counter

requests_by_operation = Counter()


def record(case):
    requests_by_operation[f"{case.operation.method.upper()} {case.operation.path}"] += 1
