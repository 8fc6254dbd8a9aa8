# Schema-driven fuzzing of the API (tests/fuzz): every operation of /openapi.json, a fixed
# number of generated requests each, from a fixed seed. Too slow for `make test`.
.PHONY: fuzz

fuzz: install
	CRM_FUZZ=1 $(BIN)/python -m pytest tests/fuzz $(PYTEST_ARGS)
