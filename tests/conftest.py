"Shared pytest set-up: where the real datasets are, and the `slow` marker for tests that need them."
import os
from pathlib import Path
import pytest

ROOT = Path(__file__).resolve().parents[1]


def _shared_data():
    "The real datasets folder: $LLMREC_DATA_DIR, else `shared/data` beside the project or one of its parents."
    if os.environ.get('LLMREC_DATA_DIR'): return Path(os.environ['LLMREC_DATA_DIR'])
    for parent in ROOT.parents:
        if (parent/'shared'/'data').is_dir(): return parent/'shared'/'data'
    return None


SHARED_DATA = _shared_data()


def pytest_configure(config):
    config.addinivalue_line('markers', 'slow: needs the real datasets in shared/data (skipped when absent)')


@pytest.fixture(scope='session')
def shared_data():
    if SHARED_DATA is None or not SHARED_DATA.is_dir():
        pytest.skip('the real datasets folder shared/data was not found (set LLMREC_DATA_DIR to point at it)')
    return SHARED_DATA
