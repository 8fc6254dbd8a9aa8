from tests.fuzz import stats


def pytest_terminal_summary(terminalreporter):
    counts = stats.requests_by_operation
    if counts:
        terminalreporter.write_line(
            f"schema fuzzing: {sum(counts.values())} generated requests over {len(counts)} operations"
        )
